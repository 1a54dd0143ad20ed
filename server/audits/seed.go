package audits

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/store"
)

const seedMarker = "seed-v1"

// SeedQuarters are the demo rounds: the last 4 quarters up to now's, with
// internal and peer rounds taking turns; the current one is a peer round
// still under way.
func SeedQuarters(now time.Time) []struct{ Type, Quarter string } {
	q := QuarterOf(now)
	return []struct{ Type, Quarter string }{
		{TypeInternal, AddQuarters(q, -3)},
		{TypePeer, AddQuarters(q, -2)},
		{TypeInternal, AddQuarters(q, -1)},
		{TypePeer, q},
	}
}

// SeedInput is the demo organisation as the audits seed needs it; server/demo
// builds it from its data.
type SeedInput struct {
	Auditors []Auditor // who audits in which region (regional managers, coordinating nurses)
	// The demo story: StoryAuditor audits StoryTeam, first on the list of
	// the current round.
	StoryAuditor, StoryTeam string
}

// Seed loads the demo audits once (server/demo, development only): the
// auditors' regions, 4 quarterly rounds (peer and internal), answers,
// findings, and actions in every state. All dates follow from now. It is
// idempotent: every document has a deterministic id and is inserted only
// when missing, and a marker written last records that it completed.
func Seed(ctx context.Context, svc *Service, in SeedInput, now time.Time) (bool, error) {
	if err := svc.st.meta.FindOne(ctx, idFilter(seedMarker)).Err(); err == nil {
		return false, nil
	} else if !isNotFound(err) {
		return false, unavailable("read seed marker", err)
	}
	now = now.UTC()
	for _, a := range in.Auditors {
		if _, err := insertNew(ctx, svc.st.auditors, &Auditor{UserID: a.UserID, RegionID: a.RegionID}); err != nil {
			return false, err
		}
	}
	if err := svc.load(ctx); err != nil {
		return false, err
	}
	d := svc.dir()
	tpl := DefaultTemplate()
	rng := rand.New(rand.NewPCG(0x6175646974, 0x7365656421))
	// Each team has a steady maturity: how likely a criterion is met.
	maturity := map[string]float64{}
	for _, t := range d.teamList {
		maturity[t.ID] = 0.45 + rng.Float64()*0.45
	}
	// Audits and actions are written together after the rounds (fixed ids:
	// a re-run skips what is stored), one batch each, not one insert per
	// document: the demo is seeded at every start of a fresh database.
	var audits, actions []any
	for ri, sq := range SeedQuarters(now) {
		y, qn, _ := ParseQuarter(sq.Quarter)
		start := time.Date(y, time.Month(3*(qn-1)+1), 1, 9, 0, 0, 0, time.UTC)
		svc.mu.RLock()
		existing := svc.rounds[RoundID(sq.Type, sq.Quarter)]
		svc.mu.RUnlock()
		r := existing
		if r == nil {
			r = &Round{ID: RoundID(sq.Type, sq.Quarter), Type: sq.Type, Quarter: sq.Quarter, Label: QuarterLabel(sq.Quarter),
				TemplateID: tpl.ID, Status: RoundOpen, CreatedAt: start.AddDate(0, 0, -14), CreatedBy: "seed"}
			for _, t := range svc.defaultTeams(sq.Type, d) {
				r.Assignments = append(r.Assignments, Assignment{TeamID: t})
			}
			byTeam := map[string]string{}
			for _, p := range Propose(r.Type, unitsOf(r, d), svc.candidates(r.Type, d), svc.recentFor(r, d)) {
				byTeam[p.TeamID] = p.AuditorID
			}
			var as []Assignment
			for _, x := range r.Assignments {
				if byTeam[x.TeamID] != "" {
					as = append(as, Assignment{TeamID: x.TeamID, AuditorID: byTeam[x.TeamID]})
				}
			}
			r.Assignments = as
			if ri == 3 {
				r.Assignments = seedDemoAssignment(r, d, svc, in.StoryAuditor, in.StoryTeam)
			}
			if ri < 3 {
				r.Status = RoundClosed
			}
			if _, err := insertNew(ctx, svc.st.rounds, r); err != nil {
				return false, err
			}
			svc.mu.Lock()
			svc.rounds[r.ID] = r
			svc.mu.Unlock()
		}
		current := ri == 3
		perAuditor := map[string]int{}
		for ai, as := range r.Assignments {
			au := &Audit{ID: AuditID(r.ID, as.TeamID), RoundID: r.ID, Type: r.Type, Quarter: r.Quarter, TemplateID: r.TemplateID,
				TeamID: as.TeamID, RegionID: d.teams[as.TeamID].RegionID, AuditorID: as.AuditorID, Status: AuditAssigned,
				Answers: map[string]Answer{}, ClientIDs: []string{}, Photos: []Photo{}, CreatedAt: r.CreatedAt}
			// The current round: the first team of each auditor is still to
			// do, the rest finished; earlier rounds are finished.
			finish := !current || perAuditor[as.AuditorID] > 0
			perAuditor[as.AuditorID]++
			day := start.AddDate(0, 0, 7+ai%50)
			if current && day.After(now) {
				day = now.Add(-time.Hour)
			}
			if finish {
				m := maturity[as.TeamID] + float64(ri)*0.03
				for _, th := range tpl.Themes {
					for ci, c := range th.Criteria {
						x := rng.Float64()
						sc := Voldoet
						switch {
						case x > m+0.25:
							sc = VoldoetNiet
						case x > m:
							sc = Deels
						case x < 0.03 && ci > 0:
							sc = NietVanToep
						}
						cid := fmt.Sprintf("seed-%s-%s", strings.ReplaceAll(au.ID, ":", "-"), c.Key)
						au.Answers[c.Key] = Answer{Criterion: c.Key, Score: sc, Note: seedNote(sc), ClientID: cid, AnsweredAt: day}
						au.ClientIDs = append(au.ClientIDs, cid)
					}
				}
				fin := day.Add(2 * time.Hour)
				au.Status, au.FinishedAt = AuditFinished, &fin
				au.Summary = "Open en prettig gesprek met het team. De bevindingen zijn samen besproken."
			}
			audits = append(audits, au)
			if finish {
				actions = append(actions, seedActions(svc, au, &tpl, ri, now, rng)...)
			}
		}
	}
	if err := store.InsertMissing(ctx, svc.st.audits, audits); err != nil {
		return false, unavailable("save audits", err)
	}
	if err := store.InsertMissing(ctx, svc.st.actions, actions); err != nil {
		return false, unavailable("save actions", err)
	}
	if _, err := svc.st.meta.InsertOne(ctx, bson.D{{Key: "_id", Value: seedMarker}, {Key: "at", Value: now}}); err != nil && !isDuplicate(err) {
		return false, unavailable("write seed marker", err)
	}
	if err := svc.load(ctx); err != nil {
		return false, err
	}
	svc.writeMu.Lock()
	svc.changed(ctx) // other instances read everything again
	svc.writeMu.Unlock()
	return true, nil
}

