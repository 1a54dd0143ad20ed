package audits

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
)

// ActionView is an action with names and what the actor may do with it.
type ActionView struct {
	Action
	TeamName      string `json:"teamName"`
	OwnerName     string `json:"ownerName,omitempty"`
	CriterionText string `json:"criterionText"`
	AuditorID     string `json:"auditorId"`
	AuditorName   string `json:"auditorName"`
	RoundLabel    string `json:"roundLabel"`
	Overdue       bool   `json:"overdue"`
	CanWork       bool   `json:"canWork"`
	CanConfirm    bool   `json:"canConfirm"`
}

func (s *Service) actionView(a *identity.Actor, act *Action, au *Audit, d *directory) ActionView {
	v := ActionView{Action: *act, TeamName: d.teams[act.TeamID].Name, OwnerName: s.name(act.OwnerUserID)}
	if au != nil {
		v.AuditorID, v.AuditorName, v.RoundLabel = au.AuditorID, s.name(au.AuditorID), QuarterLabel(au.Quarter)
		s.mu.RLock()
		if t := s.tpl[au.TemplateID]; t != nil {
			c, _, _ := t.criterion(act.Criterion)
			v.CriterionText = c.Text
		}
		s.mu.RUnlock()
	}
	v.Overdue = s.overdue(act)
	v.CanWork = (act.Status == ActionOpen || act.Status == ActionInProgress) && s.canWorkOnAction(a, act)
	v.CanConfirm = act.Status == ActionClosed && canConfirm(a, au)
	return v
}

func (s *Service) overdue(act *Action) bool {
	return (act.Status == ActionOpen || act.Status == ActionInProgress) && act.Due < s.today()
}

// ActionInput creates an action for a finding.
type ActionInput struct {
	ClientID      string `json:"clientId"`
	Criterion     string `json:"criterion"`
	Title         string `json:"title"`
	OwnerUserID   string `json:"ownerUserId"`
	OwnerTeamRole string `json:"ownerTeamRole"`
	Due           string `json:"due"`
}

// Validate checks the shape.
func (in *ActionInput) Validate() error {
	var v apperr.Validator
	v.Check(ValidClientID(in.ClientID), "clientId", "invalid", "8 to 64 letters, digits, - or _")
	v.Check(in.Criterion != "", "criterion", "required", "required")
	v.Check(textOK(in.Title, 2, 200), "title", "length", "2 to 200 characters", apperr.Params{"min": 2, "max": 200})
	v.Check((in.OwnerUserID == "") != (in.OwnerTeamRole == ""), "ownerUserId", "choose_one", "choose one owner: a person or a team role")
	v.Check(in.OwnerTeamRole == "" || org.ValidTeamRole(in.OwnerTeamRole), "ownerTeamRole", "unknown", "unknown team role")
	_, err := time.Parse("2006-01-02", in.Due)
	v.Check(err == nil, "due", "invalid_date", "use yyyy-mm-dd")
	return v.Err()
}

