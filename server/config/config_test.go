package config_test

import (
	"errors"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/config"
)

// env is a getenv over a map built from name, value pairs; later pairs win.
func env(base map[string]string, kv ...string) func(string) string {
	m := maps.Clone(base)
	if m == nil {
		m = map[string]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// errVars lists the variables an error from Load names, in order.
func errVars(err error) []string {
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else if err != nil {
		errs = []error{err}
	}
	var out []string
	for _, e := range errs {
		var fe config.FieldError
		if errors.As(e, &fe) {
			out = append(out, fe.Var)
		} else {
			out = append(out, "not a FieldError: "+e.Error())
		}
	}
	return out
}

var production = map[string]string{
	"PLEIN_MODE":         "production",
	"PLEIN_BASE_URL":     "https://plein.example.nl",
	"OIDC_ISSUER":        "https://id.example.nl/realms/zorg",
	"OIDC_CLIENT_SECRET": "secret",
}

func TestDefaultsInDevelopment(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	wantDir, _ := filepath.Abs("./data")
	checks := []struct {
		name      string
		got, want any
	}{
		{"Mode", c.Mode, config.Development},
		{"ListenAddr", c.ListenAddr, "127.0.0.1:8080"},
		{"BaseURL", c.BaseURL.String(), "http://127.0.0.1:8080"},
		{"DataDir", c.DataDir, wantDir},
		{"MongoURI", c.MongoURI, ""},
		{"MongoDatabase", c.MongoDatabase, "plein"},
		{"RedisURL", c.RedisURL, ""},
		{"OIDCIssuer", c.OIDCIssuer, ""},
		{"OIDCClientID", c.OIDCClientID, "plein"},
		{"OIDCGroupsClaim", c.OIDCGroupsClaim, "groups"},
		{"RoleGroupPrefix", c.RoleGroupPrefix, "plein-role-"},
		{"TeamGroupPrefix", c.TeamGroupPrefix, "plein-team-"},
		{"SessionIdle", c.SessionIdle, 8 * time.Hour},
		{"SessionAbsolute", c.SessionAbsolute, 72 * time.Hour},
		{"MaxBodyBytes", c.MaxBodyBytes, int64(1 << 20)},
		{"TrustedProxies", len(c.TrustedProxies), 0},
		{"SeedDemo", c.SeedDemo, true},
		{"LogLevel", c.LogLevel, "info"},
		{"DevIdP()", c.DevIdP(), true},
		{"Issuer()", c.Issuer(), "http://127.0.0.1:8080/dev-idp"},
		{"SecureCookies()", c.SecureCookies(), false},
		{"Retention", c.Retention, config.Retention{Chat: 365, Posts: 730, Documents: 0, Notifications: 90, AccessLog: 1827, LoginAttempts: 1}},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestValidValues(t *testing.T) {
	c, err := config.Load(env(nil,
		"PLEIN_BASE_URL", "https://plein.example.nl/",
		"OIDC_ISSUER", "https://id.example.nl/realms/zorg/",
		"OIDC_CLIENT_SECRET", "s",
		"MONGODB_URI", "mongodb+srv://db.example.nl",
		"REDIS_URL", "rediss://cache.example.nl:6380",
		"PLEIN_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16,::1",
		"PLEIN_SESSION_IDLE", "30m",
		"PLEIN_SESSION_ABSOLUTE", "12h",
		"PLEIN_MAX_BODY_BYTES", "2048",
		"PLEIN_SEED_DEMO", "false",
		"PLEIN_LOG_LEVEL", "debug",
	))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL.String() != "https://plein.example.nl" {
		t.Errorf("BaseURL %q, want the trailing slash dropped", c.BaseURL)
	}
	if c.OIDCIssuer != "https://id.example.nl/realms/zorg" || c.Issuer() != c.OIDCIssuer || c.DevIdP() {
		t.Errorf("issuer %q, Issuer() %q, DevIdP() %v", c.OIDCIssuer, c.Issuer(), c.DevIdP())
	}
	if want := []string{"10.0.0.1", "192.168.0.0/16", "::1"}; !slices.Equal(c.TrustedProxies, want) {
		t.Errorf("TrustedProxies %q, want %q", c.TrustedProxies, want)
	}
	if c.SessionIdle != 30*time.Minute || c.SessionAbsolute != 12*time.Hour || c.MaxBodyBytes != 2048 {
		t.Errorf("idle %v absolute %v body %d", c.SessionIdle, c.SessionAbsolute, c.MaxBodyBytes)
	}
	if c.SeedDemo || c.LogLevel != "debug" || c.MongoURI != "mongodb+srv://db.example.nl" || c.RedisURL != "rediss://cache.example.nl:6380" {
		t.Errorf("seed %v log %q mongo %q redis %q", c.SeedDemo, c.LogLevel, c.MongoURI, c.RedisURL)
	}
}

func TestProduction(t *testing.T) {
	c, err := config.Load(env(production))
	if err != nil {
		t.Fatalf("valid production configuration refused: %v", err)
	}
	if c.SeedDemo || c.DevIdP() || c.Issuer() != production["OIDC_ISSUER"] || !c.SecureCookies() {
		t.Errorf("production: seed %v devIdP %v issuer %q secure cookies %v", c.SeedDemo, c.DevIdP(), c.Issuer(), c.SecureCookies())
	}

	tests := []struct {
		name    string
		kv      []string
		wantVar string
	}{
		{"no issuer (no demo provider)", []string{"OIDC_ISSUER", ""}, "OIDC_ISSUER"},
		{"http issuer", []string{"OIDC_ISSUER", "http://id.example.nl"}, "OIDC_ISSUER"},
		{"http base URL", []string{"PLEIN_BASE_URL", "http://plein.example.nl"}, "PLEIN_BASE_URL"},
		{"demo data", []string{"PLEIN_SEED_DEMO", "true"}, "PLEIN_SEED_DEMO"},
		{"demo data as 1", []string{"PLEIN_SEED_DEMO", "1"}, "PLEIN_SEED_DEMO"},
		{"a moved calendar", []string{"PLEIN_TEST_NOW", "2030-01-01"}, "PLEIN_TEST_NOW"},
		{"loopback push endpoints", []string{"PLEIN_TEST_PUSH_LOOPBACK", "on"}, "PLEIN_TEST_PUSH_LOOPBACK"},
		{"VAPID keys without a subject", []string{"PLEIN_VAPID_PUBLIC_KEY", "BNhJ3-1qUyEyD4Lr0P5bJ0K0cLZ5Q7p6m7mC5qJgk1bZJm8xkz1m2Q8cO4c8b2c3T6Jqkq8w7Vw6m8vXlq8E2A4",
			"PLEIN_VAPID_PRIVATE_KEY", "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"}, "PLEIN_VAPID_SUBJECT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(production, tc.kv...))
			if got := errVars(err); !slices.Equal(got, []string{tc.wantVar}) || c != nil {
				t.Errorf("errors name %q, want exactly %s (err %v)", got, tc.wantVar, err)
			}
		})
	}
}

func TestInvalidValuesNameTheVariable(t *testing.T) {
	tests := []struct {
		name, value string
		want        []string // default: just name
	}{
		{"PLEIN_MODE", "staging", nil},
		{"PLEIN_LISTEN", "8080", nil},
		{"PLEIN_BASE_URL", "https://plein.example.nl/app", nil},
		{"PLEIN_BASE_URL", "https://plein.example.nl?x=1", nil},
		{"PLEIN_BASE_URL", "https://plein.example.nl/?", nil},
		{"PLEIN_BASE_URL", "https://plein.example.nl/#top", nil},
		{"PLEIN_BASE_URL", "https://user:pw@plein.example.nl", nil},
		{"PLEIN_BASE_URL", "ftp://plein.example.nl", nil},
		{"PLEIN_BASE_URL", "plein.example.nl", nil},
		{"MONGODB_URI", "postgres://db.example.nl", nil},
		{"MONGODB_URI", "db.example.nl:27017", nil},
		{"REDIS_URL", "http://cache.example.nl", nil},
		{"OIDC_ISSUER", "id.example.nl", []string{"OIDC_ISSUER", "OIDC_CLIENT_SECRET"}},
		{"OIDC_ISSUER", "https://id.example.nl", []string{"OIDC_CLIENT_SECRET"}}, // secret required with an issuer
		{"PLEIN_SESSION_IDLE", "soon", nil},
		{"PLEIN_SESSION_IDLE", "30s", nil},
		{"PLEIN_SESSION_IDLE", "100h", nil},                                                         // longer than the absolute lifetime
		{"PLEIN_SESSION_ABSOLUTE", "-1h", []string{"PLEIN_SESSION_ABSOLUTE", "PLEIN_SESSION_IDLE"}}, // and now shorter than idle
		{"PLEIN_MAX_BODY_BYTES", "lots", nil},
		{"PLEIN_MAX_BODY_BYTES", "1023", nil},
		{"PLEIN_MAX_BODY_BYTES", "67108865", nil},
		{"PLEIN_TRUSTED_PROXIES", "10.0.0.1,proxy.example.nl", nil},
		{"PLEIN_TRUSTED_PROXIES", "10.0.0.0/33", nil},
		{"PLEIN_SEED_DEMO", "yes", nil},
		{"PLEIN_LOG_LEVEL", "trace", nil},
		{"PLEIN_METRICS_LISTEN", "9090", nil},
		{"PLEIN_RETENTION_CHAT_DAYS", "-1", nil},
		{"PLEIN_RETENTION_POSTS_DAYS", "two years", nil},
		{"PLEIN_RETENTION_ACCESS_LOG_DAYS", "365", nil}, // below the five years of NEN 7513
		{"PLEIN_RETENTION_NOTIFICATIONS_DAYS", "36501", nil},
		{"PLEIN_TEST_NOW", "next year", nil},
		{"PLEIN_VAPID_PUBLIC_KEY", "BAAA", []string{"PLEIN_VAPID_PRIVATE_KEY"}}, // set both or neither
		{"PLEIN_VAPID_SUBJECT", "beheer@example.nl", nil},                       // not a mailto: or https: URL
		{"PLEIN_TEST_PUSH_LOOPBACK", "yes", nil},
		{"PLEIN_TEST_NOW", "2027-13-01", nil},
	}
	for _, tc := range tests {
		want := tc.want
		if want == nil {
			want = []string{tc.name}
		}
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			c, err := config.Load(env(nil, tc.name, tc.value))
			if got := errVars(err); !slices.Equal(got, want) || c != nil {
				t.Fatalf("errors name %q, want exactly %q (err %v)", got, want, err)
			}
			if !strings.Contains(err.Error(), want[0]+": ") {
				t.Errorf("message %q does not name %s", err, want[0])
			}
		})
	}
}

func TestSecureCookies(t *testing.T) {
	tests := []struct {
		base string
		want bool
	}{
		{"http://127.0.0.1:8080", false},
		{"http://localhost:8080", false},
		{"http://[::1]:8080", false},
		{"https://127.0.0.1:8443", true},
		{"https://localhost", true},
		{"https://plein.example.nl", true},
		{"http://192.168.1.10:8080", true},
		{"http://plein.local:8080", true},
		{"http://localhost.example.nl", true},
		{"http://[::2]:8080", true},
	}
	for _, tc := range tests {
		c, err := config.Load(env(nil, "PLEIN_BASE_URL", tc.base))
		if err != nil {
			t.Fatalf("%s: %v", tc.base, err)
		}
		if got := c.SecureCookies(); got != tc.want {
			t.Errorf("development at %s: SecureCookies() = %v, want %v", tc.base, got, tc.want)
		}
	}
	// Load refuses http in production; a Config built otherwise still gets Secure cookies.
	u, _ := url.Parse("http://127.0.0.1:8080")
	if !(&config.Config{Mode: config.Production, BaseURL: u}).SecureCookies() {
		t.Error("production on http loopback: SecureCookies() = false")
	}
}

// TestClock: without PLEIN_TEST_NOW the calendar is the wall clock; with it
// the calendar starts at that date (at today's time of day) and runs on.
func TestClock(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(c.Clock()()); d < 0 || d > time.Minute {
		t.Errorf("default clock is %v off the wall clock", d)
	}
	for _, v := range []string{"2030-03-10", "2030-03-10T08:00:00+01:00"} {
		c, err := config.Load(env(nil, "PLEIN_TEST_NOW", v))
		if err != nil {
			t.Fatal(err)
		}
		clock := c.Clock()
		a := clock()
		if got := a.UTC().Format(time.DateOnly); got != "2030-03-10" {
			t.Errorf("PLEIN_TEST_NOW=%s: clock says %s", v, a)
		}
		if b := clock(); b.Before(a) {
			t.Errorf("PLEIN_TEST_NOW=%s: the clock runs backwards: %s after %s", v, b, a)
		}
	}
}
