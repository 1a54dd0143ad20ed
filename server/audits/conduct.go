package audits

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/photo"
	"github.com/plein/plein/server/store/blob"
)

// MaxPhotoBytes is the largest photo accepted as evidence.
const MaxPhotoBytes = 8 << 20

var clientIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// ValidClientID: ids devices generate (a UUID or similar).
func ValidClientID(s string) bool { return clientIDRE.MatchString(s) }

// AuditView is an audit as lists and the detail page show it.
type AuditView struct {
	ID          string     `json:"id"`
	RoundID     string     `json:"roundId"`
	RoundLabel  string     `json:"roundLabel"`
	Type        string     `json:"type"`
	Quarter     string     `json:"quarter"`
	TemplateID  string     `json:"templateId"`
	TeamID      string     `json:"teamId"`
	TeamName    string     `json:"teamName"`
	RegionID    string     `json:"regionId"`
	RegionName  string     `json:"regionName"`
	AuditorID   string     `json:"auditorId"`
	AuditorName string     `json:"auditorName"`
	Status      string     `json:"status"`
	Summary     string     `json:"summary"`
	FinishedAt  *time.Time `json:"finishedAt,omitempty"`
	Answered    int        `json:"answered"`
	Total       int        `json:"total"`
	Findings    int        `json:"findings"`
	OpenActions int        `json:"openActions"`

	// Detail only.
	Template    *Template       `json:"template,omitempty"`
	Answers     []Answer        `json:"answers,omitempty"`
	Photos      []Photo         `json:"photos,omitempty"`
	FindingList []Finding       `json:"findingList,omitempty"`
	Actions     []ActionView    `json:"actions,omitempty"`
	Corrections []Correction    `json:"corrections,omitempty"`
	Can         *AuditAbilities `json:"can,omitempty"`
}

// AuditAbilities tell the web app which buttons to show (the server checks again).
type AuditAbilities struct {
	Conduct   bool `json:"conduct"`
	AddAction bool `json:"addAction"`
	Correct   bool `json:"correct"`
}

// Finding is a criterion scored deels or voldoet niet in a finished audit.
type Finding struct {
	ID            string `json:"id"`
	AuditID       string `json:"auditId"`
	TeamID        string `json:"teamId"`
	TeamName      string `json:"teamName"`
	RoundLabel    string `json:"roundLabel"`
	Criterion     string `json:"criterion"`
	CriterionText string `json:"criterionText"`
	ThemeKey      string `json:"themeKey"`
	ThemeName     string `json:"themeName"`
	Score         Score  `json:"score"`
	Note          string `json:"note"`
	Corrected     bool   `json:"corrected"`
	Open          bool   `json:"open"` // no actions yet, or some not confirmed
}

// effectiveAnswers are the answers with the latest correction of each
// criterion applied (a finished audit itself never changes).
func (s *Service) effectiveAnswers(au *Audit) (map[string]Answer, map[string]bool) {
	out := make(map[string]Answer, len(au.Answers))
	for k, v := range au.Answers {
		out[k] = v
	}
	corrected := map[string]bool{}
	for _, c := range s.corr[au.ID] {
		a := out[c.Criterion]
		a.Criterion, a.Score, a.Note = c.Criterion, c.Score, c.Note
		out[c.Criterion] = a
		corrected[c.Criterion] = true
	}
	return out, corrected
}

type derived struct {
	scores   map[string]*float64
	total    *float64
	findings []Finding // Open not set
}

type derivedKey struct {
	au *Audit
	n  int
}