// CreateAction adds an action to a finding of a finished audit. Its id
// follows from the client id: a resend returns the same action.
func (s *Service) CreateAction(ctx context.Context, a *identity.Actor, auditID string, in ActionInput) (*ActionView, bool, error) {
	au, vw, err := s.lookup(a, auditID)
	if err != nil {
		return nil, false, err
	}
	if !s.canAddAction(vw, au) {
		return nil, false, apperr.Forbidden("forbidden", "only the auditor, the team, the region and quality & safety add actions")
	}
	if err := in.Validate(); err != nil {
		return nil, false, err
	}
	if au.Status != AuditFinished {
		return nil, false, apperr.Conflict("conflict", "actions follow findings of a finished audit")
	}
	d := s.dir()
	var v apperr.Validator
	s.mu.RLock()
	isFinding := false
	for _, f := range s.findingsOf(au, d, nil) {
		if f.Criterion == in.Criterion {
			isFinding = true
		}
	}
	s.mu.RUnlock()
	v.Check(isFinding, "criterion", "unknown", "not a finding of this audit")
	if in.OwnerUserID != "" {
		u, ok := s.people.Get(in.OwnerUserID)
		v.Check(ok && u.Active, "ownerUserId", "unknown", "unknown person")
	}
	v.Check(in.Due >= au.FinishedAt.UTC().Format("2006-01-02"), "due", "before_start", "the due date lies before the audit")
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	now := s.now().UTC()
	act := &Action{ID: FindingID(auditID, in.Criterion) + ":" + in.ClientID, AuditID: auditID, FindingID: FindingID(auditID, in.Criterion),
		Criterion: in.Criterion, TeamID: au.TeamID, RegionID: au.RegionID, Title: strings.TrimSpace(in.Title),
		OwnerUserID: in.OwnerUserID, OwnerTeamRole: in.OwnerTeamRole, Due: in.Due, Status: ActionOpen,
		CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	old, exists := s.actions[act.ID]
	s.mu.RUnlock()
	if exists {
		v := s.actionView(a, old, au, d)
		return &v, false, nil
	}
	if _, err := insertNew(ctx, s.st.actions, act); err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	s.actions[act.ID] = act
	s.actIdx.Store(nil)
	s.mu.Unlock()
	s.changed(ctx, ref{C: actionsColl, ID: act.ID})
	if s.notify != nil {
		if users := s.owners(act); len(users) > 0 {
			s.notify(ctx, users, NotifyKind, "Nieuwe actie: "+act.Title,
				"Actie voor team "+d.teams[act.TeamID].Name+", uiterlijk "+dutchDate(act.Due)+".", "/audits/acties/"+act.ID, "audit_action:"+act.ID)
		}
	}
	view := s.actionView(a, act, au, d)
	return &view, true, nil
}

// owners are the people who can close the action.
func (s *Service) owners(act *Action) []string {
	if act.OwnerUserID != "" {
		return []string{act.OwnerUserID}
	}
	members := s.org.MemberIDs(act.TeamID)
	var out []string
	for _, m := range members {
		if s.holdsTeamRole(m, act.TeamID, act.OwnerTeamRole) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return members
	}
	return out
}

// ActionQuery filters the action list.
type ActionQuery struct {
	TeamID, RegionID, Status string
	Overdue, Mine            bool
}

// Actions lists the actions the actor may see.
func (s *Service) Actions(a *identity.Actor, q ActionQuery) ([]ActionView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	vw, d := s.viewerOf(a), s.dir()
	type pair struct {
		act *Action
		au  *Audit
	}
	var ps []pair
	s.mu.RLock()
	for _, act := range s.actions {
		au := s.audits[act.AuditID]
		if !vw.seesAction(act, au) || (q.TeamID != "" && act.TeamID != q.TeamID) || (q.RegionID != "" && act.RegionID != q.RegionID) ||
			(q.Status != "" && act.Status != q.Status) || (q.Overdue && !s.overdue(act)) {
			continue
		}
		ps = append(ps, pair{act, au})
	}
	s.mu.RUnlock()
	out := []ActionView{}
	for _, p := range ps {
		v := s.actionView(a, p.act, p.au, d)
		if q.Mine && !v.CanWork && !v.CanConfirm {
			continue
		}
		out = append(out, v)
	}
	sortActions(out)
	return out, nil
}

func sortActions(xs []ActionView) {
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].Done() != xs[j].Done() {
			return !xs[i].Done()
		}
		if xs[i].Due != xs[j].Due {
			return xs[i].Due < xs[j].Due
		}
		return xs[i].ID < xs[j].ID
	})
}

func (s *Service) lookupAction(a *identity.Actor, id string) (*Action, *Audit, error) {
	if err := requireActor(a); err != nil {
		return nil, nil, err
	}
	vw := s.viewerOf(a)
	s.mu.RLock()
	act, ok := s.actions[id]
	var au *Audit
	if ok {
		au = s.audits[act.AuditID]
	}
	s.mu.RUnlock()
	if !ok || !vw.seesAction(act, au) {
		return nil, nil, apperr.NotFound("not_found", "no such action")
	}
	return act, au, nil
}

