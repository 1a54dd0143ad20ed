package learning

import (
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// ScanView is a scan as the team and its coach see it. It never holds an
// individual answer: while the scan is open only the number of answers
// shows; a closed scan shows the team profile when at least MinRespondents
// members answered.
type ScanView struct {
	ID             string     `json:"id"`
	TeamID         string     `json:"teamId"`
	Seq            int        `json:"seq"`
	Kind           string     `json:"kind"`
	Open           bool       `json:"open"`
	OpenedAt       time.Time  `json:"openedAt"`
	ClosedAt       *time.Time `json:"closedAt,omitempty"`
	Respondents    int        `json:"respondents"`
	MinRespondents int        `json:"minRespondents"`
	AnsweredByMe   bool       `json:"answeredByMe"`
	Profile        *Profile   `json:"profile"` // nil while open, or with fewer than MinRespondents answers
	TooFew         bool       `json:"tooFew"`  // closed with fewer than MinRespondents answers
	Observation    string     `json:"observation"`
	ObservedPhase  int        `json:"observedPhase"`
	Phase          int        `json:"phase"` // the profile's phase, else the coach's observed phase, else 0
	CanAnswer      bool       `json:"canAnswer"`
	CanManage      bool       `json:"canManage"`
}

func (s *Service) scanView(st *state, a *identity.Actor, x *Scan) ScanView {
	v := ScanView{ID: x.ID, TeamID: x.TeamID, Seq: x.Seq, Kind: x.Kind, Open: x.ClosedAt == nil, OpenedAt: x.OpenedAt, ClosedAt: x.ClosedAt,
		Respondents: len(x.Respondents), MinRespondents: MinRespondents, AnsweredByMe: slices.Contains(x.Respondents, a.UserID),
		Observation: x.Observation, ObservedPhase: x.ObservedPhase}
	if x.ClosedAt != nil {
		if x.Profile != nil && x.Profile.Respondents >= MinRespondents {
			p := *x.Profile
			v.Profile = &p
		} else {
			v.TooFew = true
		}
	}
	v.Phase = scanPhase(x)
	v.CanManage = st.isCoachOf(a, x.TeamID)
	v.CanAnswer = v.Open && !v.AnsweredByMe && s.isMember(a, x.TeamID)
	return v
}

// scanPhase is the phase a closed scan gives the team: the profile's when
// it may be shown, else the coach's observation (0: none).
func scanPhase(x *Scan) int {
	if x.ClosedAt == nil {
		return 0
	}
	if x.Profile != nil && x.Profile.Respondents >= MinRespondents {
		return x.Profile.Phase
	}
	return x.ObservedPhase
}

// scanScore is the maturity score (1–4, one decimal) of a closed scan.
func scanScore(x *Scan) (float64, bool) {
	if x.ClosedAt == nil {
		return 0, false
	}
	if x.Profile != nil && x.Profile.Respondents >= MinRespondents {
		return x.Profile.Mean, true
	}
	if x.ObservedPhase > 0 {
		return float64(x.ObservedPhase), true
	}
	return 0, false
}

// Questionnaire returns the scan's themes and statements.
func (s *Service) Questionnaire(a *identity.Actor) ([]Theme, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	return ScanThemes, nil
}

// Scans lists a team's scans, oldest first (the team and its coach).
func (s *Service) Scans(a *identity.Actor, team string) ([]ScanView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	out := []ScanView{}
	err := s.read(func(st *state) error {
		if _, ok := s.org.TeamName(team); !ok {
			return apperr.NotFound("not_found", "team not found")
		}
		if !s.seesPrivate(st, a, team) {
			return apperr.Forbidden("forbidden", "only the team and its coach see the team's scans")
		}
		tr := st.trajectoryOf(team)
		if tr == nil {
			return nil
		}
		for _, x := range st.trajScans[tr.ID] {
			out = append(out, s.scanView(st, a, x))
		}
		return nil
	})
	return out, err
}

// OpenScanInput opens a scan.
type OpenScanInput struct {
	Kind string `json:"kind"`
}

// OpenScan opens the team's next scan (its coach). One scan is open at a time.
func (s *Service) OpenScan(ctx context.Context, a *identity.Actor, team string, in OpenScanInput) (*ScanView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var tr *Trajectory
	var coach bool
	var prev []*Scan
	_ = s.read(func(st *state) error {
		tr, coach = st.trajectoryOf(team), st.isCoachOf(a, team)
		if tr != nil {
			prev = slices.Clone(st.trajScans[tr.ID])
		}
		return nil
	})
	if tr == nil {
		return nil, apperr.NotFound("not_found", "the team has no learning trajectory")
	}
	if !coach {
		return nil, apperr.Forbidden("forbidden", "only the team's coach opens a scan")
	}
	var v apperr.Validator
	v.Check(in.Kind == ScanStart || in.Kind == ScanQuarter || in.Kind == ScanEnd, "kind", "invalid_choice", "use start, quarter or end")
	if err := v.Err(); err != nil {
		return nil, err
	}
	for _, x := range prev {
		if x.ClosedAt == nil {
			return nil, apperr.Conflict("conflict", "the team already has an open scan; close it first")
		}
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	x := &Scan{ID: ScanID(tr.ID, len(prev)+1), TrajectoryID: tr.ID, TeamID: team, Seq: len(prev) + 1, Kind: in.Kind,
		OpenedAt: s.now().UTC(), Respondents: []string{}}
	dup, err := insert(ctx, s.st.scans, x)
	if err != nil {
		return nil, err
	}
	if dup {
		return nil, apperr.Conflict("stale_version", "a scan was opened meanwhile; reload")
	}
	var out ScanView
	s.commit(ctx, func(st *state) { st.addScan(x); out = s.scanView(st, a, x) }, ref{C: scansColl, ID: x.ID})
	if s.notify != nil {
		members := s.org.MemberIDs(team)
		if len(members) > 0 {
			s.notify(ctx, members, NotifyKind, "Teamscan staat open",
				"Vul de teamscan in: zes vragen, binnen drie minuten. Je antwoorden zijn anoniem; alleen het teamprofiel wordt getoond.",
				"/leren/team/"+team+"/scan", "learning_scan:"+x.ID)
		}
	}
	return &out, nil
}

func (s *Service) scanFor(a *identity.Actor, id string) (*Scan, bool, bool, error) {
	var x *Scan
	var member, coach bool
	err := s.read(func(st *state) error {
		x = st.scans[id]
		if x == nil || !s.seesPrivate(st, a, x.TeamID) {
			return apperr.NotFound("not_found", "scan not found")
		}
		member, coach = s.isMember(a, x.TeamID), st.isCoachOf(a, x.TeamID)
		return nil
	})
	return x, member, coach, err
}

// AnswerInput is one member's answers: per theme the phase (1–4).
type AnswerInput struct {
	Answers map[string]int `json:"answers"`
}

// Answer stores a member's answers to an open scan, once. The answers are
// never returned; they are folded into the profile when the scan closes.
func (s *Service) Answer(ctx context.Context, a *identity.Actor, id string, in AnswerInput) (*ScanView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	x, member, _, err := s.scanFor(a, id)
	if err != nil {
		return nil, err
	}
	if !member {
		return nil, apperr.Forbidden("members_only", "only team members answer the team's scan")
	}
	var v apperr.Validator
	for _, th := range ScanThemes {
		n, ok := in.Answers[th.Key]
		v.Check(ok && n >= 1 && n <= 4, "answers."+th.Key, "invalid_choice", "choose one of the four statements (1–4)")
	}
	for k := range in.Answers {
		v.Check(slices.Contains(themeKeys(), k), "answers."+k, "unknown", "unknown theme")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if x.ClosedAt != nil {
		return nil, apperr.Conflict("conflict", "the scan is closed")
	}
	if slices.Contains(x.Respondents, a.UserID) {
		return nil, apperr.Conflict("conflict", "you already answered this scan")
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// The answer first (its _id makes it once-only), then the respondent;
	// a retry after a failure in between completes the respondent.
	ans := &scanAnswer{ID: x.ID + ":" + a.UserID, ScanID: x.ID, Answers: in.Answers}
	if _, err := insert(ctx, s.st.answers, ans); err != nil {
		return nil, err
	}
	if _, err := s.st.scans.UpdateOne(ctx, byID(x.ID), bson.D{{Key: "$addToSet", Value: bson.D{{Key: "respondents", Value: a.UserID}}}}); err != nil {
		return nil, unavailable("save scan", err)
	}
	var out ScanView
	s.commit(ctx, func(st *state) {
		cur := st.scans[x.ID]
		next := *cur
		if !slices.Contains(cur.Respondents, a.UserID) {
			next.Respondents = append(slices.Clone(cur.Respondents), a.UserID)
		}
		st.addScan(&next)
		out = s.scanView(st, a, &next)
	}, ref{C: scansColl, ID: x.ID})
	return &out, nil
}

// ObservationInput is the coach's observation on a scan.
type ObservationInput struct {
	Observation string `json:"observation"`
	Phase       int    `json:"phase"`
}

// Observe records the coach's observation (the team's coach, open scans).
func (s *Service) Observe(ctx context.Context, a *identity.Actor, id string, in ObservationInput) (*ScanView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	x, _, coach, err := s.scanFor(a, id)
	if err != nil {
		return nil, err
	}
	if !coach {
		return nil, apperr.Forbidden("forbidden", "only the team's coach adds an observation")
	}
	var v apperr.Validator
	in.Observation = checkText(&v, "observation", in.Observation, 0, 4000)
	v.Check(in.Phase >= 0 && in.Phase <= 4, "phase", "invalid", "use 1–4 (0: none)")
	if err := v.Err(); err != nil {
		return nil, err
	}
	if x.ClosedAt != nil {
		return nil, apperr.Conflict("conflict", "a closed scan cannot change")
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := set(ctx, s.st.scans, x.ID, bson.D{{Key: "observation", Value: in.Observation}, {Key: "observedPhase", Value: in.Phase}, {Key: "observedBy", Value: a.UserID}}); err != nil {
		return nil, err
	}
	var out ScanView
	s.commit(ctx, func(st *state) {
		next := *st.scans[x.ID]
		next.Observation, next.ObservedPhase, next.ObservedBy = in.Observation, in.Phase, a.UserID
		st.addScan(&next)
		out = s.scanView(st, a, &next)
	}, ref{C: scansColl, ID: x.ID})
	return &out, nil
}

// ProfileOf folds answers into a profile (nil with fewer than MinRespondents).
func ProfileOf(answers []map[string]int) *Profile {
	if len(answers) < MinRespondents {
		return nil
	}
	p := &Profile{Themes: map[string]float64{}, Respondents: len(answers)}
	var total float64
	for _, th := range ScanThemes {
		var sum float64
		for _, a := range answers {
			sum += float64(a[th.Key])
		}
		m := sum / float64(len(answers))
		p.Themes[th.Key] = math.Round(m*10) / 10
		total += m
	}
	p.Mean = math.Round(total/float64(len(ScanThemes))*10) / 10
	p.Phase = int(math.Max(1, math.Min(4, math.Floor(p.Mean+0.5))))
	return p
}

// Close closes a scan (its coach): the answers become the team profile and
// are deleted. Safe to re-run: a closed scan only has leftover answers removed.
func (s *Service) Close(ctx context.Context, a *identity.Actor, id string) (*ScanView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	x, _, coach, err := s.scanFor(a, id)
	if err != nil {
		return nil, err
	}
	if !coach {
		return nil, apperr.Forbidden("forbidden", "only the team's coach closes a scan")
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if x.ClosedAt == nil {
		var answers []map[string]int
		for _, uid := range x.Respondents {
			var ans scanAnswer
			err := s.st.answers.FindOne(ctx, byID(x.ID+":"+uid)).Decode(&ans)
			if errors.Is(err, mongo.ErrNoDocuments) {
				continue
			}
			if err != nil {
				return nil, unavailable("read scan answers", err)
			}
			answers = append(answers, ans.Answers)
		}
		now := s.now().UTC()
		prof := ProfileOf(answers)
		fields := bson.D{{Key: "closedAt", Value: now}}
		if prof != nil {
			fields = append(fields, bson.E{Key: "profile", Value: prof})
		}
		if err := set(ctx, s.st.scans, x.ID, fields); err != nil {
			return nil, err
		}
		s.commit(ctx, func(st *state) {
			next := *st.scans[x.ID]
			next.ClosedAt, next.Profile = &now, prof
			st.addScan(&next)
		}, ref{C: scansColl, ID: x.ID})
	}
	for _, uid := range x.Respondents {
		if _, err := s.st.answers.DeleteOne(ctx, byID(x.ID+":"+uid)); err != nil {
			s.log.Warn("delete scan answer", "scan", x.ID, "err", err)
		}
	}
	var out ScanView
	_ = s.read(func(st *state) error { out = s.scanView(st, a, st.scans[x.ID]); return nil })
	return &out, nil
}

// scanDue tells whether the team's scan schedule is behind: a scan is due
// at the start, every quarter and at the end of the trajectory; "due" when
// the quarter's scan is missing, "overdue" when it is a month late.
func scanDue(tr *Trajectory, scans []*Scan, now time.Time) string {
	start, ok := ParseMonth(tr.StartMonth)
	if !ok {
		return ""
	}
	for _, x := range scans {
		if x.ClosedAt == nil {
			return "open"
		}
	}
	elapsed := int(MonthOf(now) - start)
	if elapsed < 0 {
		return "ok"
	}
	if elapsed > TrajectoryMonths {
		elapsed = TrajectoryMonths
	}
	q := elapsed / 3 // scans expected so far: q+1 (start, then every quarter)
	due := start + Month(q*3)
	var last *Scan
	if len(scans) > 0 {
		last = scans[len(scans)-1]
	}
	if last != nil && !last.OpenedAt.Before(due.Time()) {
		return "ok"
	}
	if MonthOf(now) > due {
		return "overdue"
	}
	return "due"
}