// derivedOf returns a finished audit's theme scores and findings, computed
// once; caller holds s.mu (read).
func (s *Service) derivedOf(au *Audit, d *directory) *derived {
	key := derivedKey{au, len(s.corr[au.ID])}
	if v, ok := s.derived.Load(key); ok {
		return v.(*derived)
	}
	tpl := s.tpl[au.TemplateID]
	dv := &derived{scores: map[string]*float64{}}
	if tpl != nil {
		dv.scores, dv.total = s.computeScores(au, tpl)
		ans, corrected := s.effectiveAnswers(au)
		for _, th := range tpl.Themes {
			for _, c := range th.Criteria {
				a, ok := ans[c.Key]
				if !ok || !a.Score.IsFinding() {
					continue
				}
				dv.findings = append(dv.findings, Finding{ID: FindingID(au.ID, c.Key), AuditID: au.ID, TeamID: au.TeamID, TeamName: d.teams[au.TeamID].Name,
					RoundLabel: QuarterLabel(au.Quarter), Criterion: c.Key, CriterionText: c.Text, ThemeKey: th.Key, ThemeName: th.Name,
					Score: a.Score, Note: a.Note, Corrected: corrected[c.Key]})
			}
		}
	}
	if au.Status == AuditFinished {
		s.derived.Store(key, dv)
	}
	return dv
}

// findingsOf a finished audit, with whether each is still open (no actions
// yet, or some not confirmed); caller holds s.mu (read).
func (s *Service) findingsOf(au *Audit, d *directory, actionsByAudit map[string][]*Action) []Finding {
	if au.Status != AuditFinished {
		return nil
	}
	out := slices.Clone(s.derivedOf(au, d).findings)
	for i := range out {
		n, done := 0, 0
		for _, act := range actionsByAudit[au.ID] {
			if act.Criterion == out[i].Criterion {
				n++
				if act.Done() {
					done++
				}
			}
		}
		out[i].Open = n == 0 || done < n
	}
	return out
}

// findingCount is the number of findings of a finished audit; caller holds s.mu (read).
func (s *Service) findingCount(au *Audit, d *directory) int {
	if au.Status != AuditFinished {
		return 0
	}
	return len(s.derivedOf(au, d).findings)
}

// actionsByAudit indexes the actions; rebuilt after a change. Caller holds
// s.mu (read): no writer runs while the index is built and stored.
func (s *Service) actionsByAudit() map[string][]*Action {
	if m := s.actIdx.Load(); m != nil {
		return *m
	}
	m := map[string][]*Action{}
	for _, act := range s.actions {
		m[act.AuditID] = append(m[act.AuditID], act)
	}
	s.actIdx.Store(&m)
	return m
}

// auditView builds the list view; caller holds s.mu (read).
func (s *Service) auditView(au *Audit, d *directory, byAudit map[string][]*Action) AuditView {
	v := AuditView{ID: au.ID, RoundID: au.RoundID, RoundLabel: QuarterLabel(au.Quarter), Type: au.Type, Quarter: au.Quarter,
		TemplateID: au.TemplateID, TeamID: au.TeamID, TeamName: d.teams[au.TeamID].Name, RegionID: au.RegionID,
		RegionName: d.regions[au.RegionID], AuditorID: au.AuditorID, AuditorName: s.name(au.AuditorID), Status: au.Status,
		Summary: au.Summary, FinishedAt: au.FinishedAt, Answered: len(au.Answers)}
	if t := s.tpl[au.TemplateID]; t != nil {
		v.Total = t.criterionCount()
	}
	v.Findings = s.findingCount(au, d)
	for _, act := range byAudit[au.ID] {
		if !act.Done() {
			v.OpenActions++
		}
	}
	return v
}

// AuditQuery filters the audit list.
type AuditQuery struct {
	RoundID, TeamID, RegionID, Status string
}

// List returns the audits the actor may see, newest round first.
func (s *Service) List(a *identity.Actor, q AuditQuery) ([]AuditView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	vw, d := s.viewerOf(a), s.dir()
	s.mu.RLock()
	defer s.mu.RUnlock()
	byAudit := s.actionsByAudit()
	out := []AuditView{}
	for _, au := range s.audits {
		if !vw.seesAudit(au) || (q.RoundID != "" && au.RoundID != q.RoundID) || (q.TeamID != "" && au.TeamID != q.TeamID) ||
			(q.RegionID != "" && au.RegionID != q.RegionID) || (q.Status != "" && au.Status != q.Status) {
			continue
		}
		out = append(out, s.auditView(au, d, byAudit))
	}
	sortAudits(out)
	return out, nil
}

