// Package benchkit holds what the benchmark tools (chat/loadgen and
// server/cmd/orgbench) share: the child processes they start and wait for,
// and the readings they take of them. It is a library for tools; nothing in
// the server imports it.
package benchkit

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Proc is a child process a tool started (a server, a store, a reference).
type Proc struct {
	Name string
	Cmd  *exec.Cmd
	Log  string // its combined output
	done chan struct{}
}

// Start runs bin with args and env (added to this process's environment),
// writing its output to logDir/<name>.log. The child dies with the tool.
func Start(name, bin string, args, env []string, logDir string) (*Proc, error) {
	logPath := filepath.Join(logDir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the tool
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Proc{Name: name, Cmd: cmd, Log: logPath, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

// PID is the child's process id.
func (p *Proc) PID() int { return p.Cmd.Process.Pid }

// Alive reports whether the child still runs.
func (p *Proc) Alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Stop sends SIGTERM and kills the child after grace.
func (p *Proc) Stop(grace time.Duration) {
	if p == nil || !p.Alive() {
		return
	}
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.Cmd.Process.Kill()
		<-p.done
	}
}

// Tail is the last n lines of the child's output.
func (p *Proc) Tail(n int) string {
	b, _ := os.ReadFile(p.Log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// WaitFor polls check until it succeeds, the child dies or limit has passed.
func WaitFor(ctx context.Context, p *Proc, limit time.Duration, what string, check func() bool) error {
	deadline := time.Now().Add(limit)
	for !check() {
		if !p.Alive() {
			return fmt.Errorf("%s exited:\n%s", p.Name, p.Tail(20))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: %s not ready after %s:\n%s", p.Name, what, limit, p.Tail(20))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// TCPOpen reports whether addr accepts a connection.
func TCPOpen(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// HTTP is the tools' client for readiness checks and readings: no proxy.
var HTTP = &http.Client{Timeout: 120 * time.Second, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 4}}

// HTTPOK reports whether a GET of url answers 200.
func HTTPOK(url string) bool {
	resp, err := HTTP.Get(url)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == 200
}

// CPUTime is a process's user+system CPU time so far (from /proc).
func CPUTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	fs := strings.Fields(s[i+2:])
	// fields after ")" start at field 3 (state); utime is 14, stime 15.
	ut, _ := strconv.ParseInt(fs[11], 10, 64)
	st, _ := strconv.ParseInt(fs[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}