// GetAction returns one action.
func (s *Service) GetAction(a *identity.Actor, id string) (*ActionView, error) {
	act, au, err := s.lookupAction(a, id)
	if err != nil {
		return nil, err
	}
	v := s.actionView(a, act, au, s.dir())
	return &v, nil
}

// ActionUpdate moves an action on. Status is one of in_progress, closed,
// confirmed, open (reopen by the auditor). Evidence is required to close;
// a note to reopen.
type ActionUpdate struct {
	Status   string `json:"status"`
	Evidence string `json:"evidence"`
	Note     string `json:"note"`
}

// Validate checks the shape.
func (in *ActionUpdate) Validate() error {
	var v apperr.Validator
	v.Check(slices.Contains([]string{ActionOpen, ActionInProgress, ActionClosed, ActionConfirmed}, in.Status), "status", "invalid_choice", "use in_progress, closed, confirmed or open")
	v.Check(in.Status != ActionClosed || textOK(in.Evidence, 2, 2000), "evidence", "length", "describe what was done, 2 to 2000 characters", apperr.Params{"min": 2, "max": 2000})
	v.Check(utf8.RuneCountInString(in.Evidence) <= 2000, "evidence", "too_long", "at most 2000 characters", apperr.Params{"max": 2000})
	v.Check(in.Status != ActionOpen || textOK(in.Note, 2, 1000), "note", "length", "say why the action is reopened, 2 to 1000 characters", apperr.Params{"min": 2, "max": 1000})
	v.Check(utf8.RuneCountInString(in.Note) <= 1000, "note", "too_long", "at most 1000 characters", apperr.Params{"max": 1000})
	return v.Err()
}

