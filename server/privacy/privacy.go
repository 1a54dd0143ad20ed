// Package privacy carries out the rights the AVG (GDPR) gives the people
// whose data Plein holds: access (an export of everything held about a
// person), erasure (a departed person's name replaced by a stable pseudonym
// while other people's records stay), and retention (content deleted after
// its configured period).
//
// The package knows no domain. Each domain that holds personal data
// describes itself as a Domain: the collections it keeps, how to export a
// person's data (Holder) and, when it keeps copies of a person's name, how
// to replace them (Pseudonymiser). Retention rules hand the sweeper a
// Sweeper per content type. server/app wires them; a test there fails when a
// collection in the store is claimed by no registered Domain.
package privacy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Holder exports what a domain holds about one person. The value is
// encoded as JSON in the export; it should hold only that person's data
// (and the ids of records it is part of), never other people's content.
type Holder interface {
	PersonalData(ctx context.Context, userID string) (any, error)
}

// HolderFunc adapts a function to Holder.
type HolderFunc func(ctx context.Context, userID string) (any, error)

// PersonalData calls f.
func (f HolderFunc) PersonalData(ctx context.Context, userID string) (any, error) {
	return f(ctx, userID)
}

// Pseudonymiser replaces the copies of a person's name that a domain keeps
// next to their records (author names stored with a message, say) by the
// pseudonym. It must be idempotent: erasure re-runs it after a failure.
type Pseudonymiser interface {
	Pseudonymise(ctx context.Context, userID, pseudonym string) error
}

// PseudonymiserFunc adapts a function to Pseudonymiser.
type PseudonymiserFunc func(ctx context.Context, userID, pseudonym string) error

// Pseudonymise calls f.
func (f PseudonymiserFunc) Pseudonymise(ctx context.Context, userID, pseudonym string) error {
	return f(ctx, userID, pseudonym)
}

// Domain is one domain's share of a person's data.
type Domain struct {
	// Name is the export's section name ("chat", "teamspace", …).
	Name string
	// Collections are the store collections the domain keeps, exactly or as a
	// prefix ending in "*" ("access_log_*"). Used to check that every
	// collection holding data is accounted for.
	Collections []string
	// Holder exports the person's data; nil when the domain only names
	// collections that hold no personal data (see NotPersonal).
	Holder Holder
	// Pseudonymiser, when set, is the domain's erasure step: it replaces
	// stored copies of the person's name, or takes the person off shared
	// lists (team memberships).
	Pseudonymiser Pseudonymiser
}

// Covers reports whether the domain claims the collection.
func (d Domain) Covers(collection string) bool {
	for _, c := range d.Collections {
		if p, ok := strings.CutSuffix(c, "*"); ok {
			if strings.HasPrefix(collection, p) {
				return true
			}
		} else if c == collection {
			return true
		}
	}
	return false
}

// Pseudonym is the stable name that replaces an erased person's name:
// "Oud-medewerker " and four hex digits derived from their id, so the same
// person gets the same pseudonym on every run and every instance.
func Pseudonym(userID string) string {
	h := sha256.Sum256([]byte("plein-pseudonym\x00" + userID))
	return "Oud-medewerker " + strings.ToUpper(hex.EncodeToString(h[:2]))
}

// Export is everything Plein holds about one person.
type Export struct {
	GeneratedAt time.Time      `json:"generatedAt"`
	Subject     Subject        `json:"subject"`
	Sections    map[string]any `json:"sections"`
}

// Subject names the person an export is about.
type Subject struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}