func sortAudits(xs []AuditView) {
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].Quarter != xs[j].Quarter {
			return xs[i].Quarter > xs[j].Quarter
		}
		if xs[i].Type != xs[j].Type {
			return xs[i].Type < xs[j].Type
		}
		return xs[i].TeamName < xs[j].TeamName
	})
}

// lookup returns an audit the actor may see (404 otherwise: who may not see
// it may not learn it exists).
func (s *Service) lookup(a *identity.Actor, id string) (*Audit, *viewer, error) {
	if err := requireActor(a); err != nil {
		return nil, nil, err
	}
	vw := s.viewerOf(a)
	s.mu.RLock()
	au, ok := s.audits[id]
	s.mu.RUnlock()
	if !ok || !vw.seesAudit(au) {
		return nil, nil, apperr.NotFound("not_found", "no such audit")
	}
	return au, vw, nil
}

// Get returns one audit with its template, answers, findings and actions.
func (s *Service) Get(a *identity.Actor, id string) (*AuditView, error) {
	au, vw, err := s.lookup(a, id)
	if err != nil {
		return nil, err
	}
	return s.detail(a, vw, au), nil
}

func (s *Service) detail(a *identity.Actor, vw *viewer, au *Audit) *AuditView {
	d := s.dir()
	s.mu.RLock()
	byAudit := s.actionsByAudit()
	v := s.auditView(au, d, byAudit)
	if t := s.tpl[au.TemplateID]; t != nil {
		c := *t
		v.Template = &c
	}
	v.Answers = []Answer{}
	for _, x := range au.Answers {
		v.Answers = append(v.Answers, x)
	}
	sort.Slice(v.Answers, func(i, j int) bool { return v.Answers[i].Criterion < v.Answers[j].Criterion })
	v.Photos = append([]Photo{}, au.Photos...)
	v.FindingList = s.findingsOf(au, d, byAudit)
	for _, c := range s.corr[au.ID] {
		v.Corrections = append(v.Corrections, *c)
	}
	acts := slices.Clone(byAudit[au.ID])
	s.mu.RUnlock()
	sort.Slice(acts, func(i, j int) bool { return acts[i].CreatedAt.Before(acts[j].CreatedAt) })
	for _, act := range acts {
		v.Actions = append(v.Actions, s.actionView(a, act, au, d))
	}
	v.Can = &AuditAbilities{
		Conduct:   au.Status != AuditFinished && au.AuditorID == a.UserID,
		AddAction: au.Status == AuditFinished && s.canAddAction(vw, au),
		Correct:   au.Status == AuditFinished && (au.AuditorID == a.UserID || vw.all),
	}
	return &v
}

func (s *Service) canAddAction(vw *viewer, au *Audit) bool {
	return vw.all || au.AuditorID == vw.a.UserID || vw.teams[au.TeamID] || (vw.region != "" && vw.region == au.RegionID)
}

// ---------------------------------------------------------------------------
// Answers

// AnswerInput is one answer from a device; ClientID makes it idempotent.
type AnswerInput struct {
	ClientID  string `json:"clientId"`
	Criterion string `json:"criterion"`
	Score     Score  `json:"score"`
	Note      string `json:"note"`
}

// AnswersInput is a batch (a device sends what it kept while offline).
type AnswersInput struct {
	Answers []AnswerInput `json:"answers"`
}

// Validate checks the shape.
func (in *AnswersInput) Validate() error {
	var v apperr.Validator
	v.Check(len(in.Answers) >= 1 && len(in.Answers) <= 200, "answers", "count", "1 to 200 answers", apperr.Params{"min": 1, "max": 200})
	for i, x := range in.Answers {
		f := fmt.Sprintf("answers[%d]", i)
		v.Check(ValidClientID(x.ClientID), f+".clientId", "invalid", "8 to 64 letters, digits, - or _")
		v.Check(x.Criterion != "", f+".criterion", "required", "required")
		v.Check(ValidScore(x.Score), f+".score", "invalid_choice", "use voldoet, deels, voldoet_niet or nvt")
		v.Check(utf8.RuneCountInString(x.Note) <= 2000, f+".note", "too_long", "at most 2000 characters", apperr.Params{"max": 2000})
	}
	return v.Err()
}

