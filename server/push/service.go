package push

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	webpush "github.com/SherClockHolmes/webpush-go"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/store"
)

// Options configure the service. Without keys push is off: the API says
// so and Forward does nothing.
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	Keys   Keys
	// AllowLoopback (tests only) accepts http(s)://127.0.0.1 and [::1]
	// endpoints and lets the client connect there.
	AllowLoopback bool
	// Client sends the pushes; nil: one that refuses non-public addresses.
	Client *http.Client
	// Workers send in parallel (2); Queue bounds pushes waiting (10,000:
	// more are dropped and logged, the notification centre has them).
	Workers, Queue int
	// TTL: how long a push service keeps an undelivered push (1 day).
	TTL time.Duration
}

type job struct {
	user string
	n    notify.Notification
}

// Service keeps people's push subscriptions and settings and sends Web
// Push for the notifications it is forwarded. See doc.go.
type Service struct {
	st     *pStore
	o      Options
	log    *slog.Logger
	client *http.Client
	queue  chan job

	mu      sync.Mutex
	known   map[string]bool // people with at least one device (as of the last reload or local write)
	busy    int             // pushes queued or being sent
	drained chan struct{}   // closed when busy is 0
	closed  bool
	stop    chan struct{} // closed by Close: the senders end
	wg      sync.WaitGroup
}

// NewService loads who has devices and starts the senders. Close it.
func NewService(ctx context.Context, s *store.Store, o Options) (*Service, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Queue <= 0 {
		o.Queue = 10000
	}
	if o.TTL <= 0 {
		o.TTL = 24 * time.Hour
	}
	svc := &Service{st: newStore(s), o: o, log: o.Logger, client: o.Client, queue: make(chan job, o.Queue),
		known: map[string]bool{}, drained: make(chan struct{}), stop: make(chan struct{})}
	close(svc.drained)
	if svc.client == nil {
		svc.client = safeClient(o.AllowLoopback)
	}
	if err := svc.Reload(ctx); err != nil {
		return nil, err
	}
	for range o.Workers {
		svc.wg.Add(1)
		go svc.worker()
	}
	return svc, nil
}

// safeClient connects only to public addresses (checked on the address
// dialled, after name resolution), with short timeouts and no redirects.
func safeClient(allowLoopback bool) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		return dialAllowed(address, allowLoopback)
	}}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second, MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Enabled reports whether push is configured.
func (s *Service) Enabled() bool { return s.o.Keys.Public != "" }

// PublicKey is the VAPID public key browsers subscribe with ("" when off).
func (s *Service) PublicKey() string { return s.o.Keys.Public }

// Reload re-reads who has devices (devices added on other instances count
// from the next reload; the app calls it every 30 s).
func (s *Service) Reload(ctx context.Context) error {
	ids, err := s.st.userIDs(ctx)
	if err != nil {
		return err
	}
	known := make(map[string]bool, len(ids))
	for _, u := range ids {
		known[u] = true
	}
	s.mu.Lock()
	s.known = known
	s.mu.Unlock()
	return nil
}

func (s *Service) setKnown(user string, has bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if has {
		s.known[user] = true
	} else {
		delete(s.known, user)
	}
}

// ---------------------------------------------------------------------------
// Devices and settings (the person's own only)

// Devices lists the person's devices, newest first.
func (s *Service) Devices(ctx context.Context, user string) (*DeviceList, error) {
	d, err := s.st.load(ctx, user)
	if err != nil {
		return nil, err
	}
	out := &DeviceList{Items: []Device{}}
	if d != nil {
		for i := len(d.Subs) - 1; i >= 0; i-- {
			sub := d.Subs[i]
			out.Items = append(out.Items, Device{ID: sub.ID, Label: sub.Label, CreatedAt: sub.At})
		}
	}
	return out, nil
}

