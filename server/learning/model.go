package learning

import (
	"fmt"
	"time"
)

// Team-maturity phases (domain.md): 1 beginnend … 4 zelfsturend.
const (
	PhaseBeginnend   = 1
	PhaseLerend      = 2
	PhaseGevorderd   = 3
	PhaseZelfsturend = 4
)

// PhaseNames are the Dutch names of the phases, index = phase.
var PhaseNames = []string{"", "beginnend", "lerend", "gevorderd", "zelfsturend"}

// MinRespondents is the fewest answers a scan needs before its team profile
// is shown: the same rule of three as elsewhere, so that no profile can be
// traced back to one person.
const MinRespondents = 3

// Module progress.
const (
	StatusPlanned = "planned"
	StatusDone    = "done"
	StatusSkipped = "skipped"
)

// Attendance.
const (
	Present = "present"
	Absent  = "absent"
)

// Scan kinds: at the start, every quarter, at the end.
const (
	ScanStart   = "start"
	ScanQuarter = "quarter"
	ScanEnd     = "end"
)

// TrajectoryMonths is the length of a trajectory.
const TrajectoryMonths = 24

// Month counts calendar months as year*12 + (month-1), like dashboard.Month.
type Month int

// MonthOf is the month t falls in (UTC).
func MonthOf(t time.Time) Month { t = t.UTC(); return Month(t.Year()*12 + int(t.Month()) - 1) }

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/12, int(m)%12+1) }

// Time is the first instant of the month (UTC).
func (m Month) Time() time.Time {
	return time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, time.UTC)
}

// ParseMonth reads "yyyy-mm".
func ParseMonth(s string) (Month, bool) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return 0, false
	}
	return MonthOf(t), true
}

// Material is a link to a Kennisbank article or an outside page.
type Material struct {
	Title     string `bson:"title" json:"title"`
	ArticleID string `bson:"articleId,omitempty" json:"articleId,omitempty"`
	URL       string `bson:"url,omitempty" json:"url,omitempty"`
}

// Module is one part of a programme.
type Module struct {
	Key         string     `bson:"key" json:"key"`
	Title       string     `bson:"title" json:"title"`
	Goals       []string   `bson:"goals" json:"goals"`
	Materials   []Material `bson:"materials" json:"materials"`
	Assignments []string   `bson:"assignments" json:"assignments"`
}

// Programme is one version of a programme (collection learning_programmes,
// insert-only, _id "<programme>:v<version>"). Editing inserts the next
// version; trajectories keep the version they started with.
type Programme struct {
	DocID       string    `bson:"_id" json:"-"`
	ID          string    `bson:"programme" json:"id"`
	Version     int       `bson:"version" json:"version"`
	Name        string    `bson:"name" json:"name"`
	Description string    `bson:"description" json:"description"`
	Modules     []Module  `bson:"modules" json:"modules"`
	CreatedAt   time.Time `bson:"createdAt" json:"createdAt"`
	CreatedBy   string    `bson:"createdBy" json:"createdBy"`
}

// ProgrammeDocID is the stored id of version v of programme id.
func ProgrammeDocID(id string, v int) string { return fmt.Sprintf("%s:v%04d", id, v) }

// Cohort is a group of teams that start together (collection
// learning_cohorts). It is written after its trajectories: a trajectory
// whose cohort is missing is the leftover of an interrupted create and is
// ignored until the create is re-run.
type Cohort struct {
	ID               string    `bson:"_id" json:"id"`
	Name             string    `bson:"name" json:"name"`
	ProgrammeID      string    `bson:"programmeId" json:"programmeId"`
	ProgrammeVersion int       `bson:"programmeVersion" json:"programmeVersion"`
	StartMonth       string    `bson:"startMonth" json:"startMonth"`
	TeamIDs          []string  `bson:"teamIds" json:"teamIds"`
	CreatedAt        time.Time `bson:"createdAt" json:"createdAt"`
	CreatedBy        string    `bson:"createdBy" json:"createdBy"`
}

