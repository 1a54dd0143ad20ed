package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/learning"
)

// The learning programme's demo history: three cohorts over the 54 demo
// teams that started 23, 22 and 21 months before the current month, with
// sessions, attendance, reflections and quarterly scans up to now, and a
// closing session for every group in the coming weeks. Teams whose
// dashboard figures improve most grow most in phase (it reads the figures
// through learning.Service.TeamFigures, so the dashboard figures go in
// first). It goes in through learning.Service.Import.

const learningMarker = "demo-learning-v1"

// LearningCohorts is how many cohorts the demo has (18 teams each).
const LearningCohorts = 3

// seedLearning stores the demo learning programme unless its marker says
// it is stored; a run that stopped half-way is completed (Import skips
// what is stored).
func seedLearning(ctx context.Context, d Deps) (bool, error) {
	if ok, err := done(ctx, d.Store, learningMarker); ok || err != nil {
		return false, err
	}
	now := d.Now()
	in := learningHistory(learningFrom{d.Learning, d.Org.MemberIDs}, learningDemoInput(d.Issuer), now)
	if err := d.Learning.Import(ctx, in); err != nil {
		return false, fmt.Errorf("import: %w", err)
	}
	return true, mark(ctx, d.Store, learningMarker, now.UTC())
}

// learningInput is the demo organisation as the learning history needs it.
type learningInput struct {
	Teams    []learningTeam // in the organisation's order: cohorts take consecutive thirds
	Designer string         // the user id that designs programmes (support services)
}

// learningTeam is a demo team with its coach's user id.
type learningTeam struct{ ID, Name, Coach string }

// learningDemoInput is the demo teams with their coaches, and the designer.
func learningDemoInput(issuer string) learningInput {
	coach := orgdata.CoachOf()
	in := learningInput{Designer: identity.UserID(issuer, orgdata.DesignerSub)}
	for _, t := range orgdata.Teams() {
		in.Teams = append(in.Teams, learningTeam{ID: t.ID, Name: t.Name, Coach: identity.UserID(issuer, coach[t.ID])})
	}
	return in
}

// learningSource is what the history reads: the figures and the members.
type learningSource interface {
	TeamFigures(teams []string, from, to learning.Month) map[string][]learning.FigureMonth
	MemberIDs(team string) []string
}

type learningFrom struct {
	*learning.Service
	members func(team string) []string
}

func (l learningFrom) MemberIDs(team string) []string { return l.members(team) }

func monthOfString(s string) learning.Month {
	m, _ := learning.ParseMonth(s)
	return m
}