// Subscribe adds (or renews) a device for the person. An endpoint another
// person subscribed before (a shared device) is taken from them first, so
// their pushes never reach it. Re-running after a failure half-way
// completes it.
func (s *Service) Subscribe(ctx context.Context, user string, in SubscribeInput) (*Device, error) {
	if !s.Enabled() {
		return nil, apperr.Conflict("push_off", "push notifications are not configured on this server")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := checkEndpoint(in.Endpoint, s.o.AllowLoopback); err != nil {
		return nil, err
	}
	id, now := deviceID(in.Endpoint), s.o.Now().UTC()
	prev, err := s.st.owner(ctx, id)
	if err != nil {
		return nil, err
	}
	if prev != "" && prev != user {
		if err := s.remove(ctx, prev, id); err != nil {
			return nil, err
		}
	}
	if err := s.st.claim(ctx, id, user, now); err != nil {
		return nil, err
	}
	sub := subDoc{ID: id, Endpoint: in.Endpoint, P256dh: in.Keys.P256dh, Auth: in.Keys.Auth, Label: plainLabel(in.Label), At: now}
	if _, err := s.st.update(ctx, user, now, func(d *userDoc) bool {
		d.Subs = slices.DeleteFunc(d.Subs, func(x subDoc) bool { return x.ID == id })
		d.Subs = append(d.Subs, sub)
		if len(d.Subs) > MaxDevices {
			d.Subs = slices.Clone(d.Subs[len(d.Subs)-MaxDevices:])
		}
		if in.Language != "" {
			d.Lang = in.Language
		}
		return true
	}); err != nil {
		return nil, err
	}
	s.setKnown(user, true)
	return &Device{ID: id, Label: sub.Label, CreatedAt: now}, nil
}

// Unsubscribe removes one of the person's devices; another person's id is
// not found.
func (s *Service) Unsubscribe(ctx context.Context, user, id string) error {
	d, err := s.st.load(ctx, user)
	if err != nil {
		return err
	}
	if d == nil || !slices.ContainsFunc(d.Subs, func(x subDoc) bool { return x.ID == id }) {
		return apperr.NotFound("not_found", "no such device")
	}
	return s.remove(ctx, user, id)
}

// remove drops a device from a person's document (nothing when gone).
func (s *Service) remove(ctx context.Context, user, id string) error {
	d, err := s.st.update(ctx, user, s.o.Now().UTC(), func(d *userDoc) bool {
		n := len(d.Subs)
		d.Subs = slices.DeleteFunc(d.Subs, func(x subDoc) bool { return x.ID == id })
		return len(d.Subs) != n
	})
	if err != nil {
		return err
	}
	s.setKnown(user, len(d.Subs) > 0)
	return nil
}

// Settings returns the person's push settings.
func (s *Service) Settings(ctx context.Context, user string) (*Settings, error) {
	d, err := s.st.load(ctx, user)
	if err != nil {
		return nil, err
	}
	st := d.settings()
	return &st, nil
}

// SetSettings changes quiet hours and language (those given).
func (s *Service) SetSettings(ctx context.Context, user string, in SettingsInput) (*Settings, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	d, err := s.st.update(ctx, user, s.o.Now().UTC(), func(d *userDoc) bool {
		if q := in.QuietHours; q != nil {
			d.Quiet = *q
			if d.Quiet.TimeZone == "" {
				d.Quiet.TimeZone = DefaultTimeZone
			}
		}
		if in.Language != nil {
			d.Lang = *in.Language
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	st := d.settings()
	return &st, nil
}

// Forget deletes everything push keeps of a person (AVG).
func (s *Service) Forget(ctx context.Context, user string) error {
	if err := s.st.forget(ctx, user); err != nil {
		return err
	}
	s.setKnown(user, false)
	return nil
}

func plainLabel(l string) string {
	out := make([]rune, 0, len(l))
	for _, r := range l {
		if r >= ' ' && r != 0x7f && utf8.ValidRune(r) {
			out = append(out, r)
		}
	}
	return string(out)
}

// ---------------------------------------------------------------------------
// Sending

// Forward queues a push of n to the person's devices (notify.Forwarder).
// It never blocks: when the queue is full the push is dropped and logged.
func (s *Service) Forward(_ context.Context, user string, n notify.Notification) {
	if !s.Enabled() {
		return
	}
	s.mu.Lock()
	if s.closed || !s.known[user] {
		s.mu.Unlock()
		return
	}
	if s.busy == 0 {
		s.drained = make(chan struct{})
	}
	s.busy++
	s.mu.Unlock()
	select {
	case s.queue <- job{user, n}:
	default:
		s.log.Warn("push: queue full, push dropped", "kind", n.Kind)
		s.done()
	}
}

func (s *Service) done() {
	s.mu.Lock()
	s.busy--
	if s.busy == 0 {
		close(s.drained)
	}
	s.mu.Unlock()
}

// Flush waits until every queued push has been sent (or given up).
func (s *Service) Flush(ctx context.Context) error {
	s.mu.Lock()
	ch := s.drained
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops taking pushes and waits for the senders to finish the queue
// or ctx to end.
func (s *Service) Close(ctx context.Context) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	_ = s.Flush(ctx)
	close(s.stop)
	s.wg.Wait()
}

func (s *Service) worker() {
	defer s.wg.Done()
	for {
		select {
		case <-s.stop:
			return
		case j := <-s.queue:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			s.send(ctx, j)
			cancel()
			s.done()
		}
	}
}

// send delivers one notification to each of the person's devices, unless
// it is their quiet time. A device the push service calls gone (404, 410)
// is removed.
func (s *Service) send(ctx context.Context, j job) {
	d, err := s.st.load(ctx, j.user)
	if err != nil {
		s.log.Warn("push: devices not read", "err", err)
		return
	}
	if d == nil || len(d.Subs) == 0 {
		s.setKnown(j.user, false)
		return
	}
	st := d.settings()
	if st.QuietHours.Quiet(s.o.Now()) {
		return
	}
	body, err := json.Marshal(messageFor(j.n, st.Language))
	if err != nil {
		return
	}
	for _, sub := range d.Subs {
		if err := checkEndpoint(sub.Endpoint, s.o.AllowLoopback); err != nil {
			continue // stored before a stricter rule
		}
		resp, err := webpush.SendNotificationWithContext(ctx, body, &webpush.Subscription{Endpoint: sub.Endpoint,
			Keys: webpush.Keys{P256dh: sub.P256dh, Auth: sub.Auth}}, &webpush.Options{
			HTTPClient: s.client, Subscriber: strings.TrimPrefix(s.o.Keys.Subject, "mailto:"), // the library adds mailto: to anything not https: TTL: int(s.o.TTL.Seconds()), Urgency: webpush.UrgencyNormal,
			VAPIDPublicKey: s.o.Keys.Public, VAPIDPrivateKey: s.o.Keys.Private})
		if err != nil {
			s.log.Warn("push: not sent", "device", sub.ID, "err", err)
			continue
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		_ = resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
			if err := s.remove(ctx, j.user, sub.ID); err != nil {
				s.log.Warn("push: expired device not removed", "device", sub.ID, "err", err)
			}
		case resp.StatusCode >= 300:
			s.log.Warn("push: refused by the push service", "device", sub.ID, "status", resp.StatusCode)
		}
	}
}