// PlanItem is one module in a team's trajectory.
type PlanItem struct {
	Key          string     `bson:"key" json:"key"`
	Title        string     `bson:"title" json:"title"`
	PlannedMonth string     `bson:"plannedMonth" json:"plannedMonth"`
	Status       string     `bson:"status" json:"status"`
	Reason       string     `bson:"reason,omitempty" json:"reason,omitempty"`
	DoneAt       *time.Time `bson:"doneAt,omitempty" json:"doneAt,omitempty"`
}

// Trajectory is a team's path through a programme version (collection
// learning_trajectories, _id "<cohort>:<team>").
type Trajectory struct {
	ID               string     `bson:"_id" json:"id"`
	CohortID         string     `bson:"cohortId" json:"cohortId"`
	TeamID           string     `bson:"teamId" json:"teamId"`
	CoachID          string     `bson:"coachId" json:"coachId"`
	ProgrammeID      string     `bson:"programmeId" json:"programmeId"`
	ProgrammeVersion int        `bson:"programmeVersion" json:"programmeVersion"`
	StartMonth       string     `bson:"startMonth" json:"startMonth"`
	Modules          []PlanItem `bson:"modules" json:"modules"`
	UpdatedAt        time.Time  `bson:"updatedAt" json:"updatedAt"`
}

// TrajectoryID is the id of team's trajectory in cohort.
func TrajectoryID(cohort, team string) string { return cohort + ":" + team }

// Attendance is one person's attendance at a session.
type Attendance struct {
	Status string    `bson:"status" json:"status"`
	Self   bool      `bson:"self" json:"self"` // checked in themselves
	By     string    `bson:"by" json:"-"`
	At     time.Time `bson:"at" json:"at"`
}

// Session is a learning meeting (collection learning_sessions).
type Session struct {
	ID          string                `bson:"_id" json:"id"`
	ModuleKey   string                `bson:"moduleKey" json:"moduleKey"`
	ModuleTitle string                `bson:"moduleTitle" json:"moduleTitle"`
	Title       string                `bson:"title" json:"title"`
	TeamIDs     []string              `bson:"teamIds" json:"teamIds"`
	CoachID     string                `bson:"coachId" json:"coachId"`
	Start       time.Time             `bson:"start" json:"start"`
	End         time.Time             `bson:"end" json:"end"`
	Place       string                `bson:"place" json:"place"`
	Link        string                `bson:"link" json:"link"`
	Capacity    int                   `bson:"capacity" json:"capacity"`
	MakeUpFor   string                `bson:"makeUpFor,omitempty" json:"makeUpFor,omitempty"`
	Invitees    []string              `bson:"invitees" json:"-"` // members of the teams when planned, and make-up guests
	Attendance  map[string]Attendance `bson:"attendance" json:"-"`
	CreatedAt   time.Time             `bson:"createdAt" json:"createdAt"`
}

// Reflection is a team's reflection on a module and its coach's answer
// (collection learning_reflections, _id "<trajectory>:<module>").
type Reflection struct {
	ID           string     `bson:"_id" json:"-"`
	TrajectoryID string     `bson:"trajectoryId" json:"-"`
	TeamID       string     `bson:"teamId" json:"teamId"`
	ModuleKey    string     `bson:"moduleKey" json:"moduleKey"`
	Body         string     `bson:"body" json:"body"`
	AuthorID     string     `bson:"authorId" json:"-"`
	UpdatedAt    time.Time  `bson:"updatedAt" json:"updatedAt"`
	Reply        string     `bson:"reply" json:"reply"`
	ReplyBy      string     `bson:"replyBy" json:"-"`
	ReplyAt      *time.Time `bson:"replyAt,omitempty" json:"replyAt,omitempty"`
}

// Profile is a closed scan's team profile: the mean phase per theme. It
// exists only when at least MinRespondents members answered.
type Profile struct {
	Themes      map[string]float64 `bson:"themes" json:"themes"`
	Mean        float64            `bson:"mean" json:"mean"`
	Phase       int                `bson:"phase" json:"phase"`
	Respondents int                `bson:"respondents" json:"respondents"`
}

