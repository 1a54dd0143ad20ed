package demo

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
)

// The dashboard's demo figures: 24 months for every demo team, written as
// one import with a fixed id through dashboard.Service.ImportBatch.

const dashboardMarker = "demo-dashboard-v1"

// DashboardImportID is the id of the demo figures' import.
const DashboardImportID = "seed-demo-v1"

// DashboardMonths is how many months of demo figures the demo loads.
const DashboardMonths = 24

// seedDashboard loads the demo figures once: DashboardMonths months ending
// with the previous calendar month. Idempotent: a marker in the meta
// collection records that it ran, and the import's fixed id and figure ids
// make a re-run after a failure half-way store nothing twice.
func seedDashboard(ctx context.Context, d Deps) (bool, error) {
	if ok, err := done(ctx, d.Store, dashboardMarker); ok || err != nil {
		return false, err
	}
	seeder := &identity.Actor{UserID: "system", Name: "Plein (demo-gegevens)"}
	figures := DashboardFigures(dashboard.MonthOf(d.Now())-1, DashboardMonths)
	if _, err := d.Dashboard.ImportBatch(ctx, seeder, figures, dashboard.Import{ID: DashboardImportID, Kind: dashboard.KindSeed, Source: "Demo-gegevens"}); err != nil {
		return false, err
	}
	return true, mark(ctx, d.Store, dashboardMarker, d.Now().UTC())
}

// figureTeam is a demo team as the figures see it.
type figureTeam struct {
	ID      string
	Members int
}

// figureTeams are the demo teams with their sizes.
func figureTeams() []figureTeam {
	members := orgdata.TeamMembers()
	var out []figureTeam
	for _, t := range orgdata.Teams() {
		out = append(out, figureTeam{ID: t.ID, Members: len(members[t.ID])})
	}
	return out
}

// figureSmallTeams have fewer people than the default minimum group size, so
// the demo shows how small teams' sickness absence is withheld. Both are in
// Den Helder: together they are big enough for the region average to show.
var figureSmallTeams = map[string]int{"huisduinen": 7, "visbuurt": 7}

type figureMetric struct {
	key               string
	start, end        float64 // organisation level, weighted by FTE
	off, slope, noise float64 // team spread: level, pace of change (relative), month to month
	season            float64 // seasonal swing (winter high for positive values)
	lo, hi            float64
}

// The organisation-level movement of domain.md: first month → last month.
var figureMetrics = []figureMetric{
	{key: dashboard.KeyClientSatisfied, start: 80, end: 92.4, off: 3.5, slope: 0.6, noise: 1.4, lo: 50, hi: 100},
	{key: dashboard.KeyClientGrade, start: 7.6, end: 8.2, off: 0.25, slope: 0.6, noise: 0.1, lo: 5, hi: 10},
	{key: dashboard.KeyEmployeeGrade, start: 6.9, end: 7.2, off: 0.3, slope: 1.3, noise: 0.12, lo: 4, hi: 10},
	{key: dashboard.KeyAbsence, start: 8.24, end: 5.9, off: 1.6, slope: 0.8, noise: 0.8, season: 0.6, lo: 0.5, hi: 25},
	{key: dashboard.KeyProductivity, start: 61.2, end: 64.8, off: 2.2, slope: 0.7, noise: 0.8, season: -0.5, lo: 40, hi: 90},
}

// Business result per year (first and second twelve months), in euros.
const (
	figureResultYear1 = -151000
	figureResultYear2 = 1149000
)

