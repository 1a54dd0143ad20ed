// Package audits holds the audits of the preconditions for self-directed
// work: versioned templates, quarterly rounds (peer audits between regions,
// internal audits by coordinating district nurses), a fair proposed
// assignment, conducting an audit criterion by criterion (idempotent answers
// from devices that were offline), findings that become actions followed to
// done, and reports.
//
// All state is small (teams × rounds) and held in memory; every write goes
// to the store by _id first and then to memory. Other instances follow
// through a version counter (see Reload).
package audits

import (
	"time"
)

// Score is the outcome of one criterion.
type Score string

// Scores.
const (
	Voldoet     Score = "voldoet"
	Deels       Score = "deels"
	VoldoetNiet Score = "voldoet_niet"
	NietVanToep Score = "nvt"
)

// Round types.
const (
	TypePeer     = "peer"     // a regional manager audits teams of another region
	TypeInternal = "internal" // a coordinating district nurse audits teams of their region
)

// ValidScore reports whether s is a known score.
func ValidScore(s Score) bool {
	return s == Voldoet || s == Deels || s == VoldoetNiet || s == NietVanToep
}

// IsFinding: deels and voldoet niet become findings.
func (s Score) IsFinding() bool { return s == Deels || s == VoldoetNiet }

// value is a criterion's contribution to a theme score (0–1); n.v.t. counts not.
func (s Score) value() (float64, bool) {
	switch s {
	case Voldoet:
		return 1, true
	case Deels:
		return 0.5, true
	case VoldoetNiet:
		return 0, true
	}
	return 0, false
}

// Criterion is one precondition to check.
type Criterion struct {
	Key      string `bson:"key" json:"key"`
	Text     string `bson:"text" json:"text"`
	Guidance string `bson:"guidance" json:"guidance"`
}

// Theme groups criteria.
type Theme struct {
	Key      string      `bson:"key" json:"key"`
	Name     string      `bson:"name" json:"name"`
	Criteria []Criterion `bson:"criteria" json:"criteria"`
}

// Template is one immutable version of an audit template. Its id is
// "<key>:v<version>"; a change is a new version, and an audit keeps the
// version it was started with.
type Template struct {
	ID        string    `bson:"_id" json:"id"`
	Key       string    `bson:"key" json:"key"`
	Version   int       `bson:"version" json:"version"`
	Name      string    `bson:"name" json:"name"`
	Themes    []Theme   `bson:"themes" json:"themes"`
	CreatedAt time.Time `bson:"createdAt" json:"createdAt"`
	CreatedBy string    `bson:"createdBy" json:"createdBy"`
}

func (t *Template) criterion(key string) (Criterion, string, bool) {
	for _, th := range t.Themes {
		for _, c := range th.Criteria {
			if c.Key == key {
				return c, th.Key, true
			}
		}
	}
	return Criterion{}, "", false
}

func (t *Template) criterionCount() int {
	n := 0
	for _, th := range t.Themes {
		n += len(th.Criteria)
	}
	return n
}

// Assignment says who audits which team in a round.
type Assignment struct {
	TeamID    string `bson:"teamId" json:"teamId"`
	AuditorID string `bson:"auditorId" json:"auditorId"`
}

// Round statuses.
const (
	RoundPlanning = "planning" // the assignment can still change
	RoundOpen     = "open"     // audits exist and are being conducted
	RoundClosed   = "closed"
)

// Round is one quarter's audits of one type. Its id is "<type>-<yyyy>-q<n>".
type Round struct {
	ID          string       `bson:"_id" json:"id"`
	Type        string       `bson:"type" json:"type"`
	Quarter     string       `bson:"quarter" json:"quarter"` // 2027-Q1
	Label       string       `bson:"label" json:"label"`     // Q1 2027
	TemplateID  string       `bson:"templateId" json:"templateId"`
	Status      string       `bson:"status" json:"status"`
	Assignments []Assignment `bson:"assignments" json:"assignments"`
	CreatedAt   time.Time    `bson:"createdAt" json:"createdAt"`
	CreatedBy   string       `bson:"createdBy" json:"createdBy"`
}

// Answer is the latest answer to one criterion.
type Answer struct {
	Criterion  string    `bson:"criterion" json:"criterion"`
	Score      Score     `bson:"score" json:"score"`
	Note       string    `bson:"note" json:"note"`
	ClientID   string    `bson:"clientId" json:"clientId"`
	AnsweredAt time.Time `bson:"answeredAt" json:"answeredAt"`
}

// Photo is photo evidence for an answer (never of clients).
type Photo struct {
	ID          string    `bson:"id" json:"id"` // "ph-<clientId>"
	Criterion   string    `bson:"criterion" json:"criterion"`
	Name        string    `bson:"name" json:"name"`
	ContentType string    `bson:"contentType" json:"contentType"`
	Size        int       `bson:"size" json:"size"`
	At          time.Time `bson:"at" json:"at"`
}

// Audit statuses.
const (
	AuditAssigned   = "assigned"
	AuditInProgress = "in_progress"
	AuditFinished   = "finished"
)