// UpdateAction: the owner starts and closes (with evidence); the auditor
// confirms or reopens. Repeating the current status changes nothing.
func (s *Service) UpdateAction(ctx context.Context, a *identity.Actor, id string, in ActionUpdate) (*ActionView, error) {
	act, au, err := s.lookupAction(a, id)
	if err != nil {
		return nil, err
	}
	switch in.Status {
	case ActionInProgress, ActionClosed:
		if !s.canWorkOnAction(a, act) {
			return nil, apperr.Forbidden("forbidden", "only the action's owner works on it")
		}
	case ActionConfirmed, ActionOpen:
		if !canConfirm(a, au) {
			return nil, apperr.Forbidden("forbidden", "only the auditor confirms or reopens an action")
		}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	d := s.dir()
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	s.mu.RLock()
	act = s.actions[id]
	s.mu.RUnlock()
	// Another instance may have moved the action on since we last reloaded:
	// one point read by _id, and a fresher state wins over ours.
	if fresh, err := s.freshAction(ctx, act); err != nil {
		return nil, err
	} else if fresh != nil {
		act = fresh
	}
	if act.Status == in.Status {
		v := s.actionView(a, act, au, d)
		return &v, nil
	}
	allowed := map[string][]string{
		ActionInProgress: {ActionOpen},
		ActionClosed:     {ActionOpen, ActionInProgress},
		ActionConfirmed:  {ActionClosed},
		ActionOpen:       {ActionClosed},
	}[in.Status]
	if !slices.Contains(allowed, act.Status) {
		return nil, apperr.Conflict("conflict", fmt.Sprintf("an action that is %s cannot become %s", act.Status, in.Status))
	}
	next := *act
	now := s.now().UTC()
	next.Status, next.UpdatedAt = in.Status, now
	switch in.Status {
	case ActionClosed:
		next.Evidence, next.ClosedBy, next.ClosedAt, next.ReopenNote = strings.TrimSpace(in.Evidence), a.UserID, &now, ""
	case ActionConfirmed:
		next.ConfirmedBy, next.ConfirmedAt = a.UserID, &now
	case ActionOpen:
		next.ReopenNote, next.ClosedAt, next.ClosedBy = strings.TrimSpace(in.Note), nil, ""
	}
	if err := put(ctx, s.st.actions, id, &next); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.actions[id] = &next
	s.actIdx.Store(nil)
	s.mu.Unlock()
	s.changed(ctx, ref{C: actionsColl, ID: id})
	s.notifyActionStatus(ctx, &next, au, d.teams[next.TeamID].Name, now)
	v := s.actionView(a, &next, au, d)
	return &v, nil
}

// notifyActionStatus tells the auditor that an action was closed, or its
// owners that it was confirmed or reopened.
func (s *Service) notifyActionStatus(ctx context.Context, x *Action, au *Audit, team string, now time.Time) {
	if s.notify == nil {
		return
	}
	id := x.ID
	switch x.Status {
	case ActionClosed:
		if au != nil {
			s.notify(ctx, []string{au.AuditorID}, NotifyKind, "Actie afgerond: "+x.Title,
				"Team "+team+" heeft de actie afgerond. Bevestig je dat het klaar is?", "/audits/acties/"+id, "audit_action_closed:"+id+":"+now.Format(time.RFC3339Nano))
		}
	case ActionConfirmed:
		s.notify(ctx, s.owners(x), NotifyKind, "Actie bevestigd: "+x.Title,
			"De auditor heeft bevestigd dat de actie klaar is.", "/audits/acties/"+id, "audit_action_confirmed:"+id)
	case ActionOpen:
		s.notify(ctx, s.owners(x), NotifyKind, "Actie heropend: "+x.Title,
			x.ReopenNote, "/audits/acties/"+id, "audit_action_reopened:"+id+":"+now.Format(time.RFC3339Nano))
	}

}

// RemindDue tells owners once about actions that are due within 3 days and
// once more when they are overdue: a "due action" in the notification
// centre, deduplicated per action and due date across instances and
// restarts by the notification's key.
func (s *Service) RemindDue(ctx context.Context) int {
	if s.notify == nil {
		return 0
	}
	today := s.today()
	soon := s.now().UTC().AddDate(0, 0, 3).Format("2006-01-02")
	type due struct{ key, title, text, id string }
	var out []due
	var acts []*Action
	s.mu.RLock()
	for _, act := range s.actions {
		if act.Status != ActionOpen && act.Status != ActionInProgress {
			continue
		}
		var key, kind, text string
		switch {
		case act.Due < today:
			kind, text = "audit_action_overdue", "De actie is over datum (uiterlijk "+dutchDate(act.Due)+")."
		case act.Due <= soon:
			kind, text = "audit_action_due", "De actie moet uiterlijk "+dutchDate(act.Due)+" klaar zijn."
		default:
			continue
		}
		key = kind + ":" + act.ID + ":" + act.Due
		if s.reminded[key] {
			continue
		}
		out = append(out, due{key, act.Title, text, act.ID})
		acts = append(acts, act)
	}
	s.mu.RUnlock()
	for i, d := range out {
		if users := s.owners(acts[i]); len(users) > 0 {
			s.notify(ctx, users, NotifyKind, d.title, d.text, "/audits/acties/"+d.id, d.key)
		}
		s.mu.Lock()
		s.reminded[d.key] = true
		s.mu.Unlock()
	}
	return len(out)
}

// Run follows other instances' writes (the change log, within a second)
// and sends the due-action reminders every hour, until ctx ends. remind 0
// means an hour.
func (s *Service) Run(ctx context.Context, remind time.Duration) {
	if remind <= 0 {
		remind = time.Hour
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.changes.Run(ctx)
	}()
	defer func() { <-done }()
	t := time.NewTicker(remind)
	defer t.Stop()
	s.RemindDue(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.RemindDue(ctx)
		}
	}
}

func dutchDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return d
	}
	return t.Format("02-01-2006")
}

// freshAction reads the stored action by _id; when it differs from memory
// (another instance wrote it), memory takes the stored one, which is returned.
func (s *Service) freshAction(ctx context.Context, act *Action) (*Action, error) {
	var stored Action
	if err := s.st.actions.FindOne(ctx, idFilter(act.ID)).Decode(&stored); err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, unavailable("read action", err)
	}
	if stored.Status == act.Status && stored.UpdatedAt.Equal(act.UpdatedAt) {
		return nil, nil
	}
	s.mu.Lock()
	s.actions[stored.ID] = &stored
	s.actIdx.Store(nil)
	s.mu.Unlock()
	return &stored, nil
}
