package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
)

// The audits' demo history: the auditors' regions, 4 quarterly rounds
// (peer and internal) planned as a planner would (audits.Service.Proposal),
// answers, findings, and actions in every state, all dates following from
// now. It goes in through audits.Service.Import.

const auditsMarker = "demo-audits-v1"

// legacyAuditsMarker is where audits' own seed recorded that it ran,
// before the demo moved here: such a database is not loaded again.
const legacyAuditsMarker = "seed-v1"

// demoActor reads the organisation for the demo.
var demoActor = &identity.Actor{UserID: "system", Name: "system"}

// AuditQuarters are the demo rounds: the last 4 quarters up to now's, with
// internal and peer rounds taking turns; the current one is a peer round
// still under way.
func AuditQuarters(now time.Time) []struct{ Type, Quarter string } {
	q := audits.QuarterOf(now)
	return []struct{ Type, Quarter string }{
		{audits.TypeInternal, audits.AddQuarters(q, -3)},
		{audits.TypePeer, audits.AddQuarters(q, -2)},
		{audits.TypeInternal, audits.AddQuarters(q, -1)},
		{audits.TypePeer, q},
	}
}

// auditsInput is the demo auditors (regional managers and coordinating
// nurses, by region) and the demo story: the regional manager of Hoorn
// (johan.mulder) audits Den Helder-Centrum (anouk.devries,
// fatima.elamrani), first on his list of the current round.
type auditsInput struct {
	Auditors                []audits.Auditor
	StoryAuditor, StoryTeam string
}

func auditsDemoInput(issuer string) auditsInput {
	in := auditsInput{StoryAuditor: identity.UserID(issuer, "johan.mulder"), StoryTeam: "den-helder-centrum"}
	for _, p := range orgdata.People() {
		if rid, ok := orgdata.RegionOf(p); ok {
			in.Auditors = append(in.Auditors, audits.Auditor{UserID: identity.UserID(issuer, p.Sub), RegionID: rid})
		}
	}
	return in
}

// seedAudits stores the demo audits unless a marker says they are stored;
// a run that stopped half-way is completed (Import skips what is stored,
// and a stored round is kept as it is, not planned again).
func seedAudits(ctx context.Context, d Deps) (bool, error) {
	if ok, err := done(ctx, d.Store, auditsMarker); ok || err != nil {
		return false, err
	}
	if ok, err := doneIn(ctx, d.Store, "audits_meta", legacyAuditsMarker); ok || err != nil {
		return false, err
	}
	now := d.Now().UTC()
	in := auditsDemoInput(d.Issuer)
	svc := d.Audits
	if err := svc.Import(ctx, audits.Imported{Auditors: in.Auditors}); err != nil {
		return false, err
	}
	teams, err := d.Org.ListTeams(demoActor, "")
	if err != nil {
		return false, err
	}
	regionOf := map[string]string{}
	for _, t := range teams {
		regionOf[t.ID] = t.RegionID
	}
	tpl := audits.DefaultTemplate()
	rng := rand.New(rand.NewPCG(0x6175646974, 0x7365656421))
	// Each team has a steady maturity: how likely a criterion is met.
	maturity := map[string]float64{}
	for _, t := range teams {
		maturity[t.ID] = 0.45 + rng.Float64()*0.45
	}
	// Audits and actions are written together after the rounds, one batch
	// each: the demo is loaded at every start of a fresh database.
	var auds []*audits.Audit
	var actions []*audits.Action
	for ri, sq := range AuditQuarters(now) {
		y, qn, _ := audits.ParseQuarter(sq.Quarter)
		start := time.Date(y, time.Month(3*(qn-1)+1), 1, 9, 0, 0, 0, time.UTC)
		r := svc.StoredRound(audits.RoundID(sq.Type, sq.Quarter))
		if r == nil {
			r = planRound(svc, sq.Type, sq.Quarter, tpl.ID, start, ri == 3, in)
			if err := svc.Import(ctx, audits.Imported{Rounds: []*audits.Round{r}}); err != nil {
				return false, err
			}
		}
		current := ri == 3
		perAuditor := map[string]int{}
		for ai, as := range r.Assignments {
			au := &audits.Audit{ID: audits.AuditID(r.ID, as.TeamID), RoundID: r.ID, Type: r.Type, Quarter: r.Quarter, TemplateID: r.TemplateID,
				TeamID: as.TeamID, RegionID: regionOf[as.TeamID], AuditorID: as.AuditorID, Status: audits.AuditAssigned,
				Answers: map[string]audits.Answer{}, ClientIDs: []string{}, Photos: []audits.Photo{}, CreatedAt: r.CreatedAt}
			// The current round: the first team of each auditor is still to
			// do, the rest finished; earlier rounds are finished.
			finish := !current || perAuditor[as.AuditorID] > 0
			perAuditor[as.AuditorID]++
			day := start.AddDate(0, 0, 7+ai%50)
			if current && day.After(now) {
				day = now.Add(-time.Hour)
			}
			if finish {
				answerAudit(au, &tpl, maturity[as.TeamID]+float64(ri)*0.03, day, rng)
			}
			auds = append(auds, au)
			if finish {
				actions = append(actions, auditActions(d.Org.MemberIDs(au.TeamID), au, &tpl, ri, now, rng)...)
			}
		}
	}
	if err := svc.Import(ctx, audits.Imported{Audits: auds, Actions: actions}); err != nil {
		return false, err
	}
	return true, mark(ctx, d.Store, auditsMarker, now)
}

