package dashboard

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Month is a calendar month, counted as year*12 + (month-1).
type Month int

// MonthOf returns the month t falls in (UTC).
func MonthOf(t time.Time) Month {
	t = t.UTC()
	return Month(t.Year()*12 + int(t.Month()) - 1)
}

// MonthAt builds a month from year and month (1–12).
func MonthAt(year, month int) Month { return Month(year*12 + month - 1) }

// Year of the month.
func (m Month) Year() int { return int(m) / 12 }

// Num is the month number, 1–12.
func (m Month) Num() int { return int(m)%12 + 1 }

// String is "yyyy-mm".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year(), m.Num()) }

// MarshalText writes "yyyy-mm".
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads "yyyy-mm".
func (m *Month) UnmarshalText(b []byte) error {
	v, ok := ParseMonth(string(b))
	if !ok {
		return fmt.Errorf("use yyyy-mm, e.g. 2026-10")
	}
	*m = v
	return nil
}

var dutchMonths = map[string]int{
	"jan": 1, "januari": 1, "feb": 2, "februari": 2, "mrt": 3, "maart": 3, "mar": 3, "apr": 4, "april": 4,
	"mei": 5, "may": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8, "augustus": 8, "sep": 9, "sept": 9,
	"september": 9, "okt": 10, "oktober": 10, "oct": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// ParseMonth reads a month as support services write it: 2026-10, 2026-1,
// 2026/10, 10-2026, 10/2026, 202610, "okt 2026" or "oktober 2026". A day
// part (2026-10-01, 01-10-2026) is accepted when it is the first of the month.
func ParseMonth(s string) (Month, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 20 {
		return 0, false
	}
	if f := strings.Fields(s); len(f) == 2 {
		mn, ok := dutchMonths[strings.TrimSuffix(f[0], ".")]
		y, err := strconv.Atoi(f[1])
		if ok && err == nil && y >= 1900 && y <= 2999 {
			return MonthAt(y, mn), true
		}
		return 0, false
	}
	if len(s) == 6 && isDigits(s) {
		y, _ := strconv.Atoi(s[:4])
		mn, _ := strconv.Atoi(s[4:])
		return validYM(y, mn)
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	for _, p := range parts {
		if !isDigits(p) {
			return 0, false
		}
	}
	switch len(parts) {
	case 2:
		a, b := parts[0], parts[1]
		if len(a) == 4 && len(b) <= 2 {
			y, _ := strconv.Atoi(a)
			mn, _ := strconv.Atoi(b)
			return validYM(y, mn)
		}
		if len(b) == 4 && len(a) <= 2 {
			y, _ := strconv.Atoi(b)
			mn, _ := strconv.Atoi(a)
			return validYM(y, mn)
		}
	case 3:
		a, b, c := parts[0], parts[1], parts[2]
		if len(a) == 4 && len(b) <= 2 && len(c) <= 2 {
			y, _ := strconv.Atoi(a)
			mn, _ := strconv.Atoi(b)
			d, _ := strconv.Atoi(c)
			if d == 1 {
				return validYM(y, mn)
			}
		}
		if len(c) == 4 && len(a) <= 2 && len(b) <= 2 {
			y, _ := strconv.Atoi(c)
			mn, _ := strconv.Atoi(b)
			d, _ := strconv.Atoi(a)
			if d == 1 {
				return validYM(y, mn)
			}
		}
	}
	return 0, false
}

func validYM(y, m int) (Month, bool) {
	if y < 1900 || y > 2999 || m < 1 || m > 12 {
		return 0, false
	}
	return MonthAt(y, m), true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Keys of the built-in indicators and of the team-size fields.
const (
	KeyClientSatisfied = "clientSatisfiedPct" // % of clients satisfied with the number of care workers they get
	KeyClientGrade     = "clientGrade"        // clients' overall grade, 1–10
	KeyEmployeeGrade   = "employeeGrade"      // employees' grade for the quality of their work, 1–10
	KeyProductivity    = "productivityPct"    // client-bound hours / paid hours, %
	KeyAbsence         = "absencePct"         // sickness absence, %
	KeyBusinessResult  = "businessResult"     // business result, euros
	KeyHeadcount       = "headcount"          // people in the team
	KeyFTE             = "fte"                // full-time equivalents
)

// Units of indicators.
const (
	UnitPercent = "%"
	UnitGrade   = "grade"
	UnitEuro    = "EUR"
	UnitNumber  = "number"
)

// Directions of "good".
const (
	HigherIsBetter = "higher"
	LowerIsBetter  = "lower"
)

// Aggregations over teams.
const (
	AggWeightedMean = "weighted_mean" // weighted by team size (FTE, else headcount)
	AggSum          = "sum"
)

// Indicator describes one figure: the built-in ones and those the
// organisation adds in the settings.
type Indicator struct {
	Key       string   `json:"key" bson:"key"`
	Name      string   `json:"name" bson:"name"` // Dutch display name
	Unit      string   `json:"unit" bson:"unit"`
	Direction string   `json:"direction" bson:"direction"`
	Target    *float64 `json:"target" bson:"target"`
	Min       *float64 `json:"min" bson:"min"`
	Max       *float64 `json:"max" bson:"max"`
	Aggregate string   `json:"aggregate" bson:"aggregate"`
	Builtin   bool     `json:"builtin" bson:"-"`
	// Private indicators are not shown per team for teams smaller than the
	// minimum group size (see Settings.MinGroupSize).
	Private bool `json:"private" bson:"private"`
	// Restricted follows the business-result visibility setting.
	Restricted bool     `json:"restricted" bson:"-"`
	Aliases    []string `json:"-" bson:"-"`
}

func fp(v float64) *float64 { return &v }

// builtinIndicators are the figures every organisation has.
func builtinIndicators() []Indicator {
	return []Indicator{
		{Key: KeyClientSatisfied, Name: "Cliënten tevreden over aantal zorgverleners", Unit: UnitPercent, Direction: HigherIsBetter,
			Min: fp(0), Max: fp(100), Aggregate: AggWeightedMean, Builtin: true,
			Aliases: []string{"clientsatisfied", "clienttevreden", "cliententevreden", "tevredenheid", "tevredenheidaantalzorgverleners", "tevredenaantalzorgverleners", "clienttevredenheid", "clientsatisfaction"}},
		{Key: KeyClientGrade, Name: "Rapportcijfer cliënten", Unit: UnitGrade, Direction: HigherIsBetter,
			Min: fp(1), Max: fp(10), Aggregate: AggWeightedMean, Builtin: true,
			Aliases: []string{"clientcijfer", "cijferclient", "cijferclienten", "rapportcijferclienten", "rapportcijfer"}},
		{Key: KeyEmployeeGrade, Name: "Cijfer medewerkers voor kwaliteit van hun werk", Unit: UnitGrade, Direction: HigherIsBetter,
			Min: fp(1), Max: fp(10), Aggregate: AggWeightedMean, Builtin: true,
			Aliases: []string{"medewerkercijfer", "cijfermedewerker", "cijfermedewerkers", "medewerkertevredenheid", "employeesatisfaction"}},
		{Key: KeyProductivity, Name: "Productiviteit", Unit: UnitPercent, Direction: HigherIsBetter,
			Min: fp(0), Max: fp(100), Aggregate: AggWeightedMean, Builtin: true,
			Aliases: []string{"productivity", "productiviteit"}},
		{Key: KeyAbsence, Name: "Ziekteverzuim", Unit: UnitPercent, Direction: LowerIsBetter,
			Min: fp(0), Max: fp(100), Aggregate: AggWeightedMean, Builtin: true,
			Aliases: []string{"absence", "verzuim", "ziekteverzuim", "sicknessabsence", "verzuimpercentage"}},
		{Key: KeyBusinessResult, Name: "Bedrijfsresultaat", Unit: UnitEuro, Direction: HigherIsBetter,
			Min: fp(-1e8), Max: fp(1e8), Aggregate: AggSum, Builtin: true, Restricted: true,
			Aliases: []string{"bedrijfsresultaat", "resultaat", "result"}},
	}
}

// Default targets (organisation-wide, per team and month); settings override them.
var defaultTargets = map[string]float64{
	KeyClientSatisfied: 90,
	KeyClientGrade:     8,
	KeyEmployeeGrade:   7.5,
	KeyProductivity:    64,
	KeyAbsence:         6,
	KeyBusinessResult:  0,
}

// Business-result visibility.
const (
	VisibleEveryone = "everyone"
	VisibleManagers = "managers" // regiomanager, ondersteunende_dienst, beheerder
)

// Settings are the organisation's dashboard settings (one document).
type Settings struct {
	ID                       string              `bson:"_id" json:"-"`
	BusinessResultVisibility string              `bson:"businessResultVisibility" json:"businessResultVisibility"`
	MinGroupSize             int                 `bson:"minGroupSize" json:"minGroupSize"`
	PrivateIndicators        []string            `bson:"privateIndicators" json:"privateIndicators"`
	Targets                  map[string]*float64 `bson:"targets" json:"targets"`
	Indicators               []Indicator         `bson:"indicators" json:"indicators"` // extra indicators
	UpdatedAt                time.Time           `bson:"updatedAt" json:"updatedAt"`
	UpdatedBy                string              `bson:"updatedBy" json:"updatedBy"`
}

func defaultSettings() Settings {
	t := map[string]*float64{}
	for k, v := range defaultTargets {
		t[k] = fp(v)
	}
	return Settings{ID: settingsID, BusinessResultVisibility: VisibleEveryone, MinGroupSize: 8,
		PrivateIndicators: []string{KeyAbsence}, Targets: t, Indicators: []Indicator{}}
}

// figureDoc is one team-month of one import (collection dashboard_figures,
// insert-only). _id is "<team>:<yyyy-mm>:<importId>". A key present in
// Values with a nil value clears the figure (an empty cell in a column the
// file has).
type figureDoc struct {
	ID       string              `bson:"_id"`
	Team     string              `bson:"team"`
	Month    string              `bson:"month"`
	ImportID string              `bson:"importId"`
	Values   map[string]*float64 `bson:"values"`
}

func figureID(team string, m Month, importID string) string {
	return team + ":" + m.String() + ":" + importID
}

// Import is one committed import (collection dashboard_imports). It is
// inserted once, after all its figures: a figure whose import document is
// missing is an orphan of an interrupted commit and is ignored.
type Import struct {
	ID         string        `bson:"_id" json:"id"`
	Committed  bool          `bson:"committed" json:"committed"`
	At         time.Time     `bson:"at" json:"at"`
	By         string        `bson:"by" json:"by"`
	ByName     string        `bson:"byName" json:"byName"`
	Kind       string        `bson:"kind" json:"kind"` // csv, api, seed
	FileName   string        `bson:"fileName" json:"fileName"`
	Source     string        `bson:"source" json:"source"` // file name or pushing system
	Hash       string        `bson:"hash" json:"hash"`
	Rows       int           `bson:"rows" json:"rows"`
	Columns    []string      `bson:"columns" json:"columns"`
	FirstMonth string        `bson:"firstMonth" json:"firstMonth"`
	LastMonth  string        `bson:"lastMonth" json:"lastMonth"`
	Summary    ChangeSummary `bson:"summary" json:"summary"`
	Changes    []Change      `bson:"changes" json:"changes,omitempty"`
	Truncated  bool          `bson:"truncated" json:"changesTruncated"`
}

// Import kinds.
const (
	KindCSV  = "csv"
	KindAPI  = "api"
	KindSeed = "seed"
)

// ChangeSummary counts what an import changed against the figures in effect before it.
type ChangeSummary struct {
	TeamMonths    int `bson:"teamMonths" json:"teamMonths"`       // team-months in the import
	NewTeamMonths int `bson:"newTeamMonths" json:"newTeamMonths"` // team-months that had no figures
	Added         int `bson:"added" json:"added"`                 // values where there was none
	Changed       int `bson:"changed" json:"changed"`             // values that differ
	Cleared       int `bson:"cleared" json:"cleared"`             // values removed by an empty cell
	Unchanged     int `bson:"unchanged" json:"unchanged"`
}

// Change is one value an import changed.
type Change struct {
	Team  string   `bson:"team" json:"team"`
	Month string   `bson:"month" json:"month"`
	Key   string   `bson:"key" json:"key"`
	Old   *float64 `bson:"old" json:"old"`
	New   *float64 `bson:"new" json:"new"`
}

// maxStoredChanges caps the change list kept with an import.
const maxStoredChanges = 500
