package learning

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/store"
)

const seedMarker = "demo-learning-v1"

// SeedCohorts is how many cohorts the demo has (18 teams each).
const SeedCohorts = 3

// SeedInput is the demo organisation as the learning seed needs it;
// server/demo builds it from its data.
type SeedInput struct {
	Teams    []SeedTeam // in the organisation's order: cohorts take consecutive thirds
	Designer string     // the user id that designs programmes (support services)
}

// SeedTeam is a demo team with its coach's user id.
type SeedTeam struct{ ID, Name, Coach string }

// Seed loads the demo learning programme once (server/demo, development only), relative
// to now: three cohorts over the 54 demo teams that started 23, 22 and 21
// months before the current month, with sessions, attendance, reflections
// and quarterly scans up to now, and a closing session for every group in
// the coming weeks. Teams whose dashboard figures improve most grow most in
// phase (it reads the figures through the service's Figures, so the
// dashboard seed must run first). Idempotent: fixed ids, inserts that skip
// existing documents, and a marker written last.
func Seed(ctx context.Context, s *store.Store, svc *Service, in SeedInput, now time.Time) (bool, error) {
	meta := s.DB.Collection("meta")
	if err := meta.FindOne(ctx, byID(seedMarker)).Err(); err == nil {
		return false, nil
	} else if !errors.Is(err, mongo.ErrNoDocuments) {
		return false, unavailable("seed marker", err)
	}
	d := buildSeed(svc, in, now)
	st := svc.st
	for _, batch := range []struct {
		c    *mongo.Collection
		docs []any
	}{{st.programmes, d.programmes}, {st.trajectories, d.trajectories}, {st.sessions, d.sessions},
		{st.reflections, d.reflections}, {st.scans, d.scans}, {st.cohorts, d.cohorts}} {
		if err := store.InsertMissing(ctx, batch.c, batch.docs); err != nil {
			return false, unavailable("seed "+batch.c.Name(), err)
		}
	}
	if err := put(ctx, st.meta, settingsID, &Settings{ID: settingsID, Designers: d.designers, UpdatedAt: now.UTC()}); err != nil {
		return false, err
	}
	svc.logChange(ctx, nil) // other instances read everything again
	if _, err := meta.InsertOne(ctx, bson.D{{Key: "_id", Value: seedMarker}, {Key: "at", Value: now.UTC()}}); err != nil && !store.IsDuplicateKey(err) {
		return false, unavailable("seed marker", err)
	}
	return true, svc.Reload(ctx)
}