// planRound plans a demo round as a planner would: the proposal's teams
// that have an auditor; the current round carries the demo story; earlier
// rounds are closed.
func planRound(svc *audits.Service, typ, quarter, tplID string, start time.Time, current bool, in auditsInput) *audits.Round {
	r := &audits.Round{ID: audits.RoundID(typ, quarter), Type: typ, Quarter: quarter, Label: audits.QuarterLabel(quarter),
		TemplateID: tplID, Status: audits.RoundOpen, CreatedAt: start.AddDate(0, 0, -14), CreatedBy: "seed"}
	for _, x := range svc.Proposal(typ, quarter) {
		if x.AuditorID != "" {
			r.Assignments = append(r.Assignments, x)
		}
	}
	if current {
		r.Assignments = storyAssignment(svc, r, in.StoryAuditor, in.StoryTeam)
	} else {
		r.Status = audits.RoundClosed
	}
	return r
}

// answerAudit finishes an audit on day: each criterion met with the team's
// maturity m as its chance.
func answerAudit(au *audits.Audit, tpl *audits.Template, m float64, day time.Time, rng *rand.Rand) {
	for _, th := range tpl.Themes {
		for ci, c := range th.Criteria {
			x := rng.Float64()
			sc := audits.Voldoet
			switch {
			case x > m+0.25:
				sc = audits.VoldoetNiet
			case x > m:
				sc = audits.Deels
			case x < 0.03 && ci > 0:
				sc = audits.NietVanToep
			}
			cid := fmt.Sprintf("seed-%s-%s", strings.ReplaceAll(au.ID, ":", "-"), c.Key)
			au.Answers[c.Key] = audits.Answer{Criterion: c.Key, Score: sc, Note: auditNote(sc), ClientID: cid, AnsweredAt: day}
			au.ClientIDs = append(au.ClientIDs, cid)
		}
	}
	fin := day.Add(2 * time.Hour)
	au.Status, au.FinishedAt = audits.AuditFinished, &fin
	au.Summary = "Open en prettig gesprek met het team. De bevindingen zijn samen besproken."
}

