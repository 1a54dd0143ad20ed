package push

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	webpush "github.com/SherClockHolmes/webpush-go"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/push/pushtest"
	"github.com/plein/plein/server/store/storetest"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func testKeys(t testing.TB) Keys {
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	return Keys{Public: pub, Private: priv, Subject: "mailto:beheer@example.nl"}
}

// amsterdam: 12:00 in Amsterdam on a winter day.
func amsterdam(hour, minute int) time.Time {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	return time.Date(2026, 12, 7, hour, minute, 0, 0, loc)
}

func newService(t testing.TB, keys Keys) (*Service, *testClock) {
	t.Helper()
	clk := &testClock{t: amsterdam(12, 0)}
	s, err := NewService(context.Background(), storetest.New(t), Options{Keys: keys, AllowLoopback: true, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s, clk
}

func subscribe(t testing.TB, s *Service, user, endpoint string, d *pushtest.Device) *Device {
	t.Helper()
	var in SubscribeInput
	in.Endpoint, in.Label = endpoint, "Chrome op Android"
	in.Keys.P256dh, in.Keys.Auth = d.Keys()
	dev, err := s.Subscribe(context.Background(), user, "sess-"+user, in)
	if err != nil {
		t.Fatal(err)
	}
	return dev
}

func flush(t testing.TB, s *Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

// A mention whose text names a client: what the push service receives is
// encrypted to the device (decrypted here with its key and auth secret), is
// signed with the server's VAPID key, and says who and where only.
func TestPushIsEncryptedSignedAndWithoutContent(t *testing.T) {
	keys := testKeys(t)
	s, _ := newService(t, keys)
	ps := pushtest.NewService(t)
	d := pushtest.NewDevice(t)
	subscribe(t, s, "anouk", ps.URL+"/push/abc", d)

	secret := "Mevrouw Jansen (Dorpsstraat 4) heeft haar insuline niet genomen"
	n := notify.Notification{ID: "anouk:7", Kind: notify.KindMention, Title: "Sanne de Vries noemde je in Den Helder-Centrum",
		Text: secret, Link: "/chat/team-dhc?m=42", Actor: &notify.PersonRef{ID: "sanne", Name: "Sanne de Vries"}, Place: "Den Helder-Centrum"}
	s.Forward(context.Background(), "anouk", n)
	got := ps.Next(t)
	pushtest.CheckVAPID(t, got.Header, keys.Public, keys.Subject, ps.URL)
	if strings.Contains(string(got.Body), "Jansen") || strings.Contains(string(got.Body), "Sanne") {
		t.Fatal("the push body is not encrypted")
	}
	plain, err := d.Decrypt(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m Message
	if err := json.Unmarshal(plain, &m); err != nil {
		t.Fatalf("payload %q: %v", plain, err)
	}
	want := Message{Title: "Sanne noemde je", Body: "in Den Helder-Centrum", URL: "/chat/team-dhc?m=42", Tag: "plein:/chat/team-dhc"}
	if m != want {
		t.Fatalf("push = %+v, want %+v", m, want)
	}
	for _, leak := range []string{"Jansen", "insuline", "Dorpsstraat", "de Vries", n.Title} {
		if strings.Contains(string(plain), leak) {
			t.Fatalf("the push carries %q: %s", leak, plain)
		}
	}

	// The language follows the person's setting.
	en := "en"
	if _, err := s.SetSettings(context.Background(), "anouk", SettingsInput{Language: &en}); err != nil {
		t.Fatal(err)
	}
	s.Forward(context.Background(), "anouk", notify.Notification{Kind: notify.KindMessage, Link: "/chat/dm-1?m=3",
		Actor: &notify.PersonRef{Name: "Sanne de Vries"}})
	plain, err = d.Decrypt(ps.Next(t).Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(plain, &m); err != nil || m.Title != "New message from Sanne" || m.Body != "" || m.URL != "/chat/dm-1?m=3" {
		t.Fatalf("English push: %s", plain)
	}

	// Nobody without a device gets anything.
	s.Forward(context.Background(), "daan", n)
	flush(t, s)
	ps.None(t)
}

// A push service that calls the device gone (410, and 404) removes it; a
// 500 keeps it.
func TestGoneDeviceIsRemoved(t *testing.T) {
	for _, status := range []int{http.StatusGone, http.StatusNotFound} {
		s, _ := newService(t, testKeys(t))
		ps := pushtest.NewService(t)
		subscribe(t, s, "anouk", ps.URL+"/a", pushtest.NewDevice(t))
		keep := subscribe(t, s, "anouk", ps.URL+"/b", pushtest.NewDevice(t))
		ps.Answer("", http.StatusInternalServerError)
		s.Forward(context.Background(), "anouk", notify.Notification{Kind: notify.KindAnnouncement, Link: "/mededelingen/x"})
		flush(t, s)
		if l, _ := s.Devices(context.Background(), "anouk"); len(l.Items) != 2 {
			t.Fatalf("a 500 removed a device: %+v", l.Items)
		}
		for range 2 {
			ps.Next(t)
		}
		ps.Answer("", http.StatusCreated)
		ps.Answer("/a", status) // only /a is gone
		s.Forward(context.Background(), "anouk", notify.Notification{Kind: notify.KindAnnouncement, Link: "/mededelingen/x"})
		flush(t, s)
		l, err := s.Devices(context.Background(), "anouk")
		if err != nil || len(l.Items) != 1 || l.Items[0].ID != keep.ID {
			t.Fatalf("after %d: devices %+v, %v (want only %s)", status, l, err, keep.ID)
		}
	}
}

// During quiet hours nothing is pushed; after them it is. Off by default.
func TestQuietHoursSuppressPush(t *testing.T) {
	s, clk := newService(t, testKeys(t))
	ps := pushtest.NewService(t)
	subscribe(t, s, "anouk", ps.URL+"/q", pushtest.NewDevice(t))
	n := notify.Notification{Kind: notify.KindMention, Link: "/chat/x?m=1"}

	clk.Set(amsterdam(23, 30))
	s.Forward(context.Background(), "anouk", n) // quiet hours are off by default
	ps.Next(t)

	if _, err := s.SetSettings(context.Background(), "anouk", SettingsInput{QuietHours: &QuietHours{Enabled: true, From: "22:00", To: "07:00"}}); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{amsterdam(23, 30), amsterdam(0, 5), amsterdam(6, 59), amsterdam(22, 0)} {
		clk.Set(at)
		s.Forward(context.Background(), "anouk", n)
		flush(t, s)
		ps.None(t)
	}
	clk.Set(amsterdam(7, 0))
	s.Forward(context.Background(), "anouk", n)
	ps.Next(t)
	st, _ := s.Settings(context.Background(), "anouk")
	if st.QuietHours.TimeZone != "Europe/Amsterdam" || !st.QuietHours.Enabled {
		t.Fatalf("settings: %+v", st)
	}
}

func TestQuietHoursWindow(t *testing.T) {
	night := QuietHours{Enabled: true, From: "22:00", To: "07:00", TimeZone: "Europe/Amsterdam"}
	day := QuietHours{Enabled: true, From: "12:00", To: "13:30", TimeZone: "Europe/Amsterdam"}
	cases := []struct {
		q    QuietHours
		at   time.Time
		want bool
	}{
		{night, amsterdam(21, 59), false}, {night, amsterdam(22, 0), true}, {night, amsterdam(3, 0), true},
		{night, amsterdam(7, 0), false}, {day, amsterdam(12, 0), true}, {day, amsterdam(13, 29), true},
		{day, amsterdam(13, 30), false}, {day, amsterdam(11, 0), false},
		// The time zone counts: 21:30 UTC is 22:30 in Amsterdam in winter.
		{night, time.Date(2026, 12, 7, 21, 30, 0, 0, time.UTC), true},
		{QuietHours{From: "22:00", To: "07:00", TimeZone: "Europe/Amsterdam"}, amsterdam(23, 0), false}, // off
	}
	for _, c := range cases {
		if got := c.q.Quiet(c.at); got != c.want {
			t.Errorf("%+v at %s: quiet=%v, want %v", c.q, c.at, got, c.want)
		}
	}
}

// Bad input is refused with the field named, and what was stored stays.
func TestSubscribeRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, testKeys(t))
	ps := pushtest.NewService(t)
	d := pushtest.NewDevice(t)
	kept := subscribe(t, s, "anouk", ps.URL+"/ok", d)
	p256, auth := d.Keys()
	strict, err := NewService(ctx, storetest.New(t), Options{Keys: testKeys(t)}) // no loopback
	if err != nil {
		t.Fatal(err)
	}
	defer strict.Close(ctx)
	cases := []struct {
		svc             *Service
		endpoint, p, a  string
		field, wantCode string
	}{
		{strict, "http://push.example.com/x", p256, auth, "endpoint", "push_endpoint_refused"},
		{strict, ps.URL + "/x", p256, auth, "endpoint", "push_endpoint_refused"},
		{strict, "https://10.1.2.3/x", p256, auth, "endpoint", "push_endpoint_refused"},
		{strict, "https://[fd00::1]/x", p256, auth, "endpoint", "push_endpoint_refused"},
		{strict, "https://169.254.169.254/latest", p256, auth, "endpoint", "push_endpoint_refused"},
		{strict, "https://localhost/x", p256, auth, "endpoint", "push_endpoint_refused"},
		{strict, "https://user:pw@push.example.com/x", p256, auth, "endpoint", "push_endpoint_refused"},
		{s, "", p256, auth, "endpoint", "required"},
		{s, ps.URL + "/y", "AAAA", auth, "keys.p256dh", "push_key_invalid"},
		{s, ps.URL + "/y", p256[:len(p256)-2] + "AA", auth, "keys.p256dh", "push_key_invalid"}, // not on the curve
		{s, ps.URL + "/y", p256, "c2hvcnQ", "keys.auth", "push_key_invalid"},
	}
	for _, c := range cases {
		var in SubscribeInput
		in.Endpoint, in.Keys.P256dh, in.Keys.Auth = c.endpoint, c.p, c.a
		_, err := c.svc.Subscribe(ctx, "anouk", "sess-anouk", in)
		var ve *apperr.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) == 0 || ve.Fields[0].Field != c.field || string(ve.Fields[0].Code) != c.wantCode {
			t.Errorf("%s %s: %v, want %s on %s", c.endpoint, c.p, err, c.wantCode, c.field)
		}
	}
	l, _ := s.Devices(ctx, "anouk")
	if len(l.Items) != 1 || l.Items[0].ID != kept.ID {
		t.Fatalf("devices after bad input: %+v", l.Items)
	}
	if _, err := strict.Subscribe(ctx, "anouk", "", SubscribeInput{Endpoint: "https://fcm.googleapis.com/fcm/send/x", Keys: struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	}{p256, auth}}); err != nil {
		t.Fatalf("a public push service: %v", err)
	}
	// Without keys push is off.
	off, err := NewService(ctx, storetest.New(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close(ctx)
	if _, err := off.Subscribe(ctx, "anouk", "", SubscribeInput{}); apperr.CodeOf(err, "") != "push_off" {
		t.Fatalf("push off: %v", err)
	}
}

// The client refuses to connect to non-public addresses, whatever the
// name resolved to; with the test option loopback is allowed.
func TestClientRefusesPrivateAddresses(t *testing.T) {
	for addr, ok := range map[string]bool{"10.0.0.1:443": false, "127.0.0.1:443": false, "[::1]:443": false,
		"169.254.169.254:80": false, "100.64.1.1:443": false, "[::ffff:192.168.1.1]:443": false, "0.0.0.0:443": false,
		"142.250.74.10:443": true, "[2a00:1450:400e:80c::200a]:443": true} {
		if err := dialAllowed(addr, false); (err == nil) != ok {
			t.Errorf("%s: %v, want allowed=%v", addr, err, ok)
		}
	}
	ps := pushtest.NewService(t)
	if _, err := safeClient(false).Get(ps.URL); err == nil || !strings.Contains(err.Error(), "not a public address") {
		t.Fatalf("the production client reached loopback: %v", err)
	}
	if resp, err := safeClient(true).Post(ps.URL, "text/plain", nil); err != nil {
		t.Fatalf("the test client: %v", err)
	} else {
		resp.Body.Close()
	}
}

// A shared device: when another person subscribes the same endpoint, it is
// no longer the first person's, and their pushes stop going there. Nobody
// removes another person's device by id.
func TestDeviceBelongsToTheLastPerson(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t, testKeys(t))
	ps := pushtest.NewService(t)
	d := pushtest.NewDevice(t)
	mine := subscribe(t, s, "anouk", ps.URL+"/tablet", d)
	if err := s.Unsubscribe(ctx, "daan", mine.ID); apperr.CodeOf(err, "") != "not_found" {
		t.Fatalf("daan removed anouk's device: %v", err)
	}
	subscribe(t, s, "daan", ps.URL+"/tablet", d)
	if l, _ := s.Devices(ctx, "anouk"); len(l.Items) != 0 {
		t.Fatalf("anouk still has the shared tablet: %+v", l.Items)
	}
	s.Forward(ctx, "anouk", notify.Notification{Kind: notify.KindMention})
	flush(t, s)
	ps.None(t)
	if err := s.Unsubscribe(ctx, "daan", mine.ID); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.Devices(ctx, "daan"); len(l.Items) != 0 {
		t.Fatalf("daan's device stayed: %+v", l.Items)
	}
	// Settings input.
	for _, in := range []SettingsInput{{QuietHours: &QuietHours{From: "25:00", To: "07:00"}}, {QuietHours: &QuietHours{From: "22:00", To: "22:00"}},
		{QuietHours: &QuietHours{From: "22:00", To: "07:00", TimeZone: "Mars/Olympus"}}, {Language: ptr("fr")}} {
		var ve *apperr.ValidationError
		if _, err := s.SetSettings(ctx, "anouk", in); !errors.As(err, &ve) {
			t.Errorf("%+v accepted: %v", in, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestDevelopmentKeysAreKept(t *testing.T) {
	dir := t.TempDir()
	a, err := DevelopmentKeys(dir, "mailto:x@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	b, err := DevelopmentKeys(dir, "mailto:x@example.nl")
	if err != nil || a != b || a.Public == "" {
		t.Fatalf("second start: %+v %v, first %+v", b, err, a)
	}
}

// A session's end turns push off on the devices turned on in it: the
// person's other devices keep it; the end of every session removes all.
// Each change is told to OnChange (the app's change log).
func TestSessionEndTurnsItsDevicesOff(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	var told []string
	s, err := NewService(ctx, storetest.New(t), Options{Keys: testKeys(t), AllowLoopback: true,
		OnChange: func(_ context.Context, user string) { mu.Lock(); told = append(told, user); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ps := pushtest.NewService(t)
	on := func(endpoint, session string) *Device {
		var in SubscribeInput
		in.Endpoint = ps.URL + endpoint
		in.Keys.P256dh, in.Keys.Auth = pushtest.NewDevice(t).Keys()
		d, err := s.Subscribe(ctx, "anouk", session, in)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	on("/phone", "s-phone")
	laptop := on("/laptop", "s-laptop")
	if err := s.SessionEnded(ctx, "anouk", "s-phone"); err != nil {
		t.Fatal(err)
	}
	l, _ := s.Devices(ctx, "anouk")
	if len(l.Items) != 1 || l.Items[0].ID != laptop.ID {
		t.Fatalf("after the phone's logout: %+v", l.Items)
	}
	s.Forward(ctx, "anouk", notify.Notification{Kind: notify.KindMention, Link: "/chat/x"})
	if got := ps.Next(t); got.Path != "/laptop" {
		t.Fatalf("pushed to %s", got.Path)
	}
	flush(t, s)
	ps.None(t)
	// Nobody else's logout touches it; a person without push writes nothing.
	if err := s.SessionEnded(ctx, "sanne", "s-laptop"); err != nil {
		t.Fatal(err)
	}
	if err := s.SessionEnded(ctx, "anouk", ""); err != nil { // log out everywhere
		t.Fatal(err)
	}
	if l, _ := s.Devices(ctx, "anouk"); len(l.Items) != 0 {
		t.Fatalf("after logging out everywhere: %+v", l.Items)
	}
	s.Forward(ctx, "anouk", notify.Notification{Kind: notify.KindMention, Link: "/chat/x"})
	flush(t, s)
	ps.None(t)
	mu.Lock()
	defer mu.Unlock()
	if len(told) != 4 || told[3] != "anouk" || slices.Contains(told, "sanne") {
		t.Fatalf("changes told: %v", told)
	}
}

// Another instance's new device is used once Refresh is called for the
// person (the app does so for each logged change, within a second).
func TestRefreshFollowsAnotherInstance(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	keys := testKeys(t)
	a, err := NewService(ctx, st, Options{Keys: keys, AllowLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	b, err := NewService(ctx, st, Options{Keys: keys, AllowLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(ctx)
	ps := pushtest.NewService(t)
	subscribe(t, a, "anouk", ps.URL+"/a", pushtest.NewDevice(t))
	n := notify.Notification{Kind: notify.KindMention, Link: "/chat/x"}
	b.Forward(ctx, "anouk", n)
	flush(t, b)
	ps.None(t) // b does not know yet
	if err := b.Refresh(ctx, "anouk"); err != nil {
		t.Fatal(err)
	}
	b.Forward(ctx, "anouk", n)
	ps.Next(t)
	if err := a.SessionEnded(ctx, "anouk", ""); err != nil {
		t.Fatal(err)
	}
	if err := b.Refresh(ctx, "anouk"); err != nil {
		t.Fatal(err)
	}
	if b.HasDevices("anouk") {
		t.Fatal("b still thinks anouk has devices")
	}
}

// An event reminder's push names its start time (the domain's PushSubject,
// in the person's language, through the outbox), never the event's title,
// which may name a client; a subject that looks like client data is dropped
// for the generic title, and the outbox never holds it.
func TestEventReminderPushNamesTheTime(t *testing.T) {
	s, _ := newService(t, testKeys(t))
	ps := pushtest.NewService(t)
	d := pushtest.NewDevice(t)
	subscribe(t, s, "anouk", ps.URL+"/push/abc", d)
	next := func() Message {
		t.Helper()
		plain, err := d.Decrypt(ps.Next(t).Body)
		if err != nil {
			t.Fatal(err)
		}
		var m Message
		if err := json.Unmarshal(plain, &m); err != nil {
			t.Fatalf("payload %q: %v", plain, err)
		}
		return m
	}
	reminder := func(subject string) notify.Notification {
		return notify.Notification{Kind: notify.KindEvent, Title: "Straks: Bezoek mevr. Jansen", Text: "maandag 7 december, 14:00–15:00, Teampost",
			Link: "/ruimtes/den-helder-centrum/agenda/e12", Place: "Den Helder-Centrum", PushSubject: subject}
	}
	ctx := context.Background()
	s.Forward(ctx, "anouk", reminder("14:00"))
	if m := next(); m.Title != "Activiteit om 14:00 in je agenda" || m.Body != "in Den Helder-Centrum" || m.URL != "/ruimtes/den-helder-centrum/agenda/e12" ||
		strings.Contains(m.Title+m.Body, "Jansen") {
		t.Fatalf("reminder push %+v", m)
	}
	for _, flagged := range []string{"Bezoek mevr. Jansen BSN 123456782", "Wondzorg Kerkstraat 12, 1781 AB", "Jansen geb. 12-03-1950"} {
		s.Forward(ctx, "anouk", reminder(flagged))
		if m := next(); m.Title != "Activiteit in je agenda" || strings.Contains(m.Title+m.Body, "Jansen") {
			t.Fatalf("a flagged title went out: %+v", m)
		}
	}
	// A new event (no subject) keeps the generic title.
	s.Forward(ctx, "anouk", notify.Notification{Kind: notify.KindEvent, Title: "Nieuw in de agenda: Teamoverleg", Place: "Den Helder-Centrum"})
	if m := next(); m.Title != "Activiteit in je agenda" {
		t.Fatalf("new-event push %+v", m)
	}
	en := "en"
	if _, err := s.SetSettings(ctx, "anouk", SettingsInput{Language: &en}); err != nil {
		t.Fatal(err)
	}
	s.Forward(ctx, "anouk", reminder("09:30"))
	if m := next(); m.Title != "Activity at 09:30 in your calendar" || m.Body != "in Den Helder-Centrum" {
		t.Fatalf("English reminder push %+v", m)
	}
	// The outbox holds the subject only when it may be shown.
	if d := newOutDoc("anouk", reminder("Bezoek BSN 123456782"), time.Now()); d.Subject != "" {
		t.Fatalf("the outbox keeps a flagged title: %+v", d)
	}
}
