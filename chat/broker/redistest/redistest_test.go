package redistest_test

import (
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/chat/broker/redistest"
)

func TestStartKillRestart(t *testing.T) {
	srv := redistest.Start(t)
	if !strings.HasPrefix(srv.URL(), "redis://127.0.0.1:") {
		t.Fatalf("URL() = %q", srv.URL())
	}
	if err := ping(srv.Addr()); err != nil {
		t.Fatalf("PING after Start: %v", err)
	}
	srv.Kill()
	if err := ping(srv.Addr()); err == nil {
		t.Fatal("PING answered after Kill")
	}
	srv.Restart()
	if err := ping(srv.Addr()); err != nil {
		t.Fatalf("PING after Restart: %v", err)
	}
}

func TestStopCont(t *testing.T) {
	srv := redistest.Start(t)
	srv.Stop()
	if err := pingWithin(srv.Addr(), 200*time.Millisecond); err == nil {
		t.Fatal("PING answered while stopped")
	}
	srv.Cont()
	if err := pingWithin(srv.Addr(), 5*time.Second); err != nil {
		t.Fatalf("PING after Cont: %v", err)
	}
}

func TestStoppedServerIsCleanedUp(t *testing.T) {
	var addr string
	t.Run("leave it stopped", func(t *testing.T) {
		srv := redistest.Start(t)
		addr = srv.Addr()
		srv.Stop()
	})
	if err := pingWithin(addr, 200*time.Millisecond); err == nil {
		t.Fatal("server still answers after its test ended")
	}
}

// fatalTB records Fatalf instead of failing the real test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestMissingRedisServerFailsClearly(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		redistest.Start(f)
	}()
	<-done
	if !strings.Contains(f.msg, "apt-get install -y redis-server") {
		t.Fatalf("Start without redis-server: Fatalf(%q), want install hint", f.msg)
	}
}

func ping(addr string) error { return pingWithin(addr, 2*time.Second) }

func pingWithin(addr string, d time.Duration) error {
	c, err := net.DialTimeout("tcp", addr, d)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(d))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	buf := make([]byte, 7)
	if _, err := c.Read(buf); err != nil {
		return err
	}
	if string(buf) != "+PONG\r\n" {
		return fmt.Errorf("reply %q", buf)
	}
	return nil
}