// storyAssignment: in the current peer round, auditor johan (the regional
// manager of Hoorn in the demo) audits team (Den Helder-Centrum), first on
// his list. A swap with whoever the proposal gave that team keeps the rule
// (re-checked).
func storyAssignment(svc *audits.Service, r *audits.Round, johan, team string) []audits.Assignment {
	as := append([]audits.Assignment{}, r.Assignments...)
	has := -1
	for i, x := range as {
		if x.TeamID == team {
			has = i
		}
	}
	if has < 0 {
		as = append(as, audits.Assignment{TeamID: team, AuditorID: johan})
		has = len(as) - 1
	}
	if as[has].AuditorID != johan {
		other := as[has].AuditorID
		for i := range as {
			if as[i].AuditorID == johan {
				as[i].AuditorID = other
				break
			}
		}
		as[has].AuditorID = johan
	}
	as[0], as[has] = as[has], as[0]
	if len(svc.Violations(r.Type, r.Quarter, as)) > 0 {
		return r.Assignments
	}
	return as
}

func auditNote(s audits.Score) string {
	switch s {
	case audits.Deels:
		return "Gedeeltelijk op orde; afspraken zijn er, maar worden nog niet door iedereen gevolgd."
	case audits.VoldoetNiet:
		return "Nog niet op orde. Het team wil hier graag mee aan de slag."
	case audits.NietVanToep:
		return "Niet van toepassing voor dit team."
	}
	return ""
}

// auditActions gives findings actions: older rounds mostly done, recent
// ones open, in progress, overdue or waiting for the auditor's
// confirmation.
func auditActions(members []string, au *audits.Audit, tpl *audits.Template, round int, now time.Time, rng *rand.Rand) []*audits.Action {
	var out []*audits.Action
	var keys []string
	for k, a := range au.Answers {
		if a.Score.IsFinding() {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	roles := []string{"kwaliteit", "planning", "scholing", "financien", "personeel", "ict"}
	members = append([]string(nil), members...)
	sort.Strings(members)
	text := map[string]string{}
	for _, th := range tpl.Themes {
		for _, c := range th.Criteria {
			text[c.Key] = c.Text
		}
	}
	for i, k := range keys {
		if i >= 3 { // a few actions per audit; other findings stay open
			break
		}
		var status string
		var due time.Time
		x := rng.IntN(100)
		switch round {
		case 0, 1:
			status, due = audits.ActionConfirmed, au.FinishedAt.AddDate(0, 2, 0)
			if x < 15 {
				status = audits.ActionClosed
			} else if x < 25 {
				status, due = audits.ActionInProgress, now.AddDate(0, 0, -20) // overdue
			}
		default:
			due = au.FinishedAt.AddDate(0, 0, 30+rng.IntN(90))
			switch {
			case x < 30:
				status = audits.ActionOpen
			case x < 55:
				status = audits.ActionInProgress
			case x < 75:
				status = audits.ActionClosed
			default:
				status = audits.ActionConfirmed
			}
		}
		created := au.FinishedAt.Add(time.Hour)
		act := &audits.Action{ID: audits.FindingID(au.ID, k) + ":seed", AuditID: au.ID, FindingID: audits.FindingID(au.ID, k), Criterion: k,
			TeamID: au.TeamID, RegionID: au.RegionID, Title: "Verbeteren: " + strings.TrimSuffix(text[k], "."),
			Due: due.Format("2006-01-02"), Status: status, CreatedBy: au.AuditorID, CreatedAt: created, UpdatedAt: created}
		if i%2 == 1 && len(members) > 0 {
			act.OwnerUserID = members[rng.IntN(len(members))]
		} else {
			act.OwnerTeamRole = roles[(i+rng.IntN(len(roles)))%len(roles)]
		}
		if status == audits.ActionClosed || status == audits.ActionConfirmed {
			closed := created.AddDate(0, 0, 20)
			if closed.After(now) {
				closed = now.Add(-time.Hour)
			}
			act.ClosedAt, act.ClosedBy, act.Evidence = &closed, act.OwnerUserID, "Afspraak gemaakt in het teamoverleg en vastgelegd op de teampagina."
			if act.ClosedBy == "" && len(members) > 0 {
				act.ClosedBy = members[0]
			}
			if status == audits.ActionConfirmed {
				conf := closed.Add(48 * time.Hour)
				if conf.After(now) {
					conf = now
				}
				act.ConfirmedAt, act.ConfirmedBy = &conf, au.AuditorID
			}
		}
		out = append(out, act)
	}
	return out
}
