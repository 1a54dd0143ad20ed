// Package config reads Plein's configuration from environment variables,
// applies documented defaults and validates the result.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Mode is the run mode: development allows the built-in identity provider and
// seeds demo data; production refuses both.
type Mode string

const (
	Development Mode = "development"
	Production  Mode = "production"
)

// Config is the validated configuration. Every field has an environment
// variable; see Vars for the names, defaults and meaning.
type Config struct {
	Mode          Mode
	ListenAddr    string
	BaseURL       *url.URL
	DataDir       string
	MongoURI      string
	MongoDatabase string
	RedisURL      string

	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	OIDCGroupsClaim  string
	RoleGroupPrefix  string
	TeamGroupPrefix  string

	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	MaxBodyBytes    int64
	TrustedProxies  []string
	SeedDemo        bool
	LogLevel        string
	// MetricsListen, when set, serves /metrics there instead of on the
	// public listener.
	MetricsListen string
	// ChatReceipts: read receipts in chat (off where a works council
	// requires it).
	ChatReceipts bool
	// VAPID identifies this server to browsers' push services (Web Push).
	// Empty keys: generated and kept in the data dir in development; push
	// is off in production.
	VAPIDPublicKey  string
	VAPIDPrivateKey string
	VAPIDSubject    string
	// PushLoopback (development only, tests): push endpoints on the
	// loopback address are accepted, over http too.
	PushLoopback bool

	// Retention is how many days each content type is kept (0: kept); the
	// background sweep enforces it (server/privacy).
	Retention Retention

	// TestNow, when set (development only), is the date the app's calendar
	// starts from instead of today: see Clock.
	TestNow time.Time
	// started is the wall-clock time Load ran, the moment TestNow refers to.
	started time.Time
}

// Var documents one environment variable.
type Var struct {
	Name, Default, Help string
}