// mean3 is the mean of a figure over months from to to (ok: any value).
func mean3(fm []learning.FigureMonth, from, to int, key string) (float64, bool) {
	var sum float64
	var n int
	for i := max(from, 0); i <= to && i < len(fm); i++ {
		if v := fm[i].Values[key]; v != nil {
			sum += *v
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

var seedReflections = []string{
	"We hebben in het overleg besproken wat dit voor ons betekent. **Wat ging goed:** iedereen deed mee en we hebben concrete afspraken gemaakt.\n\n**Wat lastig blijft:** de afspraken volhouden in drukke weken. We spreken af dat we het over een maand evalueren.",
	"Deze module sloot goed aan bij waar we als team mee bezig zijn. We merken dat we elkaar vaker opzoeken.\n\n- afspraak: elke maand één onderwerp uitdiepen\n- afspraak: nieuwe collega's krijgen een maatje",
	"Eerlijk gezegd vonden we het eerst wat theoretisch. In de opdracht werd het concreet: we hebben het samen gedaan en dat werkte beter dan verwacht.",
	"We zijn kritisch geweest op onszelf. Niet alles lukt, maar we zien verschil met een half jaar geleden. De volgende stap is het vasthouden als er nieuwe collega's komen.",
}

var seedReplies = []string{
	"Mooi dat jullie zo concreet zijn geworden. Let erop dat de afspraken niet bij één persoon blijven liggen; bespreek over een maand wie wat oppakt.",
	"Goed gedaan. Ik zie dat jullie elkaar meer aanspreken. Neem de evaluatie mee naar de volgende sessie.",
	"Dank voor jullie eerlijke reflectie. Juist het benoemen van wat lastig is helpt. Zullen we er in de volgende sessie tijd voor maken?",
}

var seedObservations = []string{
	"Het team neemt meer zelf het initiatief; het overleg is beter voorbereid.",
	"Besluiten worden nog vaak uitgesteld. Het team zoekt houvast bij een vaste werkwijze.",
	"Het team bespreekt de cijfers zelf en stuurt bij. De taakrollen zijn goed belegd.",
	"Na wisselingen in de bezetting is het team wat teruggevallen; de basisafspraken staan wel.",
}

// learningHistory is the demo programme's history relative to now, as
// learning.Service.Import takes it (deterministic: a fixed random source).
func learningHistory(src learningSource, in learningInput, now time.Time) learning.Imported {
	rng := rand.New(rand.NewPCG(0x6c6561726e, 0x696e67)) // "learn", "ing"
	tz, err := time.LoadLocation("Europe/Amsterdam")     // the learning programme's calendar
	if err != nil {
		tz = time.UTC
	}
	d := learning.Imported{Designers: []string{in.Designer}}
	nowM := learning.MonthOf(now)
	endM := nowM - 1
	firstM := endM - learning.TrajectoryMonths + 1

	created := firstM.Time().AddDate(0, -2, 0)
	designer := in.Designer
	v1 := &learning.Programme{DocID: learning.ProgrammeDocID(learning.DefaultProgrammeID, 1), ID: learning.DefaultProgrammeID, Version: 1, Name: "Leertraject zelfsturing",
		Description: "Het tweejarige leertraject voor wijkteams die zelfsturend worden: acht modules, lokaal en kleinschalig.",
		Modules:     learning.DefaultModules(), CreatedAt: created, CreatedBy: designer}
	v2 := *v1
	v2.DocID, v2.Version, v2.CreatedAt = learning.ProgrammeDocID(learning.DefaultProgrammeID, 2), 2, (firstM + 12).Time()
	v2.Modules = learning.DefaultModules()
	v2.Modules[4].Materials = append(v2.Modules[4].Materials, learning.Material{Title: "PREM-uitvraag wijkverpleging", ArticleID: "kwaliteit-prem-uitvraag"})
	d.Programmes = append(d.Programmes, v1, &v2)

	teams := in.Teams
	coachOf := map[string]string{}
	for _, t := range teams {
		coachOf[t.ID] = t.Coach
	}
	// How much each team's figures improved (rank 0..1), from the dashboard.
	ids := make([]string, len(teams))
	for i, t := range teams {
		ids[i] = t.ID
	}
	improve := learningImprovement(src, ids, firstM, endM)

	for c := 0; c < LearningCohorts; c++ {
		cs := firstM + learning.Month(c)
		cohort := &learning.Cohort{ID: fmt.Sprintf("cohort-%d", c+1), Name: fmt.Sprintf("Cohort %d (start %s)", c+1, dutchMonth(cs)),
			ProgrammeID: learning.DefaultProgrammeID, ProgrammeVersion: 1, StartMonth: cs.String(), CreatedAt: cs.Time().AddDate(0, -1, 0), CreatedBy: designer}
		lo, hi := c*len(teams)/LearningCohorts, (c+1)*len(teams)/LearningCohorts
		// Groups: up to three teams of the same coach learn together.
		var groups [][]string
		byCoach := map[string][]string{}
		var coachOrder []string
		for _, t := range teams[lo:hi] {
			cohort.TeamIDs = append(cohort.TeamIDs, t.ID)
			co := coachOf[t.ID]
			if _, ok := byCoach[co]; !ok {
				coachOrder = append(coachOrder, co)
			}
			byCoach[co] = append(byCoach[co], t.ID)
		}
		for _, co := range coachOrder {
			l := byCoach[co]
			for len(l) > 0 {
				n := min(3, len(l))
				groups = append(groups, l[:n])
				l = l[n:]
			}
		}
		trajs := map[string]*learning.Trajectory{}
		for _, t := range teams[lo:hi] {
			tr := &learning.Trajectory{ID: learning.TrajectoryID(cohort.ID, t.ID), CohortID: cohort.ID, TeamID: t.ID, CoachID: coachOf[t.ID],
				ProgrammeID: learning.DefaultProgrammeID, ProgrammeVersion: 1, StartMonth: cs.String(), Modules: learning.PlanModules(v1, cs), UpdatedAt: now.UTC()}
			trajs[t.ID] = tr
			r := improve[t.ID]
			for i := range tr.Modules {
				it := &tr.Modules[i]
				pm := monthOfString(it.PlannedMonth)
				switch {
				case pm+1 >= nowM:
				case r < 0.15 && i == 5:
					it.Status, it.Reason = learning.StatusSkipped, "Het team volgde dit onderdeel al in een eerder scholingstraject."
				case r < 0.3 && i == 7:
				default:
					it.Status = learning.StatusDone
				}
			}
			// Scans: at the start and every quarter up to now.
			start := 1.2 + 0.5*rng.Float64()
			end := math.Min(3.9, start+0.3+1.9*r)
			if r < 0.08 {
				end = start + 0.1
			}
			members := src.MemberIDs(t.ID)
			nq := learning.TrajectoryMonths / 3
			for k := 0; k <= nq; k++ {
				om := cs + learning.Month(3*k)
				if om >= nowM || (om == endM && k > 0 && rng.IntN(2) == 0) {
					break // the current quarter's scan is still to come (due)
				}
				opened := time.Date(om.Time().Year(), om.Time().Month(), 3+rng.IntN(5), 9, 0, 0, 0, tz).UTC()
				closed := opened.AddDate(0, 0, 14)
				score := start + (end-start)*float64(k)/float64(nq) + rng.NormFloat64()*0.12
				kind := learning.ScanQuarter
				if k == 0 {
					kind = learning.ScanStart
				} else if k == nq {
					kind = learning.ScanEnd
				}
				x := &learning.Scan{ID: learning.ScanID(tr.ID, k+1), TrajectoryID: tr.ID, TeamID: t.ID, Seq: k + 1, Kind: kind, OpenedAt: opened, ClosedAt: &closed,
					Observation: seedObservations[rng.IntN(len(seedObservations))], ObservedPhase: clampPhase(score + rng.NormFloat64()*0.2), ObservedBy: tr.CoachID}
				n := 4 + rng.IntN(max(1, min(len(members), 11)-3))
				if rng.IntN(15) == 0 {
					n = 2 // too few answers: only the coach's observation counts
				}
				if n > len(members) {
					n = len(members)
				}
				x.Respondents = slices.Clone(members[:n])
				if n >= learning.MinRespondents {
					x.Profile = scanProfile(rng, score, n)
				}
				d.Scans = append(d.Scans, x)
			}
		}
		// Sessions: one per module per group in its planned month, and a
		// closing session for every group in the coming weeks.
		for g, grp := range groups {
			tr0 := trajs[grp[0]]
			var invitees []string
			for _, tm := range grp {
				invitees = append(invitees, src.MemberIDs(tm)...)
			}
			place := "Wijkcentrum " + teamName(teams, grp[0])
			for i, it := range tr0.Modules {
				pm := monthOfString(it.PlannedMonth)
				if pm+1 >= nowM || it.Status == learning.StatusSkipped {
					continue
				}
				day := 6 + (g*3+i)%18
				st := time.Date(pm.Time().Year(), pm.Time().Month(), day, 13, 30, 0, 0, tz)
				x := &learning.Session{ID: fmt.Sprintf("seed-%s-g%02d-%d", cohort.ID, g, i+1), ModuleKey: it.Key, ModuleTitle: it.Title, Title: it.Title,
					TeamIDs: slices.Clone(grp), CoachID: tr0.CoachID, Start: st.UTC(), End: st.Add(150 * time.Minute).UTC(), Place: place,
					Capacity: len(invitees) + 5, Invitees: slices.Clone(invitees), Attendance: map[string]learning.Attendance{}, CreatedAt: st.AddDate(0, -1, 0).UTC()}
				for _, tm := range grp {
					p := 0.68 + 0.25*improve[tm]
					for _, uid := range src.MemberIDs(tm) {
						status := learning.Present
						if rng.Float64() > p {
							status = learning.Absent
						}
						x.Attendance[uid] = learning.Attendance{Status: status, Self: rng.IntN(3) == 0, By: tr0.CoachID, At: x.End}
					}
				}
				d.Sessions = append(d.Sessions, x)
				// Each team of the group reflects on the module.
				for _, tm := range grp {
					tr := trajs[tm]
					if tr.Modules[i].Status != learning.StatusDone {
						continue
					}
					done := x.End
					tr.Modules[i].DoneAt = &done
					ms := src.MemberIDs(tm)
					if len(ms) == 0 || rng.IntN(6) == 0 {
						continue
					}
					at := x.End.AddDate(0, 0, 7+rng.IntN(10))
					ref := &learning.Reflection{ID: tr.ID + ":" + it.Key, TrajectoryID: tr.ID, TeamID: tm, ModuleKey: it.Key,
						Body: seedReflections[rng.IntN(len(seedReflections))], AuthorID: ms[rng.IntN(len(ms))], UpdatedAt: at}
					if rng.IntN(5) != 0 {
						ra := at.AddDate(0, 0, 3)
						ref.Reply, ref.ReplyBy, ref.ReplyAt = seedReplies[rng.IntN(len(seedReplies))], tr.CoachID, &ra
					}
					d.Reflections = append(d.Reflections, ref)
				}
			}
			// The closing session, 3 to 24 days ahead.
			local := now.In(tz)
			st := time.Date(local.Year(), local.Month(), local.Day()+3+(c*7+g)%22, 13, 30, 0, 0, tz)
			last := tr0.Modules[len(tr0.Modules)-1]
			d.Sessions = append(d.Sessions, &learning.Session{ID: fmt.Sprintf("seed-%s-g%02d-slot", cohort.ID, g), ModuleKey: last.Key, ModuleTitle: last.Title,
				Title: "Terugkomsessie: " + last.Title, TeamIDs: slices.Clone(grp), CoachID: tr0.CoachID, Start: st.UTC(), End: st.Add(2 * time.Hour).UTC(),
				Place: place, Capacity: len(invitees) + 5, Invitees: slices.Clone(invitees), Attendance: map[string]learning.Attendance{}, CreatedAt: now.UTC()})
		}
		for _, t := range teams[lo:hi] {
			d.Trajectories = append(d.Trajectories, trajs[t.ID])
		}
		d.Cohorts = append(d.Cohorts, cohort)
	}
	return d
}

func teamName(teams []learningTeam, id string) string {
	for _, t := range teams {
		if t.ID == id {
			return t.Name
		}
	}
	return id
}

func clampPhase(v float64) int { return int(math.Max(1, math.Min(4, math.Floor(v+0.5)))) }

// scanProfile makes a profile around score whose theme means could come
// from n members' answers (multiples of 1/n).
func scanProfile(rng *rand.Rand, score float64, n int) *learning.Profile {
	answers := make([]map[string]int, n)
	for i := range answers {
		answers[i] = map[string]int{}
		for _, th := range learning.ScanThemes {
			answers[i][th.Key] = clampPhase(score + rng.NormFloat64()*0.6)
		}
	}
	return learning.ProfileOf(answers)
}

var dutchMonthShort = []string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}

func dutchMonth(m learning.Month) string {
	return dutchMonthShort[int(m)%12] + " " + fmt.Sprint(int(m)/12)
}

// learningImprovement ranks the teams by how much their figures improved over
// the months (0: least, 1: most): client satisfaction, employee grade and
// productivity up, absence down (where it is not withheld).
func learningImprovement(src learningSource, teams []string, from, to learning.Month) map[string]float64 {
	out := map[string]float64{}
	figs := src.TeamFigures(teams, from, to)
	type sc struct {
		id string
		v  float64
	}
	var list []sc
	for i, id := range teams {
		fm := figs[id]
		var v float64
		for _, k := range []struct {
			key  string
			sign float64
			unit float64
		}{{learning.FigClientSatisfied, 1, 5}, {learning.FigEmployeeGrade, 1, 0.3}, {learning.FigProductivity, 1, 2}, {learning.FigAbsence, -1, 1.5}} {
			n := len(fm)
			if n < 6 {
				continue
			}
			a, okA := mean3(fm, 0, 2, k.key)
			b, okB := mean3(fm, n-3, n-1, k.key)
			if okA && okB {
				v += k.sign * (b - a) / k.unit
			}
		}
		if len(fm) == 0 {
			v = float64((i*37)%54) / 54 // no figures wired: a fixed spread
		}
		list = append(list, sc{id, v})
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].v < list[j].v })
	for i, x := range list {
		out[x.id] = float64(i) / float64(max(1, len(list)-1))
	}
	return out
}