type seedData struct {
	programmes, cohorts, trajectories, sessions, reflections, scans []any
	designers                                                       []string
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

func buildSeed(svc *Service, in SeedInput, now time.Time) *seedData {
	rng := rand.New(rand.NewPCG(0x6c6561726e, 0x696e67)) // "learn", "ing"
	tz := svc.tz
	d := &seedData{designers: []string{in.Designer}}
	nowM := MonthOf(now)
	endM := nowM - 1
	firstM := endM - TrajectoryMonths + 1

	created := firstM.Time().AddDate(0, -2, 0)
	designer := in.Designer
	v1 := &Programme{DocID: programmeDocID(DefaultProgrammeID, 1), ID: DefaultProgrammeID, Version: 1, Name: "Leertraject zelfsturing",
		Description: "Het tweejarige leertraject voor wijkteams die zelfsturend worden: acht modules, lokaal en kleinschalig.",
		Modules:     DefaultModules(), CreatedAt: created, CreatedBy: designer}
	v2 := *v1
	v2.DocID, v2.Version, v2.CreatedAt = programmeDocID(DefaultProgrammeID, 2), 2, (firstM + 12).Time()
	v2.Modules = DefaultModules()
	v2.Modules[4].Materials = append(v2.Modules[4].Materials, Material{Title: "PREM-uitvraag wijkverpleging", ArticleID: "kwaliteit-prem-uitvraag"})
	d.programmes = append(d.programmes, v1, &v2)

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
	improve := seedImprovement(svc, ids, firstM, endM)

	for c := 0; c < SeedCohorts; c++ {
		cs := firstM + Month(c)
		cohort := &Cohort{ID: fmt.Sprintf("cohort-%d", c+1), Name: fmt.Sprintf("Cohort %d (start %s)", c+1, dutchMonth(cs)),
			ProgrammeID: DefaultProgrammeID, ProgrammeVersion: 1, StartMonth: cs.String(), CreatedAt: cs.Time().AddDate(0, -1, 0), CreatedBy: designer}
		lo, hi := c*len(teams)/SeedCohorts, (c+1)*len(teams)/SeedCohorts
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
		trajs := map[string]*Trajectory{}
		for _, t := range teams[lo:hi] {
			tr := &Trajectory{ID: trajectoryID(cohort.ID, t.ID), CohortID: cohort.ID, TeamID: t.ID, CoachID: coachOf[t.ID],
				ProgrammeID: DefaultProgrammeID, ProgrammeVersion: 1, StartMonth: cs.String(), Modules: planModules(v1, cs), UpdatedAt: now.UTC()}
			trajs[t.ID] = tr
			r := improve[t.ID]
			for i := range tr.Modules {
				it := &tr.Modules[i]
				pm := monthOfString(it.PlannedMonth)
				switch {
				case pm+1 >= nowM:
				case r < 0.15 && i == 5:
					it.Status, it.Reason = StatusSkipped, "Het team volgde dit onderdeel al in een eerder scholingstraject."
				case r < 0.3 && i == 7:
				default:
					it.Status = StatusDone
				}
			}
			// Scans: at the start and every quarter up to now.
			start := 1.2 + 0.5*rng.Float64()
			end := math.Min(3.9, start+0.3+1.9*r)
			if r < 0.08 {
				end = start + 0.1
			}
			members := svc.org.MemberIDs(t.ID)
			nq := TrajectoryMonths / 3
			for k := 0; k <= nq; k++ {
				om := cs + Month(3*k)
				if om >= nowM || (om == endM && k > 0 && rng.IntN(2) == 0) {
					break // the current quarter's scan is still to come (due)
				}
				opened := time.Date(om.Time().Year(), om.Time().Month(), 3+rng.IntN(5), 9, 0, 0, 0, tz).UTC()
				closed := opened.AddDate(0, 0, 14)
				score := start + (end-start)*float64(k)/float64(nq) + rng.NormFloat64()*0.12
				kind := ScanQuarter
				if k == 0 {
					kind = ScanStart
				} else if k == nq {
					kind = ScanEnd
				}
				x := &Scan{ID: scanID(tr.ID, k+1), TrajectoryID: tr.ID, TeamID: t.ID, Seq: k + 1, Kind: kind, OpenedAt: opened, ClosedAt: &closed,
					Observation: seedObservations[rng.IntN(len(seedObservations))], ObservedPhase: clampPhase(score + rng.NormFloat64()*0.2), ObservedBy: tr.CoachID}
				n := 4 + rng.IntN(max(1, min(len(members), 11)-3))
				if rng.IntN(15) == 0 {
					n = 2 // too few answers: only the coach's observation counts
				}
				if n > len(members) {
					n = len(members)
				}
				x.Respondents = slices.Clone(members[:n])
				if n >= MinRespondents {
					x.Profile = seedProfile(rng, score, n)
				}
				d.scans = append(d.scans, x)
			}
		}
		// Sessions: one per module per group in its planned month, and a
		// closing session for every group in the coming weeks.
		for g, grp := range groups {
			tr0 := trajs[grp[0]]
			var invitees []string
			for _, tm := range grp {
				invitees = append(invitees, svc.org.MemberIDs(tm)...)
			}
			place := "Wijkcentrum " + teamName(teams, grp[0])
			for i, it := range tr0.Modules {
				pm := monthOfString(it.PlannedMonth)
				if pm+1 >= nowM || it.Status == StatusSkipped {
					continue
				}
				day := 6 + (g*3+i)%18
				st := time.Date(pm.Time().Year(), pm.Time().Month(), day, 13, 30, 0, 0, tz)
				x := &Session{ID: fmt.Sprintf("seed-%s-g%02d-%d", cohort.ID, g, i+1), ModuleKey: it.Key, ModuleTitle: it.Title, Title: it.Title,
					TeamIDs: slices.Clone(grp), CoachID: tr0.CoachID, Start: st.UTC(), End: st.Add(150 * time.Minute).UTC(), Place: place,
					Capacity: len(invitees) + 5, Invitees: slices.Clone(invitees), Attendance: map[string]Attendance{}, CreatedAt: st.AddDate(0, -1, 0).UTC()}
				for _, tm := range grp {
					p := 0.68 + 0.25*improve[tm]
					for _, uid := range svc.org.MemberIDs(tm) {
						status := Present
						if rng.Float64() > p {
							status = Absent
						}
						x.Attendance[uid] = Attendance{Status: status, Self: rng.IntN(3) == 0, By: tr0.CoachID, At: x.End}
					}
				}
				d.sessions = append(d.sessions, x)
				// Each team of the group reflects on the module.
				for _, tm := range grp {
					tr := trajs[tm]
					if tr.Modules[i].Status != StatusDone {
						continue
					}
					done := x.End
					tr.Modules[i].DoneAt = &done
					ms := svc.org.MemberIDs(tm)
					if len(ms) == 0 || rng.IntN(6) == 0 {
						continue
					}
					at := x.End.AddDate(0, 0, 7+rng.IntN(10))
					ref := &Reflection{ID: tr.ID + ":" + it.Key, TrajectoryID: tr.ID, TeamID: tm, ModuleKey: it.Key,
						Body: seedReflections[rng.IntN(len(seedReflections))], AuthorID: ms[rng.IntN(len(ms))], UpdatedAt: at}
					if rng.IntN(5) != 0 {
						ra := at.AddDate(0, 0, 3)
						ref.Reply, ref.ReplyBy, ref.ReplyAt = seedReplies[rng.IntN(len(seedReplies))], tr.CoachID, &ra
					}
					d.reflections = append(d.reflections, ref)
				}
			}
			// The closing session, 3 to 24 days ahead.
			local := now.In(tz)
			st := time.Date(local.Year(), local.Month(), local.Day()+3+(c*7+g)%22, 13, 30, 0, 0, tz)
			last := tr0.Modules[len(tr0.Modules)-1]
			d.sessions = append(d.sessions, &Session{ID: fmt.Sprintf("seed-%s-g%02d-slot", cohort.ID, g), ModuleKey: last.Key, ModuleTitle: last.Title,
				Title: "Terugkomsessie: " + last.Title, TeamIDs: slices.Clone(grp), CoachID: tr0.CoachID, Start: st.UTC(), End: st.Add(2 * time.Hour).UTC(),
				Place: place, Capacity: len(invitees) + 5, Invitees: slices.Clone(invitees), Attendance: map[string]Attendance{}, CreatedAt: now.UTC()})
		}
		for _, t := range teams[lo:hi] {
			d.trajectories = append(d.trajectories, trajs[t.ID])
		}
		d.cohorts = append(d.cohorts, cohort)
	}
	return d
}

func teamName(teams []SeedTeam, id string) string {
	for _, t := range teams {
		if t.ID == id {
			return t.Name
		}
	}
	return id
}

func clampPhase(v float64) int { return int(math.Max(1, math.Min(4, math.Floor(v+0.5)))) }

// seedProfile makes a profile around score whose theme means could come
// from n members' answers (multiples of 1/n).
func seedProfile(rng *rand.Rand, score float64, n int) *Profile {
	answers := make([]map[string]int, n)
	for i := range answers {
		answers[i] = map[string]int{}
		for _, th := range ScanThemes {
			answers[i][th.Key] = clampPhase(score + rng.NormFloat64()*0.6)
		}
	}
	return profileOf(answers)
}

var dutchMonthShort = []string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}

func dutchMonth(m Month) string { return dutchMonthShort[int(m)%12] + " " + fmt.Sprint(int(m)/12) }

// seedImprovement ranks the teams by how much their figures improved over
// the months (0: least, 1: most): client satisfaction, employee grade and
// productivity up, absence down (where it is not withheld).
func seedImprovement(svc *Service, teams []string, from, to Month) map[string]float64 {
	out := map[string]float64{}
	figs := svc.series(systemActor, teams, from, to)
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
		}{{FigClientSatisfied, 1, 5}, {FigEmployeeGrade, 1, 0.3}, {FigProductivity, 1, 2}, {FigAbsence, -1, 1.5}} {
			n := len(fm)
			if n < 6 {
				continue
			}
			a, okA, _ := mean3(fm, 0, 2, k.key)
			b, okB, _ := mean3(fm, n-3, n-1, k.key)
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