// Scan is one team-maturity scan (collection learning_scans, _id
// "<trajectory>:<seq>"). Individual answers live in learning_scan_answers
// only while the scan is open; closing folds them into the profile and
// deletes them. A closed scan never changes.
type Scan struct {
	ID            string     `bson:"_id" json:"id"`
	TrajectoryID  string     `bson:"trajectoryId" json:"-"`
	TeamID        string     `bson:"teamId" json:"teamId"`
	Seq           int        `bson:"seq" json:"seq"`
	Kind          string     `bson:"kind" json:"kind"`
	OpenedAt      time.Time  `bson:"openedAt" json:"openedAt"`
	ClosedAt      *time.Time `bson:"closedAt,omitempty" json:"closedAt,omitempty"`
	Respondents   []string   `bson:"respondents" json:"-"`
	Profile       *Profile   `bson:"profile,omitempty" json:"-"`
	Observation   string     `bson:"observation" json:"observation"`
	ObservedPhase int        `bson:"observedPhase" json:"observedPhase"`
	ObservedBy    string     `bson:"observedBy" json:"-"`
}

// ScanID is the id of a trajectory's seq-th scan.
func ScanID(traj string, seq int) string { return fmt.Sprintf("%s:%02d", traj, seq) }

// scanAnswer is one member's answers to an open scan (_id "<scan>:<user>").
type scanAnswer struct {
	ID      string         `bson:"_id"`
	ScanID  string         `bson:"scanId"`
	Answers map[string]int `bson:"answers"`
}

// Settings name the programme designers: support-service staff with the
// learning role (administrators always design).
type Settings struct {
	ID        string    `bson:"_id" json:"-"`
	Designers []string  `bson:"designers" json:"designers"`
	UpdatedAt time.Time `bson:"updatedAt" json:"updatedAt"`
}

// Theme is one theme of the scan with a statement per phase.
type Theme struct {
	Key        string    `json:"key"`
	Title      string    `json:"title"`
	Question   string    `json:"question"`
	Statements [4]string `json:"statements"` // phase 1..4
}

// ScanThemes is the questionnaire: per theme, the member picks the
// statement that fits the team best. Six taps; well under 3 minutes.
var ScanThemes = []Theme{
	{Key: "samenwerking", Title: "Samenwerking", Question: "Hoe werken we samen?", Statements: [4]string{
		"Ieder doet vooral het eigen werk; afstemmen gaat via de wijkverpleegkundige.",
		"We helpen elkaar als het gevraagd wordt en bespreken het werk in het overleg.",
		"We verdelen het werk samen en spreken elkaar aan op afspraken.",
		"We voelen ons samen verantwoordelijk en lossen knelpunten zelf op."}},
	{Key: "besluitvorming", Title: "Besluitvorming", Question: "Hoe nemen we besluiten?", Statements: [4]string{
		"Besluiten worden voor ons genomen.",
		"We praten mee, maar besluiten blijven vaak liggen.",
		"We besluiten in het teamoverleg met een vaste werkwijze.",
		"We besluiten snel en samen, en evalueren onze besluiten."}},
	{Key: "planning", Title: "Planning en rooster", Question: "Hoe regelen we planning en rooster?", Statements: [4]string{
		"Het rooster wordt voor ons gemaakt.",
		"We geven wensen door en passen soms zelf iets aan.",
		"De planner in het team maakt het rooster met ons samen.",
		"We plannen zelf, ook bij ziekte en drukte, binnen de afspraken."}},
	{Key: "kwaliteit", Title: "Kwaliteit van zorg", Question: "Hoe bewaken we de kwaliteit van zorg?", Statements: [4]string{
		"Kwaliteit is vooral een zaak van anderen.",
		"We kennen de protocollen en volgen ze.",
		"We bespreken incidenten en verbeteren samen.",
		"We meten onze kwaliteit en verbeteren uit onszelf."}},
	{Key: "financien", Title: "Financiën en productiviteit", Question: "Hoe gaan we om met onze cijfers?", Statements: [4]string{
		"We kennen onze cijfers niet.",
		"We zien de cijfers, maar doen er weinig mee.",
		"We bespreken de cijfers maandelijks en sturen bij.",
		"We sturen zelf op productiviteit en resultaat."}},
	{Key: "client", Title: "De cliënt aan het roer", Question: "Welke rol heeft de cliënt?", Statements: [4]string{
		"We werken volgens het zorgplan zoals het is opgesteld.",
		"We vragen de cliënt naar wensen.",
		"De cliënt en mantelzorg plannen de zorg met ons mee.",
		"De cliënt heeft de regie; wij sluiten aan bij wat hij zelf kan."}},
}

