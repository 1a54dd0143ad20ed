package learning

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// Figure keys read from the dashboard (the same keys as dashboard.Key*).
const (
	FigClientSatisfied = "clientSatisfiedPct"
	FigClientGrade     = "clientGrade"
	FigEmployeeGrade   = "employeeGrade"
	FigAbsence         = "absencePct"
	FigProductivity    = "productivityPct"
	FigBusinessResult  = "businessResult"
)

// YieldFigures are the figures shown next to maturity, in display order.
var YieldFigures = []string{FigClientSatisfied, FigEmployeeGrade, FigAbsence, FigProductivity, FigBusinessResult}

// Signal is something on the board that asks for the coach's attention.
type Signal struct {
	Key  string `json:"key"`
	Text string `json:"text"` // Dutch
}

// BoardRow is one team on the coach's board.
type BoardRow struct {
	Team           PersonRef    `json:"team"`
	RegionID       string       `json:"regionId"`
	RegionName     string       `json:"regionName"`
	CohortID       string       `json:"cohortId"`
	Phase          int          `json:"phase"`
	PhaseStart     int          `json:"phaseStart"`
	ModulesDone    int          `json:"modulesDone"`
	ModulesSkipped int          `json:"modulesSkipped"`
	ModulesTotal   int          `json:"modulesTotal"`
	ModulesBehind  int          `json:"modulesBehind"` // planned month passed, not done or skipped
	LastSession    *SessionRef  `json:"lastSession"`
	NextSession    *SessionRef  `json:"nextSession"`
	Attendance     *float64     `json:"attendanceRate"`
	ScanStatus     string       `json:"scanStatus"` // ok, due, overdue, open
	Signals        []Signal     `json:"signals"`
	trend          []PhasePoint // for sorting only
}

// SessionRef is a session in a board row.
type SessionRef struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Start time.Time `json:"start"`
}

// Board is the coach's board.
type Board struct {
	Coach PersonRef  `json:"coach"`
	Teams []BoardRow `json:"teams"`
	Total int        `json:"total"` // before filtering
}

// BoardQuery sorts and filters the board.
type BoardQuery struct {
	CoachID string // designers may look at another coach's board
	Sort    string // team, phase, progress, attendance, scan, signals, next
	Order   string // asc, desc
	Filter  string // "", signals, scan, behind
	Q       string // part of the team name
}

// Board returns the board of the actor (a coach), or of q.CoachID for
// programme designers.
func (s *Service) Board(a *identity.Actor, q BoardQuery) (*Board, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	var v apperr.Validator
	v.Check(slices.Contains([]string{"", "team", "phase", "progress", "attendance", "scan", "signals", "next"}, q.Sort), "sort", "invalid_choice", "use team, phase, progress, attendance, scan, signals or next")
	v.Check(q.Order == "" || q.Order == "asc" || q.Order == "desc", "order", "invalid_choice", "use asc or desc")
	v.Check(slices.Contains([]string{"", "signals", "scan", "behind"}, q.Filter), "filter", "invalid_choice", "use signals, scan or behind")
	v.Check(len(q.Q) <= 100, "q", "too_long", "at most 100 characters", apperr.Params{"max": 100})
	if err := v.Err(); err != nil {
		return nil, err
	}
	coach := a.UserID
	var designer bool
	_ = s.read(func(st *state) error { designer = st.isDesigner(a); return nil })
	if q.CoachID != "" && q.CoachID != a.UserID {
		if !designer {
			return nil, apperr.Forbidden("forbidden", "only programme designers look at another coach's board")
		}
		coach = q.CoachID
	} else if !a.Has(identity.RoleTeamcoach) {
		return nil, apperr.Forbidden("forbidden", "the board is for team coaches")
	}
	regions := s.regionsByTeam()
	now := s.now()
	out := &Board{Coach: s.person(coach), Teams: []BoardRow{}}
	var teams []string
	_ = s.read(func(st *state) error {
		for team, tr := range st.teamTraj {
			if tr.CoachID == coach && st.cohorts[tr.CohortID] != nil {
				teams = append(teams, team)
			}
		}
		return nil
	})
	slices.Sort(teams)
	figs := s.series(a, teams, MonthOf(now)-4, MonthOf(now)-1)
	_ = s.read(func(st *state) error {
		for _, team := range teams {
			out.Teams = append(out.Teams, s.boardRow(st, team, regions, figs[team], now))
		}
		return nil
	})
	out.Total = len(out.Teams)
	q.Q = strings.ToLower(strings.TrimSpace(q.Q))
	out.Teams = filterBoard(out.Teams, q)
	sortBoard(out.Teams, q.Sort, q.Order == "desc")
	return out, nil
}

// boardRow is one team's row on a coach's board: phase, modules, sessions,
// attendance, scan and signals.
func (s *Service) boardRow(st *state, team string, regions map[string][2]string, figs []FigureMonth, now time.Time) BoardRow {
	tr := st.teamTraj[team]
	name, _ := s.org.TeamName(team)
	r := BoardRow{Team: PersonRef{ID: team, Name: name}, CohortID: tr.CohortID, Signals: []Signal{}}
	r.RegionID, r.RegionName = regions[team][0], regions[team][1]
	scans := st.trajScans[tr.ID]
	ph := phaseInfo(scans)
	r.Phase, r.PhaseStart, r.trend = ph.Current, ph.Start, ph.Trend
	for _, p := range tr.Modules {
		r.ModulesTotal++
		switch p.Status {
		case StatusDone:
			r.ModulesDone++
		case StatusSkipped:
			r.ModulesSkipped++
		default:
			if m, ok := ParseMonth(p.PlannedMonth); ok && m+2 < MonthOf(now) {
				r.ModulesBehind++
			}
		}
	}
	var lastAttended time.Time
	for _, x := range st.teamSess[team] {
		if x.End.Before(now) {
			r.LastSession = &SessionRef{ID: x.ID, Title: x.Title, Start: x.Start}
			lastAttended = x.Start
		} else if r.NextSession == nil {
			r.NextSession = &SessionRef{ID: x.ID, Title: x.Title, Start: x.Start}
		}
	}
	r.Attendance = attendanceRate(st.teamSess[team], s.org.MemberIDs(team), now)
	r.ScanStatus = scanDue(tr, scans, now)
	r.Signals = signals(figs, lastAttended, now, r)
	return r
}