// Vars lists every variable Plein reads, in the order docs/operations.md shows them.
var Vars = []Var{
	{"PLEIN_MODE", "development", "development or production. Production refuses the built-in identity provider and demo data."},
	{"PLEIN_LISTEN", "127.0.0.1:8080", "TCP address the HTTP server listens on."},
	{"PLEIN_BASE_URL", "http://127.0.0.1:8080", "Public URL of the site as browsers see it; used for redirects, cookies and the websocket Origin check."},
	{"PLEIN_DATA_DIR", "./data", "Directory for the embedded store's files (used when MONGODB_URI is empty)."},
	{"MONGODB_URI", "", "MongoDB connection string. Empty: embed FerretDB with SQLite files under the data dir."},
	{"MONGODB_DATABASE", "plein", "Database name."},
	{"REDIS_URL", "", "Redis URL for fan-out between instances. Empty: in-process broker (single instance)."},
	{"OIDC_ISSUER", "", "OpenID Connect issuer URL. Empty in development: built-in demo provider at /dev-idp."},
	{"OIDC_CLIENT_ID", "plein", "OIDC client id."},
	{"OIDC_CLIENT_SECRET", "", "OIDC client secret (required with OIDC_ISSUER)."},
	{"OIDC_GROUPS_CLAIM", "groups", "ID-token claim that lists the user's groups."},
	{"OIDC_ROLE_GROUP_PREFIX", "plein-role-", "Groups with this prefix grant the role named by the rest (e.g. plein-role-beheerder)."},
	{"OIDC_TEAM_GROUP_PREFIX", "plein-team-", "Groups with this prefix make the user a member of the team named by the rest."},
	{"PLEIN_SESSION_IDLE", "8h", "Idle timeout of a session."},
	{"PLEIN_SESSION_ABSOLUTE", "72h", "Absolute lifetime of a session."},
	{"PLEIN_MAX_BODY_BYTES", "1048576", "Largest accepted JSON request body in bytes."},
	{"PLEIN_TRUSTED_PROXIES", "", "Comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For is trusted."},
	{"PLEIN_SEED_DEMO", "true in development", "Load the demo organisation on first start. Always false in production."},
	{"PLEIN_LOG_LEVEL", "info", "debug, info, warn or error."},
	{"PLEIN_METRICS_LISTEN", "", "Address for /metrics alone (e.g. 0.0.0.0:9090, reached only by the monitoring system). Empty: /metrics on PLEIN_LISTEN, which suits one machine behind a proxy that keeps it internal."},
	{"PLEIN_RETENTION_CHAT_DAYS", "365", "Days a chat message's text is kept; then it is redacted (the trace stays). 0: kept."},
	{"PLEIN_RETENTION_POSTS_DAYS", "730", "Days a team-space post is kept after its last activity (pinned posts and agreements stay). 0: kept."},
	{"PLEIN_RETENTION_DOCUMENTS_DAYS", "0", "Days a document is kept after its newest version. 0: kept (documents are the team's policies)."},
	{"PLEIN_RETENTION_NOTIFICATIONS_DAYS", "90", "Days a notification's content is kept. 0: kept."},
	{"PLEIN_RETENTION_ACCESS_LOG_DAYS", "1827", "Days the access log is kept: at least 1827 (five years, NEN 7513). 0: kept."},
	{"PLEIN_RETENTION_LOGIN_ATTEMPTS_DAYS", "1", "Days an unfinished login attempt is kept (they expire after 10 minutes)."},
	{"PLEIN_CHAT_READ_RECEIPTS", "on", "on or off: read receipts in chat (ticks, \"gelezen door 9 van 12\"). Off for the whole organisation where the works council requires it."},
	{"PLEIN_VAPID_PUBLIC_KEY", "", "Web Push: the VAPID public key (base64url, uncompressed P-256 point). Empty in development: a key pair is generated and kept in PLEIN_DATA_DIR/vapid.json. Empty in production: push notifications are off."},
	{"PLEIN_VAPID_PRIVATE_KEY", "", "Web Push: the VAPID private key (base64url). Set both keys or neither."},
	{"PLEIN_VAPID_SUBJECT", "mailto:beheer@example.nl in development", "Web Push: how push services reach the operator, a mailto: or https: URL. Required in production when the keys are set."},
	{"PLEIN_TEST_PUSH_LOOPBACK", "off", "Development only, for tests: on accepts Web Push endpoints on 127.0.0.1 and [::1], over http too (the end-to-end suite's loopback push service). Refused in production."},
	{"PLEIN_TEST_NOW", "", "Development only: a date (YYYY-MM-DD) or RFC 3339 time the calendar starts from instead of today, so tests can prove they do not depend on the date. Sessions, tokens, the access log and chat keep the wall clock."},
}

// Retention holds the retention periods in days (0: kept).
type Retention struct {
	Chat, Posts, Documents, Notifications, AccessLog, LoginAttempts int
}

// MinAccessLogDays is the shortest retention of the access log: five
// years (NEN 7513 asks that the log be kept at least five years), counted
// with a leap day.
const MinAccessLogDays = 5*365 + 2

// FieldError names one invalid variable.
type FieldError struct{ Var, Msg string }

func (e FieldError) Error() string { return e.Var + ": " + e.Msg }

