package push

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// Keys are the server's VAPID key pair (base64url) and the subject push
// services reach the operator at (mailto: or https:).
type Keys struct {
	Public  string `json:"publicKey"`
	Private string `json:"privateKey"`
	Subject string `json:"-"`
}

// keyFile is where development keeps its generated pair, in the data dir.
const keyFile = "vapid.json"

// DevelopmentKeys reads the key pair kept in dir, or generates one and
// keeps it there (mode 0600), so browsers' subscriptions survive a restart.
// With dir "" the pair is for this process only.
func DevelopmentKeys(dir, subject string) (Keys, error) {
	var k Keys
	if dir == "" {
		var err error
		if k.Private, k.Public, err = webpush.GenerateVAPIDKeys(); err != nil {
			return Keys{}, fmt.Errorf("push: generate VAPID keys: %w", err)
		}
		k.Subject = subject
		return k, nil
	}
	path := filepath.Join(dir, keyFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &k); err != nil || k.Public == "" || k.Private == "" {
			return Keys{}, fmt.Errorf("push: %s is damaged; delete it to generate a new pair", path)
		}
	case errors.Is(err, fs.ErrNotExist):
		k.Private, k.Public, err = webpush.GenerateVAPIDKeys()
		if err != nil {
			return Keys{}, fmt.Errorf("push: generate VAPID keys: %w", err)
		}
		b, _ := json.Marshal(k)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return Keys{}, fmt.Errorf("push: %w", err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return Keys{}, fmt.Errorf("push: keep VAPID keys: %w", err)
		}
	default:
		return Keys{}, fmt.Errorf("push: read VAPID keys: %w", err)
	}
	k.Subject = subject
	return k, nil
}