// DashboardFigures returns months months of demo figures ending with end,
// for every demo team; the demo loads DashboardMonths of them, benchmarks
// use 36 (the third year repeats the second year's business result).
// Deterministic (fixed-seed PCG). Weighted by FTE, the teams add up to the
// organisation-level movement in docs (clients satisfied with the number of
// care workers 80% → 92.4%, client grade 7.6 → 8.2, employee grade
// 6.9 → 7.2, absence 8.24% → 5.9%, productivity 61.2% → 64.8%) at the first
// and last month; the business result sums to −€151,000 over the first year
// and +€1,149,000 over the second. Teams differ in level and pace, and some
// slip while the organisation improves.
func DashboardFigures(end dashboard.Month, months int) *dashboard.Batch {
	teams := figureTeams()
	rng := rand.New(rand.NewPCG(0x64617368, 0x626f617264)) // "dash", "board"
	n := len(teams)
	hc := make([]float64, n)
	fte := make([]float64, n)
	var W float64
	for i, t := range teams {
		hc[i] = float64(max(t.Members, 9))
		if s, ok := figureSmallTeams[t.ID]; ok {
			hc[i] = float64(s)
		}
		fte[i] = roundTo(hc[i]*(0.58+0.16*rng.Float64()), 1)
		W += fte[i]
	}
	first := end - dashboard.Month(months) + 1
	vals := make([][]map[string]*float64, n) // team → month index → values
	for i := range vals {
		vals[i] = make([]map[string]*float64, months)
		for k := range vals[i] {
			vals[i][k] = map[string]*float64{dashboard.KeyHeadcount: ptr(hc[i]), dashboard.KeyFTE: ptr(fte[i])}
		}
	}
	for _, sm := range figureMetrics {
		off := make([]float64, n)
		dev := make([]float64, n)
		for i := range off {
			off[i] = rng.NormFloat64() * sm.off
			dev[i] = rng.NormFloat64() * sm.slope
		}
		for k := 0; k < months; k++ {
			t := float64(k) / float64(months-1)
			cal := float64((first + dashboard.Month(k)).Num())
			wobble := sm.season * math.Sin(math.Pi*t) * math.Cos(2*math.Pi*(cal-1)/12)
			target := sm.start + (sm.end-sm.start)*t + wobble
			raw := make([]float64, n)
			var mean float64
			for i := range raw {
				raw[i] = sm.start + (sm.end-sm.start)*t*(1+dev[i]) + off[i] + wobble + rng.NormFloat64()*sm.noise
				mean += fte[i] * raw[i]
			}
			shift := target - mean/W
			out := make([]float64, n)
			for range 8 { // shift again after clamping at the bounds
				var got float64
				for i := range raw {
					out[i] = clampf(raw[i]+shift, sm.lo, sm.hi)
					got += fte[i] * out[i]
				}
				shift += target - got/W
			}
			for i := range out {
				out[i] = roundTo(out[i], 1)
			}
			figureFit(out, fte, W, target, sm.lo, sm.hi)
			for i := range out {
				vals[i][k][sm.key] = ptr(out[i])
			}
		}
	}
	// Business result: monthly organisation totals that add up to the year
	// totals, spread over teams by FTE with a per-team margin.
	margin := make([]float64, n)
	for i := range margin {
		margin[i] = rng.NormFloat64() * 1500 // euros per FTE per month, better or worse than average
	}
	largest := 0
	for i := range fte {
		if fte[i] > fte[largest] {
			largest = i
		}
	}
	for year := 0; year*12 < months; year++ {
		total := figureResultYear1
		if year > 0 {
			total = figureResultYear2
		}
		monthly := make([]int, 12)
		sum := 0
		for j := range monthly {
			monthly[j] = total/12 + int(40000*math.Cos(2*math.Pi*float64(j)/12))
			sum += monthly[j]
		}
		monthly[11] += total - sum
		for j, mt := range monthly {
			k := year*12 + j
			if k >= months {
				break
			}
			var mm float64
			for i := range margin {
				mm += margin[i] * fte[i]
			}
			teamSum := 0
			res := make([]int, n)
			for i := range res {
				res[i] = int(math.Round(float64(mt)*fte[i]/W + (margin[i]-mm/W)*fte[i] + rng.NormFloat64()*1500))
				teamSum += res[i]
			}
			res[largest] += mt - teamSum
			for i := range res {
				vals[i][k][dashboard.KeyBusinessResult] = ptr(float64(res[i]))
			}
		}
	}
	b := &dashboard.Batch{Columns: []string{dashboard.KeyAbsence, dashboard.KeyBusinessResult, dashboard.KeyClientGrade, dashboard.KeyClientSatisfied, dashboard.KeyEmployeeGrade, dashboard.KeyFTE, dashboard.KeyHeadcount, dashboard.KeyProductivity}}
	for i, t := range teams {
		for k := 0; k < months; k++ {
			b.Rows = append(b.Rows, dashboard.BatchRow{Row: len(b.Rows), Team: t.ID, Month: first + dashboard.Month(k), Values: vals[i][k]})
		}
	}
	return b
}

// figureFit nudges rounded team values by 0.1 so that their weighted mean
// matches target as closely as one-decimal values allow.
func figureFit(v, w []float64, W, target, lo, hi float64) {
	order := make([]int, len(v))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if w[a] != w[b] {
			if w[a] > w[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	for iter := 0; iter < 20*len(v); iter++ {
		var mean float64
		for i := range v {
			mean += w[i] * v[i]
		}
		r := target - mean/W
		i := order[iter%len(order)]
		step := 0.1 * w[i] / W
		if math.Abs(r) <= step/2 {
			return
		}
		d := 0.1
		if r < 0 {
			d = -0.1
		}
		if nv := roundTo(v[i]+d, 1); nv >= lo && nv <= hi {
			v[i] = nv
		}
	}
}

func clampf(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

func roundTo(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

func ptr(v float64) *float64 { return &v }