// Load reads the configuration through getenv (os.Getenv in main, a map in tests).
func Load(getenv func(string) string) (*Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	c := &Config{
		Mode:             Mode(get("PLEIN_MODE", string(Development))),
		ListenAddr:       get("PLEIN_LISTEN", "127.0.0.1:8080"),
		DataDir:          get("PLEIN_DATA_DIR", "./data"),
		MongoURI:         get("MONGODB_URI", ""),
		MongoDatabase:    get("MONGODB_DATABASE", "plein"),
		RedisURL:         get("REDIS_URL", ""),
		OIDCIssuer:       strings.TrimSuffix(get("OIDC_ISSUER", ""), "/"),
		OIDCClientID:     get("OIDC_CLIENT_ID", "plein"),
		OIDCClientSecret: get("OIDC_CLIENT_SECRET", ""),
		OIDCGroupsClaim:  get("OIDC_GROUPS_CLAIM", "groups"),
		RoleGroupPrefix:  get("OIDC_ROLE_GROUP_PREFIX", "plein-role-"),
		TeamGroupPrefix:  get("OIDC_TEAM_GROUP_PREFIX", "plein-team-"),
		LogLevel:         get("PLEIN_LOG_LEVEL", "info"),
		MetricsListen:    get("PLEIN_METRICS_LISTEN", ""),
	}
	if c.Mode != Development && c.Mode != Production {
		errs = append(errs, FieldError{"PLEIN_MODE", "must be development or production"})
	}
	c.network(get, &errs)
	c.stores(&errs)
	c.login(&errs)
	c.limits(get, &errs)
	c.retention(get, &errs)
	c.features(get, &errs)
	c.vapid(get, &errs)
	c.testNow(get, &errs)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// network reads where Plein listens and the address people reach it at.
func (c *Config) network(get func(string, string) string, errs *[]error) {
	if _, _, err := net.SplitHostPort(c.ListenAddr); err != nil {
		*errs = append(*errs, FieldError{"PLEIN_LISTEN", "must be host:port"})
	}
	if c.MetricsListen != "" {
		if _, _, err := net.SplitHostPort(c.MetricsListen); err != nil || c.MetricsListen == c.ListenAddr {
			*errs = append(*errs, FieldError{"PLEIN_METRICS_LISTEN", "must be host:port, other than PLEIN_LISTEN"})
		}
	}
	base, err := url.Parse(get("PLEIN_BASE_URL", "http://127.0.0.1:8080"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || (base.Path != "" && base.Path != "/") || base.RawQuery != "" || base.ForceQuery || base.Fragment != "" || base.User != nil {
		*errs = append(*errs, FieldError{"PLEIN_BASE_URL", "must be an absolute http(s) URL without path, e.g. https://plein.example.nl"})
	} else {
		base.Path = ""
		c.BaseURL = base
	}
	if c.Mode == Production && c.BaseURL != nil && c.BaseURL.Scheme != "https" {
		*errs = append(*errs, FieldError{"PLEIN_BASE_URL", "must be https in production"})
	}
	if tp := get("PLEIN_TRUSTED_PROXIES", ""); tp != "" {
		for _, p := range strings.Split(tp, ",") {
			p = strings.TrimSpace(p)
			if net.ParseIP(p) == nil {
				if _, _, err := net.ParseCIDR(p); err != nil {
					*errs = append(*errs, FieldError{"PLEIN_TRUSTED_PROXIES", fmt.Sprintf("%q is not an IP or CIDR", p)})
					continue
				}
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
}

// stores checks the data folder, MongoDB and Redis addresses.
func (c *Config) stores(errs *[]error) {
	if abs, err := filepath.Abs(c.DataDir); err == nil {
		c.DataDir = abs
	}
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		*errs = append(*errs, FieldError{"MONGODB_URI", "must start with mongodb:// or mongodb+srv://"})
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		*errs = append(*errs, FieldError{"REDIS_URL", "must start with redis:// or rediss://"})
	}
}

// login checks the identity provider: a real one is required in production.
func (c *Config) login(errs *[]error) {
	if c.OIDCIssuer != "" {
		u, err := url.Parse(c.OIDCIssuer)
		if err != nil || u.Host == "" || (u.Scheme != "https" && !(c.Mode == Development && u.Scheme == "http")) {
			*errs = append(*errs, FieldError{"OIDC_ISSUER", "must be an absolute https URL (http only in development)"})
		}
		if c.OIDCClientSecret == "" {
			*errs = append(*errs, FieldError{"OIDC_CLIENT_SECRET", "is required when OIDC_ISSUER is set"})
		}
	} else if c.Mode == Production {
		*errs = append(*errs, FieldError{"OIDC_ISSUER", "is required in production: the built-in demo identity provider is for development only"})
	}
	if c.OIDCClientID == "" {
		*errs = append(*errs, FieldError{"OIDC_CLIENT_ID", "must not be empty"})
	}
}

// limits reads the session lifetimes and the largest request body.
func (c *Config) limits(get func(string, string) string, errs *[]error) {
	c.SessionIdle = duration(get("PLEIN_SESSION_IDLE", "8h"), "PLEIN_SESSION_IDLE", errs)
	c.SessionAbsolute = duration(get("PLEIN_SESSION_ABSOLUTE", "72h"), "PLEIN_SESSION_ABSOLUTE", errs)
	if c.SessionIdle > c.SessionAbsolute {
		*errs = append(*errs, FieldError{"PLEIN_SESSION_IDLE", "must not exceed PLEIN_SESSION_ABSOLUTE"})
	}
	n, err := strconv.ParseInt(get("PLEIN_MAX_BODY_BYTES", "1048576"), 10, 64)
	if err != nil || n < 1024 || n > 64<<20 {
		*errs = append(*errs, FieldError{"PLEIN_MAX_BODY_BYTES", "must be a number between 1024 and 67108864"})
	}
	c.MaxBodyBytes = n
}

// retention reads how many days each kind of content is kept (0: for ever).
func (c *Config) retention(get func(string, string) string, errs *[]error) {
	days := func(name, def string, min int) int {
		n, err := strconv.Atoi(get(name, def))
		if err != nil || n < 0 || n > 36500 || (n > 0 && n < min) {
			*errs = append(*errs, FieldError{name, fmt.Sprintf("must be 0 or a number of days from %d to 36500", max(min, 1))})
		}
		return n
	}
	c.Retention = Retention{
		Chat:          days("PLEIN_RETENTION_CHAT_DAYS", "365", 1),
		Posts:         days("PLEIN_RETENTION_POSTS_DAYS", "730", 1),
		Documents:     days("PLEIN_RETENTION_DOCUMENTS_DAYS", "0", 1),
		Notifications: days("PLEIN_RETENTION_NOTIFICATIONS_DAYS", "90", 1),
		AccessLog:     days("PLEIN_RETENTION_ACCESS_LOG_DAYS", "1827", MinAccessLogDays),
		LoginAttempts: days("PLEIN_RETENTION_LOGIN_ATTEMPTS_DAYS", "1", 1),
	}
}

// features reads the switches: read receipts, demo data and the log level.
func (c *Config) features(get func(string, string) string, errs *[]error) {
	switch get("PLEIN_CHAT_READ_RECEIPTS", "on") {
	case "on":
		c.ChatReceipts = true
	case "off":
	default:
		*errs = append(*errs, FieldError{"PLEIN_CHAT_READ_RECEIPTS", "must be on or off"})
	}
	switch seed := get("PLEIN_SEED_DEMO", ""); seed {
	case "":
		c.SeedDemo = c.Mode == Development
	case "true", "1":
		c.SeedDemo = true
		if c.Mode == Production {
			*errs = append(*errs, FieldError{"PLEIN_SEED_DEMO", "demo data is never loaded in production"})
		}
	case "false", "0":
	default:
		*errs = append(*errs, FieldError{"PLEIN_SEED_DEMO", "must be true or false"})
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		*errs = append(*errs, FieldError{"PLEIN_LOG_LEVEL", "must be debug, info, warn or error"})
	}
}

// testNow reads the clock tests and demos may set; never in production.
func (c *Config) testNow(get func(string, string) string, errs *[]error) {
	c.started = time.Now()
	tn := get("PLEIN_TEST_NOW", "")
	if tn == "" {
		return
	}
	t, err := parseTestNow(tn)
	switch {
	case err != nil:
		*errs = append(*errs, FieldError{"PLEIN_TEST_NOW", "must be a date like 2027-01-15 or an RFC 3339 time"})
	case c.Mode == Production:
		*errs = append(*errs, FieldError{"PLEIN_TEST_NOW", "is for tests and development only, never in production"})
	default:
		c.TestNow = t
	}
}

// vapid reads the Web Push keys: both or neither, decodable, with a subject
// push services can reach the operator at.
func (c *Config) vapid(get func(string, string) string, errs *[]error) {
	c.VAPIDPublicKey = strings.TrimSpace(get("PLEIN_VAPID_PUBLIC_KEY", ""))
	c.VAPIDPrivateKey = strings.TrimSpace(get("PLEIN_VAPID_PRIVATE_KEY", ""))
	c.VAPIDSubject = strings.TrimSpace(get("PLEIN_VAPID_SUBJECT", ""))
	if (c.VAPIDPublicKey == "") != (c.VAPIDPrivateKey == "") {
		*errs = append(*errs, FieldError{"PLEIN_VAPID_PRIVATE_KEY", "set both VAPID keys or neither"})
		return
	}
	if c.VAPIDPublicKey != "" {
		if b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.VAPIDPublicKey, "=")); err != nil || len(b) != 65 || b[0] != 4 {
			*errs = append(*errs, FieldError{"PLEIN_VAPID_PUBLIC_KEY", "must be a base64url uncompressed P-256 public key (65 bytes)"})
		}
		if b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(c.VAPIDPrivateKey, "=")); err != nil || len(b) != 32 {
			*errs = append(*errs, FieldError{"PLEIN_VAPID_PRIVATE_KEY", "must be a base64url P-256 private key (32 bytes)"})
		}
	}
	switch get("PLEIN_TEST_PUSH_LOOPBACK", "off") {
	case "on":
		c.PushLoopback = true
		if c.Mode == Production {
			*errs = append(*errs, FieldError{"PLEIN_TEST_PUSH_LOOPBACK", "is for tests and development only, never in production"})
		}
	case "off":
	default:
		*errs = append(*errs, FieldError{"PLEIN_TEST_PUSH_LOOPBACK", "must be on or off"})
	}
	switch {
	case c.VAPIDSubject == "" && c.Mode == Development:
		c.VAPIDSubject = "mailto:beheer@example.nl"
	case c.VAPIDSubject == "" && c.VAPIDPublicKey != "":
		*errs = append(*errs, FieldError{"PLEIN_VAPID_SUBJECT", "required with the VAPID keys: a mailto: or https: URL where push services reach the operator"})
	case c.VAPIDSubject != "" && !strings.HasPrefix(c.VAPIDSubject, "mailto:") && !strings.HasPrefix(c.VAPIDSubject, "https://"):
		*errs = append(*errs, FieldError{"PLEIN_VAPID_SUBJECT", "must be a mailto: or https:// URL"})
	}
}

func parseTestNow(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	// A bare date means that day at the wall clock's time of day, so a
	// test run at 23:59 and one at 00:01 see the same weekday arithmetic
	// as the real calendar would.
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, err
	}
	now := time.Now().UTC()
	return d.Add(now.Sub(now.Truncate(24 * time.Hour))), nil
}

// Clock is the app's calendar: time.Now, or with PLEIN_TEST_NOW a clock that
// started at that moment when the configuration was loaded and runs on at
// wall-clock speed. The content domains (figures, articles, team spaces,
// notifications, learning, audits) and the demo seeds read it; identity
// (session timeouts, ID-token checks), the access log and chat transport
// keep the wall clock.
func (c *Config) Clock() func() time.Time {
	if c.TestNow.IsZero() {
		return time.Now
	}
	offset := c.TestNow.Sub(c.started)
	return func() time.Time { return time.Now().Add(offset) }
}

func duration(s, name string, errs *[]error) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute {
		*errs = append(*errs, FieldError{name, "must be a duration of at least 1m, e.g. 8h"})
	}
	return d
}

// DevIdP reports whether the built-in development identity provider runs.
func (c *Config) DevIdP() bool { return c.OIDCIssuer == "" && c.Mode == Development }

// Issuer is the OIDC issuer the relying party talks to.
func (c *Config) Issuer() string {
	if c.DevIdP() {
		return c.BaseURL.String() + DevIdPPath
	}
	return c.OIDCIssuer
}

// DevIdPPath is where the development identity provider is mounted.
const DevIdPPath = "/dev-idp"

// SecureCookies is false only in development on a plain-http loopback base URL.
func (c *Config) SecureCookies() bool {
	if c.BaseURL.Scheme == "https" {
		return true
	}
	if c.Mode != Development {
		return true
	}
	host := c.BaseURL.Hostname()
	if host == "localhost" {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