// filterBoard keeps the rows that match the board's search and filter.
func filterBoard(rows []BoardRow, q BoardQuery) []BoardRow {
	return slices.DeleteFunc(rows, func(r BoardRow) bool {
		switch {
		case q.Q != "" && !strings.Contains(strings.ToLower(r.Team.Name), q.Q):
			return true
		case q.Filter == "signals":
			return len(r.Signals) == 0
		case q.Filter == "scan":
			return r.ScanStatus != "due" && r.ScanStatus != "overdue"
		case q.Filter == "behind":
			return r.ModulesBehind == 0
		}
		return false
	})
}

var scanRank = map[string]int{"overdue": 0, "due": 1, "open": 2, "ok": 3, "": 4}

func sortBoard(rows []BoardRow, by string, desc bool) {
	slices.SortStableFunc(rows, func(x, y BoardRow) int {
		var c int
		switch by {
		case "phase":
			c = cmp.Compare(x.Phase, y.Phase)
		case "progress":
			c = cmp.Compare(float64(x.ModulesDone)/float64(max(1, x.ModulesTotal)), float64(y.ModulesDone)/float64(max(1, y.ModulesTotal)))
		case "attendance":
			c = cmp.Compare(ptrOr(x.Attendance, -1), ptrOr(y.Attendance, -1))
		case "scan":
			c = cmp.Compare(scanRank[x.ScanStatus], scanRank[y.ScanStatus])
		case "signals":
			c = -cmp.Compare(len(x.Signals), len(y.Signals))
		case "next":
			c = cmp.Compare(sessUnix(x.NextSession), sessUnix(y.NextSession))
		}
		if desc {
			c = -c
		}
		if c == 0 {
			c = strings.Compare(x.Team.Name, y.Team.Name)
		}
		return c
	})
}

func ptrOr(p *float64, d float64) float64 {
	if p == nil {
		return d
	}
	return *p
}

func sessUnix(r *SessionRef) int64 {
	if r == nil {
		return 1 << 62
	}
	return r.Start.Unix()
}

// signals: what the coach should look at. The figures are the last four
// months before the current one (index 3 is last month).
func signals(figs []FigureMonth, lastSession time.Time, now time.Time, r BoardRow) []Signal {
	out := []Signal{}
	noSession := lastSession.IsZero() || now.Sub(lastSession) > 90*24*time.Hour
	if fellThreeMonths(figs, FigClientSatisfied) && noSession {
		out = append(out, Signal{Key: "satisfaction_falling_no_session", Text: "Cliënttevredenheid daalt al drie maanden en er was 90 dagen geen sessie"})
	} else if fellThreeMonths(figs, FigClientSatisfied) {
		out = append(out, Signal{Key: "satisfaction_falling", Text: "Cliënttevredenheid daalt al drie maanden"})
	} else if noSession {
		out = append(out, Signal{Key: "no_session", Text: "90 dagen geen sessie"})
	}
	if r.ScanStatus == "overdue" {
		out = append(out, Signal{Key: "scan_overdue", Text: "De teamscan is te laat"})
	}
	if r.Attendance != nil && *r.Attendance < 60 {
		out = append(out, Signal{Key: "low_attendance", Text: "Opkomst onder 60%"})
	}
	if r.ModulesBehind >= 2 {
		out = append(out, Signal{Key: "behind", Text: "Twee of meer modules lopen achter op de planning"})
	}
	if len(r.trend) >= 2 && r.trend[len(r.trend)-1].Phase < r.trend[len(r.trend)-2].Phase {
		out = append(out, Signal{Key: "phase_down", Text: "De teamfase is gedaald sinds de vorige scan"})
	}
	return out
}

// fellThreeMonths: the figure went down in each of the last three months.
func fellThreeMonths(figs []FigureMonth, key string) bool {
	if len(figs) < 4 {
		return false
	}
	for i := len(figs) - 3; i < len(figs); i++ {
		a, b := figs[i-1].Values[key], figs[i].Values[key]
		if a == nil || b == nil || *b >= *a {
			return false
		}
	}
	return true
}

// series reads figures, or nothing when no figures are wired.
func (s *Service) series(a *identity.Actor, teams []string, from, to Month) map[string][]FigureMonth {
	if s.figures == nil || len(teams) == 0 {
		return map[string][]FigureMonth{}
	}
	return s.figures.Series(a, teams, from, to)
}

// regionsByTeam maps team → [region id, region name].
func (s *Service) regionsByTeam() map[string][2]string {
	regions, _ := s.org.ListRegions(systemActor)
	names := map[string]string{}
	for _, r := range regions {
		names[r.ID] = r.Name
	}
	teams, _ := s.org.ListTeams(systemActor, "")
	out := make(map[string][2]string, len(teams))
	for _, t := range teams {
		out[t.ID] = [2]string{t.RegionID, names[t.RegionID]}
	}
	return out
}
