package push

import (
	"crypto/ecdh"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
)

// Limits.
const (
	MaxDevices      = 10   // subscriptions per person; the oldest goes when an 11th comes
	MaxEndpoint     = 2048 // bytes
	MaxLabel        = 80   // runes
	DefaultTimeZone = "Europe/Amsterdam"
)

// Languages push messages are written in.
var Languages = []string{"nl", "en"}

// Device is one of a person's push subscriptions as they see it (never the
// endpoint or keys: those are the device's secret with the push service).
type Device struct {
	ID        string    `json:"id"`
	Label     string    `json:"label"`
	CreatedAt time.Time `json:"createdAt"`
}

// DeviceList is GET /push/subscriptions.
type DeviceList struct {
	Items []Device `json:"items"`
}

// SubscribeInput is a browser's PushSubscription (its toJSON()) with a
// label the person recognises ("Chrome op Android") and the language the
// app shows, which push messages follow.
type SubscribeInput struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
	ExpirationTime *int64 `json:"expirationTime"` // accepted and ignored (browsers send null)
	Label          string `json:"label"`
	Language       string `json:"language"`
}

// Validate checks the shape; the endpoint's address rule is the service's
// (it depends on the test option that allows loopback).
func (in *SubscribeInput) Validate() error {
	var v apperr.Validator
	v.Check(in.Endpoint != "", "endpoint", "required", "the subscription's endpoint")
	if _, err := decodeKey(in.Keys.P256dh); err != nil {
		v.Add("keys.p256dh", "push_key_invalid", err.Error())
	}
	if b, err := b64(in.Keys.Auth); err != nil || len(b) != 16 {
		v.Add("keys.auth", "push_key_invalid", "the auth secret must be 16 bytes, base64url")
	}
	v.Check(utf8.RuneCountInString(in.Label) <= MaxLabel, "label", "too_long", fmt.Sprintf("at most %d characters", MaxLabel), apperr.Params{"max": MaxLabel})
	v.Check(in.Language == "" || validLanguage(in.Language), "language", "invalid_choice", "nl or en")
	return v.Err()
}

func validLanguage(l string) bool { return l == "nl" || l == "en" }

// b64 decodes base64url with or without padding (browsers send it without).
func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// decodeKey checks a subscription's public key: an uncompressed point on P-256.
func decodeKey(s string) (*ecdh.PublicKey, error) {
	b, err := b64(s)
	if err != nil || len(b) != 65 {
		return nil, fmt.Errorf("the public key must be an uncompressed P-256 point (65 bytes), base64url")
	}
	k, err := ecdh.P256().NewPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("the public key is not a point on P-256")
	}
	return k, nil
}

// deviceID is a subscription's id: the same device subscribing again keeps it.
func deviceID(endpoint string) string {
	h := sha256.Sum256([]byte(endpoint))
	return hex.EncodeToString(h[:12])
}

// checkEndpoint applies the address rule (docs/security.md, "Web Push"): an
// https URL with a host name or a public address, no credentials, on the
// default port or any port. allowLoopback (tests only) also accepts
// http://127.0.0.1 and http://[::1].
func checkEndpoint(raw string, allowLoopback bool) error {
	bad := func(msg string) error { return apperr.Invalid("endpoint", "push_endpoint_refused", msg) }
	if len(raw) > MaxEndpoint {
		return apperr.Invalid("endpoint", "too_long", fmt.Sprintf("at most %d bytes", MaxEndpoint), apperr.Params{"max": MaxEndpoint})
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return bad("an absolute https URL without user name or fragment")
	}
	host := u.Hostname()
	ip, ipErr := netip.ParseAddr(host)
	if allowLoopback && ipErr == nil && ip.IsLoopback() && (u.Scheme == "http" || u.Scheme == "https") {
		return nil
	}
	if u.Scheme != "https" {
		return bad("push endpoints must use https")
	}
	if ipErr == nil {
		if !publicAddr(ip) {
			return bad("push endpoints must not point at a private, loopback or link-local address")
		}
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") ||
		strings.HasSuffix(host, ".internal") || !strings.Contains(host, ".") {
		return bad("push endpoints must be on a public host name")
	}
	return nil
}

// publicAddr: not loopback, private (RFC 1918, ULA), link-local, multicast,
// unspecified, CGNAT (100.64/10) or an IPv4-mapped form of one of them.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || !ip.IsValid() {
		return false
	}
	if ip.Is4() && netip.MustParsePrefix("100.64.0.0/10").Contains(ip) {
		return false
	}
	if ip.Is4() && ip.As4()[0] == 0 {
		return false
	}
	return true
}

// dialAllowed is the dialer's check on the address actually connected to
// (a public host name may resolve to a private address).
func dialAllowed(address string, allowLoopback bool) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("push: not an address: %s", host)
	}
	if publicAddr(ip) || (allowLoopback && ip.Unmap().IsLoopback()) {
		return nil
	}
	return fmt.Errorf("push: refusing to connect to %s (not a public address)", ip)
}

// QuietHours: no push between From and To (local time in TimeZone; From
// after To spans midnight). The notification centre still gets everything.
type QuietHours struct {
	Enabled  bool   `json:"enabled" bson:"on"`
	From     string `json:"from" bson:"from"` // "22:00"
	To       string `json:"to" bson:"to"`     // "07:00"
	TimeZone string `json:"timeZone" bson:"tz"`
}

// Settings are a person's push settings (every device).
type Settings struct {
	QuietHours QuietHours `json:"quietHours"`
	Language   string     `json:"language"`
}

// SettingsInput is PUT /push/settings.
type SettingsInput struct {
	QuietHours *QuietHours `json:"quietHours"`
	Language   *string     `json:"language"`
}

// Validate checks times ("HH:MM"), the time zone and the language.
func (in *SettingsInput) Validate() error {
	var v apperr.Validator
	if q := in.QuietHours; q != nil {
		_, okFrom := clock(q.From)
		_, okTo := clock(q.To)
		v.Check(okFrom, "quietHours.from", "invalid_date", "a time like 22:00")
		v.Check(okTo, "quietHours.to", "invalid_date", "a time like 07:00")
		v.Check(!okFrom || !okTo || q.From != q.To, "quietHours.to", "invalid", "the end must differ from the start")
		if q.TimeZone != "" {
			_, err := time.LoadLocation(q.TimeZone)
			v.Check(err == nil && len(q.TimeZone) <= 64 && q.TimeZone != "Local", "quietHours.timeZone", "invalid_choice", "an IANA time zone such as Europe/Amsterdam")
		}
	}
	if in.Language != nil {
		v.Check(validLanguage(*in.Language), "language", "invalid_choice", "nl or en")
	}
	return v.Err()
}

// clock parses "HH:MM" into minutes after midnight.
func clock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// Quiet reports whether t falls in the quiet hours.
func (q QuietHours) Quiet(t time.Time) bool {
	if !q.Enabled {
		return false
	}
	from, ok1 := clock(q.From)
	to, ok2 := clock(q.To)
	if !ok1 || !ok2 || from == to {
		return false
	}
	loc, err := time.LoadLocation(q.TimeZone)
	if err != nil {
		loc, _ = time.LoadLocation(DefaultTimeZone)
	}
	lt := t.In(loc)
	m := lt.Hour()*60 + lt.Minute()
	if from < to {
		return m >= from && m < to
	}
	return m >= from || m < to
}

// defaultSettings: quiet hours off, 22:00–07:00 Amsterdam when turned on.
func defaultSettings() Settings {
	return Settings{QuietHours: QuietHours{From: "22:00", To: "07:00", TimeZone: DefaultTimeZone}, Language: "nl"}
}