// The demo story: in the current peer round, auditor johan (the regional
// manager of Hoorn in the demo) audits team (Den Helder-Centrum), first on
// his list. A swap with whoever the proposal gave that team keeps the rule
// (re-checked).
func seedDemoAssignment(r *Round, d *directory, svc *Service, johan, team string) []Assignment {
	as := append([]Assignment{}, r.Assignments...)
	has := -1
	for i, x := range as {
		if x.TeamID == team {
			has = i
		}
	}
	if _, ok := d.teams[team]; !ok {
		return as
	}
	if has < 0 {
		as = append(as, Assignment{TeamID: team, AuditorID: johan})
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
	next := *r
	next.Assignments = as
	if vs, _ := Check(r.Type, unitsOf(&next, d), svc.candidates(r.Type, d), svc.recentFor(r, d), as); len(vs) > 0 {
		return r.Assignments
	}
	return as
}

func seedNote(s Score) string {
	switch s {
	case Deels:
		return "Gedeeltelijk op orde; afspraken zijn er, maar worden nog niet door iedereen gevolgd."
	case VoldoetNiet:
		return "Nog niet op orde. Het team wil hier graag mee aan de slag."
	case NietVanToep:
		return "Niet van toepassing voor dit team."
	}
	return ""
}

// seedActions gives findings actions: older rounds mostly done, recent ones
// open, in progress, overdue or waiting for the auditor's confirmation.
func seedActions(svc *Service, au *Audit, tpl *Template, round int, now time.Time, rng *rand.Rand) []any {
	var out []any
	var keys []string
	for k, a := range au.Answers {
		if a.Score.IsFinding() {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	roles := []string{"kwaliteit", "planning", "scholing", "financien", "personeel", "ict"}
	members := svc.org.MemberIDs(au.TeamID)
	sort.Strings(members)
	for i, k := range keys {
		if i >= 3 { // a few actions per audit; other findings stay open
			break
		}
		c, _, _ := tpl.criterion(k)
		var status string
		var due time.Time
		x := rng.IntN(100)
		switch round {
		case 0, 1:
			status, due = ActionConfirmed, au.FinishedAt.AddDate(0, 2, 0)
			if x < 15 {
				status = ActionClosed
			} else if x < 25 {
				status, due = ActionInProgress, now.AddDate(0, 0, -20) // overdue
			}
		default:
			due = au.FinishedAt.AddDate(0, 0, 30+rng.IntN(90))
			switch {
			case x < 30:
				status = ActionOpen
			case x < 55:
				status = ActionInProgress
			case x < 75:
				status = ActionClosed
			default:
				status = ActionConfirmed
			}
		}
		created := au.FinishedAt.Add(time.Hour)
		act := &Action{ID: FindingID(au.ID, k) + ":seed", AuditID: au.ID, FindingID: FindingID(au.ID, k), Criterion: k,
			TeamID: au.TeamID, RegionID: au.RegionID, Title: "Verbeteren: " + strings.TrimSuffix(c.Text, "."),
			Due: due.Format("2006-01-02"), Status: status, CreatedBy: au.AuditorID, CreatedAt: created, UpdatedAt: created}
		if i%2 == 1 && len(members) > 0 {
			act.OwnerUserID = members[rng.IntN(len(members))]
		} else {
			act.OwnerTeamRole = roles[(i+rng.IntN(len(roles)))%len(roles)]
		}
		if status == ActionClosed || status == ActionConfirmed {
			closed := created.AddDate(0, 0, 20)
			if closed.After(now) {
				closed = now.Add(-time.Hour)
			}
			act.ClosedAt, act.ClosedBy, act.Evidence = &closed, act.OwnerUserID, "Afspraak gemaakt in het teamoverleg en vastgelegd op de teampagina."
			if act.ClosedBy == "" && len(members) > 0 {
				act.ClosedBy = members[0]
			}
			if status == ActionConfirmed {
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