// AnswerResult says what a batch did.
type AnswerResult struct {
	Applied    int        `json:"applied"`
	Duplicates int        `json:"duplicates"`
	Audit      *AuditView `json:"audit"`
}

// Answer stores a batch of answers. A client id seen before is a resend and
// changes nothing, so a device may send its queue as often as it likes.
func (s *Service) Answer(ctx context.Context, a *identity.Actor, id string, in AnswersInput) (*AnswerResult, error) {
	au, vw, err := s.lookup(a, id)
	if err != nil {
		return nil, err
	}
	if au.AuditorID != a.UserID {
		return nil, apperr.Forbidden("forbidden", "only the auditor answers")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	au = s.audits[id]
	tpl := s.tpl[au.TemplateID]
	s.mu.RUnlock()
	var fresh []AnswerInput
	dup := 0
	seen := map[string]bool{}
	var v apperr.Validator
	for i, x := range in.Answers {
		if _, _, ok := tpl.criterion(x.Criterion); !ok {
			v.Add(fmt.Sprintf("answers[%d].criterion", i), "unknown", "not a criterion of this audit's template")
		}
		if slices.Contains(au.ClientIDs, x.ClientID) || seen[x.ClientID] {
			dup++
			continue
		}
		seen[x.ClientID] = true
		fresh = append(fresh, x)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if len(fresh) > 0 && au.Status == AuditFinished {
		return nil, apperr.Conflict("audit_finished", "the audit is finished; use a correction")
	}
	next := *au
	next.Answers = make(map[string]Answer, len(au.Answers)+len(fresh))
	for k, x := range au.Answers {
		next.Answers[k] = x
	}
	next.ClientIDs = slices.Clone(au.ClientIDs)
	for _, x := range fresh {
		ans := Answer{Criterion: x.Criterion, Score: x.Score, Note: strings.TrimSpace(x.Note), ClientID: x.ClientID, AnsweredAt: s.now().UTC()}
		if err := s.st.setAnswer(ctx, id, ans, AuditInProgress); err != nil {
			return nil, err
		}
		next.Answers[x.Criterion] = ans
		next.ClientIDs = append(next.ClientIDs, x.ClientID)
		next.Status = AuditInProgress
	}
	if len(fresh) > 0 {
		s.mu.Lock()
		s.audits[id] = &next
		s.mu.Unlock()
		s.changed(ctx, ref{C: auditsColl, ID: id})
	}
	return &AnswerResult{Applied: len(fresh), Duplicates: dup, Audit: s.detail(a, vw, &next)}, nil
}

// PhotoInput is an uploaded photo.
type PhotoInput struct {
	Criterion, ClientID, Name string
	Data                      []byte
}

// AddPhoto stores photo evidence (never of clients: the web app warns).
// The photo id follows from the client id, so a resend stores nothing new.
func (s *Service) AddPhoto(ctx context.Context, a *identity.Actor, id string, in PhotoInput) (*Photo, error) {
	au, _, err := s.lookup(a, id)
	if err != nil {
		return nil, err
	}
	if au.AuditorID != a.UserID {
		return nil, apperr.Forbidden("forbidden", "only the auditor adds evidence")
	}
	var v apperr.Validator
	v.Check(ValidClientID(in.ClientID), "clientId", "invalid", "8 to 64 letters, digits, - or _")
	s.mu.RLock()
	tpl := s.tpl[au.TemplateID]
	s.mu.RUnlock()
	_, _, known := tpl.criterion(in.Criterion)
	v.Check(known, "criterion", "unknown", "not a criterion of this audit's template")
	name := cleanName(in.Name)
	ct, ok := blob.Sniff(in.Data, name, blob.Images)
	v.Check(ok && name != "", "file", "file_type_refused", "send a photo: png, jpeg, gif or webp, whose name matches its contents")
	if err := v.Err(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	au = s.audits[id]
	s.mu.RUnlock()
	pid := "ph-" + in.ClientID
	for _, p := range au.Photos {
		if p.ID == pid {
			return &p, nil
		}
	}
	if au.Status == AuditFinished {
		return nil, apperr.Conflict("audit_finished", "the audit is finished")
	}
	// Oriented and stripped of EXIF/GPS metadata, with variants.
	stored, err := photo.Put(ctx, s.st.photos, photoBlobID(id, pid), name, ct, in.Data)
	if err != nil {
		if ve := (*apperr.ValidationError)(nil); errors.As(err, &ve) {
			return nil, err
		}
		return nil, unavailable("store photo", err)
	}
	p := Photo{ID: pid, Criterion: in.Criterion, Name: name, ContentType: stored.ContentType, Size: int(stored.Size), At: s.now().UTC()}
	next := *au
	next.Photos = append(slices.Clone(au.Photos), p)
	if err := s.st.addPhoto(ctx, id, p, next.Photos, AuditInProgress); err != nil {
		return nil, err
	}
	next.Status = AuditInProgress
	s.mu.Lock()
	s.audits[id] = &next
	s.mu.Unlock()
	s.changed(ctx, ref{C: auditsColl, ID: id})
	return &p, nil
}

func photoBlobID(auditID, photoID string) string { return auditID + "/" + photoID }

// Photo opens a photo's bytes for streaming; the caller closes the reader.
func (s *Service) Photo(ctx context.Context, a *identity.Actor, id, photoID string) (*Photo, *blob.File, io.ReadSeekCloser, error) {
	au, _, err := s.lookup(a, id)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, p := range au.Photos {
		if p.ID == photoID {
			f, body, err := s.st.photos.Open(ctx, photoBlobID(id, photoID))
			if err != nil {
				return nil, nil, nil, apperr.NotFound("not_found", "no such photo")
			}
			return &p, f, body, nil
		}
	}
	return nil, nil, nil, apperr.NotFound("not_found", "no such photo")
}

func cleanName(name string) string {
	name = strings.TrimSpace(name[strings.LastIndexAny(name, `/\`)+1:])
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return ""
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return ""
		}
	}
	return name
}

// FinishInput closes an audit.
type FinishInput struct {
	Summary string `json:"summary"`
}

// Validate checks the shape.
func (in *FinishInput) Validate() error {
	var v apperr.Validator
	v.Check(utf8.RuneCountInString(in.Summary) <= 4000, "summary", "too_long", "at most 4000 characters", apperr.Params{"max": 4000})
	return v.Err()
}

// Finish closes the audit: every criterion must be answered; deels and
// voldoet niet become findings. Finishing twice is harmless.
func (s *Service) Finish(ctx context.Context, a *identity.Actor, id string, in FinishInput) (*AuditView, error) {
	au, vw, err := s.lookup(a, id)
	if err != nil {
		return nil, err
	}
	if au.AuditorID != a.UserID {
		return nil, apperr.Forbidden("forbidden", "only the auditor finishes the audit")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	au = s.audits[id]
	tpl := s.tpl[au.TemplateID]
	s.mu.RUnlock()
	// Another instance may have finished it since we last reloaded: one
	// point read by _id settles it (a finished audit never changes again).
	var stored Audit
	if err := s.st.audits.FindOne(ctx, idFilter(id)).Decode(&stored); err != nil {
		return nil, unavailable("read audit", err)
	}
	if stored.Status == AuditFinished && au.Status != AuditFinished {
		if stored.Answers == nil {
			stored.Answers = map[string]Answer{}
		}
		s.mu.Lock()
		s.audits[id] = &stored
		s.mu.Unlock()
		au = &stored
	} else if len(stored.Answers) > len(au.Answers) {
		// Answers sent through another instance count too.
		au = &stored
	}
	if au.Status == AuditFinished {
		return s.detail(a, vw, au), nil
	}
	missing := 0
	for _, th := range tpl.Themes {
		for _, c := range th.Criteria {
			if _, ok := au.Answers[c.Key]; !ok {
				missing++
			}
		}
	}
	if missing > 0 {
		var v apperr.Validator
		v.Add("answers", "invalid", fmt.Sprintf("%d criteria are not answered yet", missing))
		return nil, v.Err()
	}
	next := *au
	now := s.now().UTC()
	next.Status, next.FinishedAt, next.Summary = AuditFinished, &now, strings.TrimSpace(in.Summary)
	if err := put(ctx, s.st.audits, id, &next); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.audits[id] = &next
	s.mu.Unlock()
	s.changed(ctx, ref{C: auditsColl, ID: id})
	view := s.detail(a, vw, &next)
	if s.notify != nil {
		if users := s.teamContacts(next.TeamID); len(users) > 0 {
			s.notify(ctx, users, NotifyKind, "Audit "+view.TeamName+" afgerond",
				fmt.Sprintf("De audit van %s is afgerond met %d bevindingen.", view.RoundLabel, view.Findings), "/audits/"+id, "audit_finished:"+id)
		}
	}
	return view, nil
}

// teamContacts: the team's quality role holders, or every member when nobody holds it.
func (s *Service) teamContacts(teamID string) []string {
	members := s.org.MemberIDs(teamID)
	var out []string
	for _, m := range members {
		if s.holdsTeamRole(m, teamID, "kwaliteit") {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return members
	}
	return out
}

// CorrectionInput corrects an answer of a finished audit.
type CorrectionInput struct {
	ClientID  string `json:"clientId"`
	Criterion string `json:"criterion"`
	Score     Score  `json:"score"`
	Note      string `json:"note"`
	Reason    string `json:"reason"`
}

// Validate checks the shape.
func (in *CorrectionInput) Validate() error {
	var v apperr.Validator
	v.Check(ValidClientID(in.ClientID), "clientId", "invalid", "8 to 64 letters, digits, - or _")
	v.Check(in.Criterion != "", "criterion", "required", "required")
	v.Check(ValidScore(in.Score), "score", "invalid_choice", "use voldoet, deels, voldoet_niet or nvt")
	v.Check(utf8.RuneCountInString(in.Note) <= 2000, "note", "too_long", "at most 2000 characters", apperr.Params{"max": 2000})
	v.Check(textOK(in.Reason, 2, 1000), "reason", "length", "say why, in 2 to 1000 characters", apperr.Params{"min": 2, "max": 1000})
	return v.Err()
}

// Correct adds a correction: a new record linked to the finished audit.
func (s *Service) Correct(ctx context.Context, a *identity.Actor, id string, in CorrectionInput) (*Correction, error) {
	au, vw, err := s.lookup(a, id)
	if err != nil {
		return nil, err
	}
	if au.AuditorID != a.UserID && !vw.all {
		return nil, apperr.Forbidden("forbidden", "only the auditor, quality & safety or an administrator corrects an audit")
	}
	if au.Status != AuditFinished {
		return nil, apperr.Conflict("conflict", "the audit is not finished; change the answer instead")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	tpl := s.tpl[au.TemplateID]
	s.mu.RUnlock()
	if _, _, ok := tpl.criterion(in.Criterion); !ok {
		var v apperr.Validator
		v.Add("criterion", "unknown", "not a criterion of this audit's template")
		return nil, v.Err()
	}
	c := &Correction{ID: id + ":" + in.ClientID, AuditID: id, Criterion: in.Criterion, Score: in.Score, Note: strings.TrimSpace(in.Note),
		Reason: strings.TrimSpace(in.Reason), By: a.UserID, At: s.now().UTC()}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	for _, x := range s.corr[id] {
		if x.ID == c.ID {
			s.mu.RUnlock()
			return x, nil
		}
	}
	s.mu.RUnlock()
	if _, err := insertNew(ctx, s.st.corrections, c); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.corr[id] = append(slices.Clone(s.corr[id]), c)
	s.mu.Unlock()
	s.changed(ctx, ref{C: correctionsColl, ID: c.ID})
	return c, nil
}
