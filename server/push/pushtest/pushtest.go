// Package pushtest is a Web Push service on loopback for tests: it records
// each push, answers a chosen status, checks the VAPID header, and decrypts
// aes128gcm payloads (RFC 8291) with a test device's keys, written here
// independently of the library that encrypts them.
package pushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// device is a browser's side of a subscription: its key pair and auth
// secret, as pushManager.subscribe makes them.
type Device struct {
	priv *ecdh.PrivateKey
	auth []byte
}

func NewDevice(t testing.TB) *Device {
	t.Helper()
	k, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	a := make([]byte, 16)
	_, _ = rand.Read(a)
	return &Device{priv: k, auth: a}
}

// Keys are the subscription's keys as a browser sends them (base64url).
func (d *Device) Keys() (p256dh, auth string) {
	return base64.RawURLEncoding.EncodeToString(d.priv.PublicKey().Bytes()), base64.RawURLEncoding.EncodeToString(d.auth)
}

// Decrypt opens an aes128gcm body (RFC 8188 framing, RFC 8291 keys): the
// test's own implementation, independent of the library that encrypted it.
func (d *Device) Decrypt(body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, fmt.Errorf("body too short: %d", len(body))
	}
	salt, rs, idlen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if idlen != 65 || len(body) < 21+idlen {
		return nil, fmt.Errorf("key id length %d, want 65 (the sender's public key)", idlen)
	}
	asPub, err := ecdh.P256().NewPublicKey(body[21 : 21+idlen])
	if err != nil {
		return nil, fmt.Errorf("sender key: %w", err)
	}
	ct := body[21+idlen:]
	if rs < 18 || uint32(len(ct)) > rs {
		return nil, fmt.Errorf("record size %d, ciphertext %d: one record expected", rs, len(ct))
	}
	secret, err := d.priv.ECDH(asPub)
	if err != nil {
		return nil, err
	}
	info := append(append([]byte("WebPush: info\x00"), d.priv.PublicKey().Bytes()...), asPub.Bytes()...)
	ikm, err := hkdf.Key(sha256.New, secret, d.auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	blk, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(blk)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, ct, nil)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	// The last record ends with the delimiter 0x02, then zero padding.
	i := len(plain) - 1
	for i >= 0 && plain[i] == 0 {
		i--
	}
	if i < 0 || plain[i] != 2 {
		return nil, fmt.Errorf("no last-record delimiter")
	}
	return plain[:i], nil
}

// Received is one POST the loopback push service took.
type Received struct {
	Header http.Header
	Body   []byte
	Path   string // the endpoint's path: which device
}

// Service is a push service on loopback: it records each POST and
// answers status (201 unless set).
type Service struct {
	*httptest.Server
	mu     sync.Mutex
	status map[string]int // by path; "" for any other
	got    chan Received
}

// NewService starts a push service on loopback (closed when the test ends).
func NewService(t testing.TB) *Service {
	p := &Service{status: map[string]int{"": http.StatusCreated}, got: make(chan Received, 100)}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		p.got <- Received{r.Header.Clone(), b, r.URL.Path}
		p.mu.Lock()
		st, ok := p.status[r.URL.Path]
		if !ok {
			st = p.status[""]
		}
		p.mu.Unlock()
		w.WriteHeader(st)
	}))
	t.Cleanup(p.Close)
	return p
}

// Answer sets the status for path ("" for every other path).
func (p *Service) Answer(path string, status int) {
	p.mu.Lock()
	p.status[path] = status
	p.mu.Unlock()
}

// Next waits for the next push (bounded).
func (p *Service) Next(t testing.TB) Received {
	t.Helper()
	select {
	case r := <-p.got:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no push reached the push service")
		return Received{}
	}
}

// None checks that nothing arrived (call after Flush).
func (p *Service) None(t testing.TB) {
	t.Helper()
	select {
	case r := <-p.got:
		t.Fatalf("a push arrived: %v", r.Header)
	default:
	}
}

// CheckVAPID verifies the Authorization header: "vapid t=<JWT>, k=<key>",
// the key is the server's, the JWT is ES256-signed by it, for the push
// service's origin, from the configured subject, not expired.
func CheckVAPID(t testing.TB, h http.Header, publicKey, subject, origin string) {
	t.Helper()
	auth := h.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "vapid ")
	if !ok {
		t.Fatalf("Authorization: %q, want vapid", auth)
	}
	var tok, k string
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if v, ok := strings.CutPrefix(part, "t="); ok {
			tok = v
		} else if v, ok := strings.CutPrefix(part, "k="); ok {
			k = v
		}
	}
	if k != strings.TrimRight(publicKey, "=") {
		t.Fatalf("VAPID k=%q, want the server's public key %q", k, publicKey)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(k)
	x, y := elliptic.Unmarshal(elliptic.P256(), raw) //nolint:staticcheck // a test's independent check
	if x == nil {
		t.Fatal("VAPID key is not a P-256 point")
	}
	pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("VAPID token is not a JWT: %q", tok)
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		t.Fatalf("JWT signature: %v (%d bytes)", err, len(sig))
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Fatal("VAPID JWT signature does not verify with the server's key")
	}
	var head struct{ Alg string }
	var claims struct {
		Aud, Sub string
		Exp      int64
	}
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if json.Unmarshal(hb, &head) != nil || json.Unmarshal(cb, &claims) != nil {
		t.Fatalf("JWT not JSON: %s %s", hb, cb)
	}
	if head.Alg != "ES256" || claims.Aud != origin || claims.Sub != subject || claims.Exp <= time.Now().Unix() ||
		claims.Exp > time.Now().Add(24*time.Hour).Unix() {
		t.Fatalf("VAPID JWT: %+v %+v (want aud %s, sub %s, exp within 24 h)", head, claims, origin, subject)
	}
	if h.Get("Content-Encoding") != "aes128gcm" || h.Get("TTL") == "" {
		t.Fatalf("headers: Content-Encoding %q TTL %q", h.Get("Content-Encoding"), h.Get("TTL"))
	}
}