// Audit is one team's audit in a round; id "<round>:<team>". Once finished it
// never changes: corrections are separate, linked records.
type Audit struct {
	ID         string            `bson:"_id" json:"id"`
	RoundID    string            `bson:"roundId" json:"roundId"`
	Type       string            `bson:"type" json:"type"`
	Quarter    string            `bson:"quarter" json:"quarter"`
	TemplateID string            `bson:"templateId" json:"templateId"`
	TeamID     string            `bson:"teamId" json:"teamId"`
	RegionID   string            `bson:"regionId" json:"regionId"`
	AuditorID  string            `bson:"auditorId" json:"auditorId"`
	Status     string            `bson:"status" json:"status"`
	Answers    map[string]Answer `bson:"answers" json:"-"`
	ClientIDs  []string          `bson:"clientIds" json:"-"`
	Photos     []Photo           `bson:"photos" json:"-"`
	Summary    string            `bson:"summary" json:"summary"`
	FinishedAt *time.Time        `bson:"finishedAt,omitempty" json:"finishedAt,omitempty"`
	CreatedAt  time.Time         `bson:"createdAt" json:"createdAt"`
}

// Correction changes a finished audit's answer as a new, linked record.
type Correction struct {
	ID        string    `bson:"_id" json:"id"` // "<audit>:<clientId>"
	AuditID   string    `bson:"auditId" json:"auditId"`
	Criterion string    `bson:"criterion" json:"criterion"`
	Score     Score     `bson:"score" json:"score"`
	Note      string    `bson:"note" json:"note"`
	Reason    string    `bson:"reason" json:"reason"`
	By        string    `bson:"by" json:"by"`
	At        time.Time `bson:"at" json:"at"`
}

// Action statuses.
const (
	ActionOpen       = "open"
	ActionInProgress = "in_progress"
	ActionClosed     = "closed"    // the owner closed it with evidence; the auditor confirms
	ActionConfirmed  = "confirmed" // done
)

// Action follows up a finding. Its id is "<audit>:<criterion>:<clientId>".
type Action struct {
	ID            string     `bson:"_id" json:"id"`
	AuditID       string     `bson:"auditId" json:"auditId"`
	FindingID     string     `bson:"findingId" json:"findingId"`
	Criterion     string     `bson:"criterion" json:"criterion"`
	TeamID        string     `bson:"teamId" json:"teamId"`
	RegionID      string     `bson:"regionId" json:"regionId"`
	Title         string     `bson:"title" json:"title"`
	OwnerUserID   string     `bson:"ownerUserId,omitempty" json:"ownerUserId,omitempty"`
	OwnerTeamRole string     `bson:"ownerTeamRole,omitempty" json:"ownerTeamRole,omitempty"`
	Due           string     `bson:"due" json:"due"` // yyyy-mm-dd
	Status        string     `bson:"status" json:"status"`
	Evidence      string     `bson:"evidence" json:"evidence"`
	ClosedBy      string     `bson:"closedBy,omitempty" json:"closedBy,omitempty"`
	ClosedAt      *time.Time `bson:"closedAt,omitempty" json:"closedAt,omitempty"`
	ConfirmedBy   string     `bson:"confirmedBy,omitempty" json:"confirmedBy,omitempty"`
	ConfirmedAt   *time.Time `bson:"confirmedAt,omitempty" json:"confirmedAt,omitempty"`
	ReopenNote    string     `bson:"reopenNote,omitempty" json:"reopenNote,omitempty"`
	CreatedBy     string     `bson:"createdBy" json:"createdBy"`
	CreatedAt     time.Time  `bson:"createdAt" json:"createdAt"`
	UpdatedAt     time.Time  `bson:"updatedAt" json:"updatedAt"`
}

// Done reports whether nothing is left to do.
func (a *Action) Done() bool { return a.Status == ActionConfirmed }

// Auditor ties a regional manager or coordinating district nurse to the
// region they are responsible for (the organisation has no such link).
type Auditor struct {
	UserID   string `bson:"_id" json:"userId"`
	RegionID string `bson:"regionId" json:"regionId"`
}

// Quarter helpers ----------------------------------------------------------

// QuarterOf returns "2027-Q1" for a time.
func QuarterOf(t time.Time) string {
	t = t.UTC()
	return quarterString(t.Year(), (int(t.Month())-1)/3+1)
}

func quarterString(y, q int) string {
	return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") + "-Q" + string(rune('0'+q))
}

// ParseQuarter parses "2027-Q1".
func ParseQuarter(s string) (year, q int, ok bool) {
	if len(s) != 7 || s[4:6] != "-Q" || s[6] < '1' || s[6] > '4' {
		return 0, 0, false
	}
	t, err := time.Parse("2006", s[:4])
	if err != nil {
		return 0, 0, false
	}
	return t.Year(), int(s[6] - '0'), true
}

// AddQuarters moves a quarter label by n quarters.
func AddQuarters(s string, n int) string {
	y, q, ok := ParseQuarter(s)
	if !ok {
		return s
	}
	i := y*4 + (q - 1) + n
	return quarterString(i/4, i%4+1)
}

// QuarterLabel writes "2027-Q1" as "Q1 2027".
func QuarterLabel(s string) string {
	if _, _, ok := ParseQuarter(s); !ok {
		return s
	}
	return s[5:] + " " + s[:4]
}

// RoundID is "<type>-<yyyy>-q<n>".
func RoundID(typ, quarter string) string {
	return typ + "-" + quarter[:4] + "-q" + quarter[6:]
}

// AuditID is "<round>:<team>".
func AuditID(roundID, teamID string) string { return roundID + ":" + teamID }

// FindingID is "<audit>:<criterion>".
func FindingID(auditID, criterion string) string { return auditID + ":" + criterion }