func themeKeys() []string {
	out := make([]string, len(ScanThemes))
	for i, t := range ScanThemes {
		out[i] = t.Key
	}
	return out
}

// DefaultModules is the default programme's eight modules.
func DefaultModules() []Module {
	mk := func(key, title string, goals []string, assignment string) Module {
		return Module{Key: key, Title: title, Goals: goals, Materials: []Material{}, Assignments: []string{assignment}}
	}
	// Materials are Kennisbank articles of the demo knowledge base.
	kb := func(m Module, materials ...Material) Module { m.Materials = materials; return m }
	taakrollen := Material{Title: "Werken in een zelfsturend team met taakrollen", ArticleID: "hr-zelfsturend-team-taakrollen"}
	return []Module{
		kb(mk("zelfsturend-werken", "Werken als zelfsturend team", []string{"Weten wat zelfsturing van het team vraagt", "Afspraken maken over verantwoordelijkheden"}, "Beschrijf samen wat jullie nu al zelf regelen en wat nog niet."), taakrollen),
		kb(mk("besluitvorming", "Besluitvorming en overleg", []string{"Een werkwijze voor besluiten in het teamoverleg", "Een goede agenda en verslaglegging"}, "Neem in het volgende overleg een besluit volgens de nieuwe werkwijze."), taakrollen),
		kb(mk("planning-rooster", "Planning en rooster", []string{"Samen het rooster maken", "Omgaan met ziekte en drukte"}, "Maak het rooster van de komende maand samen."), Material{Title: "Verlof aanvragen en vakantie plannen in je team", ArticleID: "hr-verlof-aanvragen"}),
		kb(mk("kwaliteit-van-zorg", "Kwaliteit van zorg", []string{"Incidenten bespreken en ervan leren", "Kwaliteit meten en verbeteren"}, "Bespreek een incident met de methode uit de sessie."), Material{Title: "MIC-melding doen bij incidenten en medicatiefouten", ArticleID: "kwaliteit-mic-melding"}, Material{Title: "PREM-uitvraag wijkverpleging", ArticleID: "kwaliteit-prem-uitvraag"}),
		kb(mk("financien-productiviteit", "Financiën en productiviteit", []string{"De teamcijfers lezen en bespreken", "Bijsturen op productiviteit"}, "Bespreek de cijfers van de laatste drie maanden in het overleg."), Material{Title: "Ziekmelden en betermelden bij verzuim", ArticleID: "hr-ziekmelden-verzuim"}),
		mk("conflict-feedback", "Omgaan met conflicten en feedback", []string{"Feedback geven en ontvangen", "Een conflict samen oplossen"}, "Oefen in tweetallen met feedback op een werksituatie."),
		kb(mk("client-aan-het-roer", "De cliënt aan het roer", []string{"De cliënt en mantelzorg betrekken bij de zorg", "Eigen regie en zelfredzaamheid bevorderen"}, "Voer een gesprek met een cliënt over wat hij zelf wil en kan."), Material{Title: "Vrijheidsbeperking thuis en de Wet zorg en dwang", ArticleID: "veiligheid-vrijheidsbeperking-wzd"}, Material{Title: "Klachtenregeling voor cliënten", ArticleID: "kwaliteit-klachtenregeling"}),
		kb(mk("teamrollen", "Teamrollen", []string{"Taakrollen verdelen en beleggen", "Elkaars rol kennen en steunen"}, "Verdeel de taakrollen opnieuw en leg ze vast."), taakrollen),
	}
}

// DefaultProgrammeID is the default programme's id.
const DefaultProgrammeID = "zelfsturing"
