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
	// OnChange is told after a person's devices changed here (the app
	// appends it to the replicas' change log; every other instance calls
	// Refresh for the person within a second).
	OnChange func(ctx context.Context, user string)
}

// job is one push to send: its outbox document, and the claim when it was
// taken over from another process.
type job struct {
	doc   outDoc
	claim string
}

// Service keeps people's push subscriptions and settings and sends Web
// Push for the notifications it is forwarded. See doc.go.
type Service struct {
	st     *pStore
	o      Options
	log    *slog.Logger
	client *http.Client
	queue  chan job
	out    *outbox
	wake   chan struct{} // the committer has pushes to write

	mu       sync.Mutex
	known    map[string]bool // people with at least one device (loaded at start, then following the change log)
	pending  []job           // forwarded, not yet in the outbox
	inflight map[string]bool // outbox ids this process sends
	busy     int             // pushes pending, queued or being sent
	drained  chan struct{}   // closed when busy is 0
	closed   bool
	stop     chan struct{} // closed by Close: the senders end
	wg       sync.WaitGroup
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
		out: newOutbox(s), wake: make(chan struct{}, 1), inflight: map[string]bool{},
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
	if svc.Enabled() {
		if _, err := svc.Recover(ctx); err != nil {
			svc.log.Warn("push: left-behind pushes not read", "err", err)
		}
	}
	svc.wg.Add(2)
	go svc.committer()
	go svc.sweeper()
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

// Reload re-reads who has devices (at start: a scan of a small
// collection). Afterwards the set follows the change log: see Refresh.
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

// Refresh re-reads whether one person has devices (one point lookup): the
// app calls it for each change another instance logged (Options.OnChange),
// so a device turned on there is used here within a second.
func (s *Service) Refresh(ctx context.Context, user string) error {
	d, err := s.st.load(ctx, user)
	if err != nil {
		return err
	}
	s.setKnown(user, d != nil && len(d.Subs) > 0)
	return nil
}

// HasDevices reports whether this instance knows the person to have a
// device (what Forward goes by).
func (s *Service) HasDevices(user string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.known[user]
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

// changed records a local change of a person's devices here and tells the
// other instances (Options.OnChange).
func (s *Service) changed(ctx context.Context, user string, has bool) {
	s.setKnown(user, has)
	if s.o.OnChange != nil {
		s.o.OnChange(ctx, user)
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

// Subscribe adds (or renews) a device for the person, tied to the login
// session it is turned on in (its end turns push off there: SessionEnded).
// An endpoint another person subscribed before (a shared device) is taken
// from them first, so their pushes never reach it. Re-running after a
// failure half-way completes it.
func (s *Service) Subscribe(ctx context.Context, user, session string, in SubscribeInput) (*Device, error) {
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
	sub := subDoc{ID: id, Endpoint: in.Endpoint, P256dh: in.Keys.P256dh, Auth: in.Keys.Auth, Label: plainLabel(in.Label), At: now, Session: session}
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
	s.changed(ctx, user, true)
	return &Device{ID: id, Label: sub.Label, CreatedAt: now}, nil
}

// SessionEnded turns push off on the devices turned on in a login session
// that ended (a logout, the provider's back-channel logout); session ""
// means every session of the person ("log out everywhere", deactivation,
// erasure): every device. Idempotent.
func (s *Service) SessionEnded(ctx context.Context, user, session string) error {
	return s.removeWhere(ctx, user, func(x subDoc) bool { return session == "" || x.Session == session })
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
	return s.removeWhere(ctx, user, func(x subDoc) bool { return x.ID == id })
}

// removeWhere drops the person's devices that match; a change is told to
// the other instances, nothing is written or told when none matched.
func (s *Service) removeWhere(ctx context.Context, user string, match func(subDoc) bool) error {
	removed := false
	d, err := s.st.update(ctx, user, s.o.Now().UTC(), func(d *userDoc) bool {
		n := len(d.Subs)
		d.Subs = slices.DeleteFunc(d.Subs, match)
		removed = len(d.Subs) != n
		return removed
	})
	if err != nil {
		return err
	}
	if removed {
		s.changed(ctx, user, len(d.Subs) > 0)
	}
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
	s.changed(ctx, user, false)
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
// It never blocks: the push is written to the outbox by the committer
// (in batches) before it is sent, so a restart loses none; when too many
// wait (Options.Queue) it is dropped and logged.
func (s *Service) Forward(_ context.Context, user string, n notify.Notification) {
	if !s.Enabled() {
		return
	}
	s.mu.Lock()
	if s.closed || !s.known[user] {
		s.mu.Unlock()
		return
	}
	if s.busy >= s.o.Queue {
		s.mu.Unlock()
		s.log.Warn("push: queue full, push dropped", "kind", n.Kind)
		return
	}
	s.addBusyLocked()
	j := job{doc: newOutDoc(user, n, s.o.Now().UTC())}
	s.pending = append(s.pending, j)
	s.inflight[j.doc.ID] = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Service) addBusyLocked() {
	if s.busy == 0 {
		s.drained = make(chan struct{})
	}
	s.busy++
}

func (s *Service) done(id string) {
	s.mu.Lock()
	delete(s.inflight, id)
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
// or ctx to end; what is left unsent stays in the outbox (the next start,
// or another instance, sends it).
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
			s.send(ctx, j.doc.User, j.doc.notification())
			if err := s.out.done(ctx, j); err != nil {
				s.log.Warn("push: sent push not taken from the outbox", "err", err)
			}
			cancel()
			s.done(j.doc.ID)
		}
	}
}

// send delivers one notification to each of the person's devices, unless
// it is their quiet time. A device the push service calls gone (404, 410)
// is removed.
func (s *Service) send(ctx context.Context, user string, n notify.Notification) {
	d, err := s.st.load(ctx, user)
	if err != nil {
		s.log.Warn("push: devices not read", "err", err)
		return
	}
	if d == nil || len(d.Subs) == 0 {
		s.setKnown(user, false)
		return
	}
	st := d.settings()
	if st.QuietHours.Quiet(s.o.Now()) {
		return
	}
	body, err := json.Marshal(messageFor(n, st.Language))
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
			if err := s.remove(ctx, user, sub.ID); err != nil {
				s.log.Warn("push: expired device not removed", "device", sub.ID, "err", err)
			}
		case resp.StatusCode >= 300:
			s.log.Warn("push: refused by the push service", "device", sub.ID, "status", resp.StatusCode)
		}
	}
}
