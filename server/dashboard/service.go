package dashboard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
)

// Org is what the dashboard reads from the organisation.
type Org interface {
	ListRegions(a *identity.Actor) ([]org.RegionSummary, error)
	ListTeams(a *identity.Actor, regionID string) ([]org.TeamSummary, error)
	TeamIDsOf(userID string) []string
	// Generation changes whenever regions, teams or memberships change:
	// the directory is kept until it does.
	Generation() uint64
}

// Options tune the service (tests set the clock).
type Options struct {
	Logger *slog.Logger
	Now    func() time.Time
	// Changed runs after this instance committed an import or changed the
	// settings; the app announces it through the broker, so every instance
	// reloads at once (privacy settings must not lag behind).
	Changed func(ctx context.Context)
}

// Service holds the committed figures in memory and answers every read from
// there; imports append to the store and then swap the in-memory state.
type Service struct {
	st      *dashStore
	org     Org
	log     *slog.Logger
	now     func() time.Time
	changed func(ctx context.Context)

	writeMu  sync.Mutex // serialises imports, settings changes and reloads on this instance
	mu       sync.RWMutex
	cur      *state
	settings Settings

	dirMu  sync.Mutex
	dir    *directory // of the organisation's generation dirGen; read-only
	dirGen uint64

	setGen uint64 // moves with every assignment of settings (mu)
	aggMu  sync.Mutex
	aggs   map[aggKey]*aggCache // region and organisation aggregates (views.go)
}

// NewService loads the committed figures and the settings.
func NewService(ctx context.Context, s *store.Store, o Org, opt Options) (*Service, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	svc := &Service{st: newStore(s), org: o, log: opt.Logger, now: opt.Now, changed: opt.Changed, cur: buildState(nil, nil), settings: defaultSettings()}
	return svc, svc.Reload(ctx)
}

// Reload re-reads the settings and the import records; only when the set of
// committed imports changed (another instance imported) are the figures
// read again. Called by the app when another instance changed the
// dashboard (its shared change log).
func (s *Service) Reload(ctx context.Context) error {
	// Under the write lock: a reload that read the store before a local
	// import or settings change must not swap its older copy in after it
	// (a change announced by this instance makes every instance reload,
	// this one too, at any moment).
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.reloadLocked(ctx)
}

// reloadLocked is Reload for a caller that holds writeMu.
func (s *Service) reloadLocked(ctx context.Context) error {
	set, err := s.st.loadSettings(ctx)
	if err != nil {
		return err
	}
	imports, err := loadAll[Import](ctx, s.st.imports)
	if err != nil {
		return err
	}
	cur := s.current()
	same := true
	n := 0
	for _, im := range imports {
		if im.Committed {
			n++
			if _, ok := cur.imports[im.ID]; !ok {
				same = false
			}
		}
	}
	if same && n == len(cur.imports) {
		s.mu.Lock()
		s.settings = set
		s.setGen++
		s.mu.Unlock()
		return nil
	}
	figs, err := loadAll[figureDoc](ctx, s.st.figures)
	if err != nil {
		return err
	}
	next := buildState(imports, figs)
	s.mu.Lock()
	// A local commit may have landed while we read; never go back.
	if len(next.imports) >= len(s.cur.imports) {
		s.cur = next
	}
	s.settings = set
	s.setGen++
	s.mu.Unlock()
	return nil
}

func (s *Service) current() *state {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

// snapshot is the figures and the settings, read together, with the
// settings' generation.
func (s *Service) snapshot() (*state, Settings, uint64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur, s.settings, s.setGen
}

func (s *Service) currentSettings() Settings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.settings
}

func (s *Service) nowMonth() Month { return MonthOf(s.now()) }

// ---------------------------------------------------------------------------
// Access

func requireActor(a *identity.Actor) error {
	if a == nil {
		return apperr.ErrUnauthenticated
	}
	return nil
}

// CanImport: support services and administrators import figures.
func CanImport(a *identity.Actor) bool {
	return a.Has(identity.RoleOndersteunendeDienst) || a.Has(identity.RoleBeheerder)
}

func requireImporter(a *identity.Actor) error {
	if err := requireActor(a); err != nil {
		return err
	}
	if !CanImport(a) {
		return apperr.Forbidden("forbidden", "only support services (ondersteunende dienst) and administrators import figures")
	}
	return nil
}

// isManager: who sees the business result when it is limited to managers.
func isManager(a *identity.Actor) bool {
	return a.Has(identity.RoleRegiomanager) || a.Has(identity.RoleOndersteunendeDienst) || a.Has(identity.RoleBeheerder)
}

// indicators returns every indicator with its current target and privacy flag.
func indicatorsFor(set Settings) []Indicator {
	out := builtinIndicators()
	for _, x := range set.Indicators {
		x.Builtin = false
		out = append(out, x)
	}
	for i := range out {
		if t, ok := set.Targets[out[i].Key]; ok {
			out[i].Target = t
		} else if !out[i].Builtin {
			// extra indicators carry their own target
		} else if d, ok := defaultTargets[out[i].Key]; ok {
			out[i].Target = fp(d)
		}
		out[i].Private = out[i].Private || slices.Contains(set.PrivateIndicators, out[i].Key)
	}
	return out
}

// visibleIndicators drops the business result for those who may not see it.
func visibleIndicators(a *identity.Actor, set Settings) []Indicator {
	all := indicatorsFor(set)
	if set.BusinessResultVisibility != VisibleManagers || isManager(a) {
		return all
	}
	return slices.DeleteFunc(all, func(i Indicator) bool { return i.Restricted })
}

// Indicators lists the indicators the actor can see, with targets.
func (s *Service) Indicators(a *identity.Actor) ([]Indicator, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	return visibleIndicators(a, s.currentSettings()), nil
}

// ---------------------------------------------------------------------------
// Directory

type teamInfo struct {
	ID, Name, RegionID, RegionName string
}

type directory struct {
	teams    map[string]*teamInfo
	order    []*teamInfo // by name
	regions  []org.RegionSummary
	byRegion map[string][]*teamInfo
	byName   map[string]string
}

// directory is the organisation's regions and teams as the dashboard uses
// them, built once per generation of the organisation (not per request: at
// 417 teams that was most of /dashboard/teams/:id). Callers must not change it.
func (s *Service) directory(a *identity.Actor) (*directory, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	gen := s.org.Generation()
	s.dirMu.Lock()
	defer s.dirMu.Unlock()
	if s.dir != nil && s.dirGen == gen {
		return s.dir, nil
	}
	regions, err := s.org.ListRegions(systemActor)
	if err != nil {
		return nil, err
	}
	teams, err := s.org.ListTeams(systemActor, "")
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, r := range regions {
		names[r.ID] = r.Name
	}
	d := &directory{teams: map[string]*teamInfo{}, regions: regions, byRegion: map[string][]*teamInfo{}, byName: map[string]string{}}
	for _, t := range teams {
		ti := &teamInfo{ID: t.ID, Name: t.Name, RegionID: t.RegionID, RegionName: names[t.RegionID]}
		d.teams[t.ID] = ti
		d.order = append(d.order, ti)
		d.byRegion[t.RegionID] = append(d.byRegion[t.RegionID], ti)
		d.byName[normHeader(t.Name)] = t.ID
	}
	s.dir, s.dirGen = d, gen
	return d, nil
}

func (d *directory) lookup(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if _, ok := d.teams[s]; ok {
		return s, true
	}
	if _, ok := d.teams[strings.ToLower(s)]; ok {
		return strings.ToLower(s), true
	}
	if n := normHeader(s); n != "" {
		id, ok := d.byName[n]
		return id, ok
	}
	return "", false
}

// systemActor reads the organisation on the service's own behalf.
var systemActor = &identity.Actor{UserID: "system", Name: "Plein"}

// ---------------------------------------------------------------------------
// Imports

// Preview is what an import would do, computed without storing anything.
type Preview struct {
	FileName    string         `json:"fileName"`
	Delimiter   string         `json:"delimiter,omitempty"`
	Valid       bool           `json:"valid"`
	Rows        int            `json:"rows"`
	Columns     []string       `json:"columns"`
	Errors      []Issue        `json:"errors"`
	Hash        string         `json:"hash,omitempty"`
	Summary     *ChangeSummary `json:"summary,omitempty"`
	Changes     []Change       `json:"changes,omitempty"`
	Truncated   bool           `json:"changesTruncated,omitempty"`
	DuplicateOf string         `json:"duplicateOf,omitempty"` // an earlier import with the same content
	Figures     []PreviewRow   `json:"figures,omitempty"`
}

// PreviewRow is one parsed row, as it would be stored.
type PreviewRow struct {
	Row      int                 `json:"row"`
	Team     string              `json:"team"`
	TeamName string              `json:"teamName"`
	Month    Month               `json:"month"`
	Values   map[string]*float64 `json:"values"`
}

// Upload is an import file.
type Upload struct {
	FileName string
	Data     []byte
}

func cleanFileName(n string) string {
	n = strings.TrimSpace(n)
	if i := strings.LastIndexAny(n, `/\`); i >= 0 {
		n = n[i+1:]
	}
	n = clip(n)
	if !utf8.ValidString(n) || n == "" {
		return "upload.csv"
	}
	if len(n) > 120 {
		n = n[:120]
	}
	return n
}

// parseUpload turns a file into a batch (or issues).
func (s *Service) parseUpload(a *identity.Actor, up Upload) (*Batch, *Table, []Issue, *directory, error) {
	dir, err := s.directory(a)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	t, issues := ParseFile(up.Data)
	if len(issues) > 0 {
		return nil, nil, issues, dir, nil
	}
	b, issues := ValidateTable(t, dir.lookup, indicatorsFor(s.currentSettings()), s.nowMonth())
	return b, t, issues, dir, nil
}

// PreviewImport parses and validates a file and compares it with the
// figures in effect. Nothing is stored.
func (s *Service) PreviewImport(a *identity.Actor, up Upload) (*Preview, error) {
	if err := requireImporter(a); err != nil {
		return nil, err
	}
	b, t, issues, dir, err := s.parseUpload(a, up)
	if err != nil {
		return nil, err
	}
	p := &Preview{FileName: cleanFileName(up.FileName), Errors: issues, Columns: []string{}}
	if t != nil {
		p.Delimiter = t.Delimiter
		p.Rows = len(t.Records)
	}
	if issues == nil {
		p.Errors = []Issue{}
	}
	if b == nil {
		return p, nil
	}
	p.Valid = true
	s.describe(p, b, dir)
	return p, nil
}

func (s *Service) describe(p *Preview, b *Batch, dir *directory) {
	cur := s.current()
	sum, changes, trunc := cur.diff(b)
	p.Columns, p.Rows, p.Hash = b.Columns, len(b.Rows), b.Hash()
	p.Summary, p.Changes, p.Truncated = &sum, changes, trunc
	if !sum.effective() {
		p.DuplicateOf = cur.byHash(p.Hash)
	}
	for _, r := range b.Rows {
		name := r.Team
		if ti := dir.teams[r.Team]; ti != nil {
			name = ti.Name
		}
		p.Figures = append(p.Figures, PreviewRow{Row: r.Row, Team: r.Team, TeamName: name, Month: r.Month, Values: r.Values})
	}
}

// byHash finds the newest committed import with this content hash.
func (s *state) byHash(h string) string {
	for i := len(s.order) - 1; i >= 0; i-- {
		if s.order[i].Hash == h {
			return s.order[i].ID
		}
	}
	return ""
}

// CommitResult is the answer to an import.
type CommitResult struct {
	Import *Import `json:"import,omitempty"` // the new import (absent when nothing changed)
	// Unchanged: every figure in the file is already in effect; nothing was
	// stored. DuplicateOf names an earlier import with the same content.
	Unchanged   bool          `json:"unchanged"`
	DuplicateOf string        `json:"duplicateOf,omitempty"`
	Summary     ChangeSummary `json:"summary"`
}

// ImportFile validates a file and commits it all-or-nothing. Any invalid
// row refuses the whole file (422 naming every row and field).
func (s *Service) ImportFile(ctx context.Context, a *identity.Actor, up Upload) (*CommitResult, error) {
	if err := requireImporter(a); err != nil {
		return nil, err
	}
	b, _, issues, _, err := s.parseUpload(a, up)
	if err != nil {
		return nil, err
	}
	if len(issues) > 0 {
		return nil, issuesError(issues)
	}
	name := cleanFileName(up.FileName)
	return s.commit(ctx, a, b, Import{Kind: KindCSV, FileName: name, Source: name})
}

func issuesError(issues []Issue) error {
	fe := make([]apperr.FieldError, len(issues))
	for i, is := range issues {
		// The import's own issue codes (Issue.Code, translated by the import
		// page) travel as a param; the field error's code says "see the import".
		fe[i] = apperr.FieldError{Field: is.Field, Code: "import_issue", Message: is.Message,
			Params: apperr.Params{"issue": is.Code, "row": is.Row, "column": is.Column}}
	}
	return &apperr.ValidationError{Fields: fe}
}

// commit stores the batch: all figure documents first, then the import
// record with committed=true. Readers use only figures whose import record
// exists, so a crash in between leaves ignored orphans and no partial import.
func (s *Service) commit(ctx context.Context, a *identity.Actor, b *Batch, meta Import) (*CommitResult, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// See other instances' imports before comparing.
	if err := s.reloadLocked(ctx); err != nil {
		return nil, err
	}
	cur := s.current()
	hash := b.Hash()
	sum, changes, trunc := cur.diff(b)
	if !sum.effective() {
		return &CommitResult{Unchanged: true, DuplicateOf: cur.byHash(hash), Summary: sum}, nil
	}
	// Imports are ordered by time; keep that order strict even when clocks
	// tie or lag (the store keeps milliseconds).
	now := s.now().UTC().Truncate(time.Millisecond)
	if n := len(cur.order); n > 0 && !now.After(cur.order[n-1].At) {
		now = cur.order[n-1].At.Add(time.Millisecond)
	}
	im := meta
	if im.ID == "" {
		im.ID = newImportID(now)
	}
	im.Committed, im.At, im.Hash, im.Rows, im.Columns = true, now, hash, len(b.Rows), b.Columns
	im.By, im.ByName = a.UserID, a.Name
	im.Summary, im.Changes, im.Truncated = sum, changes, trunc
	figs := make([]figureDoc, 0, len(b.Rows))
	for i, r := range b.Rows {
		if i == 0 || r.Month.String() < im.FirstMonth {
			im.FirstMonth = r.Month.String()
		}
		if r.Month.String() > im.LastMonth {
			im.LastMonth = r.Month.String()
		}
		figs = append(figs, figureDoc{ID: figureID(r.Team, r.Month, im.ID), Team: r.Team, Month: r.Month.String(), ImportID: im.ID, Values: r.Values})
	}
	if err := s.st.insertFigures(ctx, figs); err != nil {
		return nil, err
	}
	if err := s.st.insertImport(ctx, &im); err != nil {
		return nil, err
	}
	next := cur.with(&im, figs)
	s.mu.Lock()
	s.cur = next
	s.mu.Unlock()
	s.announce(ctx)
	s.log.InfoContext(ctx, "dashboard import committed", "import", im.ID, "kind", im.Kind, "rows", im.Rows,
		"added", sum.Added, "changed", sum.Changed, "cleared", sum.Cleared)
	out := im
	return &CommitResult{Import: &out, Summary: sum}, nil
}

// newImportID is time-ordered: "20261105T101500.123Z-9f3a1c".
func newImportID(t time.Time) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return t.UTC().Format("20060102T150405.000Z") + "-" + hex.EncodeToString(b)
}

// Imports lists committed imports, newest first, without their change lists.
func (s *Service) Imports(a *identity.Actor, limit int) ([]Import, error) {
	if err := requireImporter(a); err != nil {
		return nil, err
	}
	cur := s.current()
	out := []Import{}
	for i := len(cur.order) - 1; i >= 0 && len(out) < limit; i-- {
		im := *cur.order[i]
		im.Changes = nil
		out = append(out, im)
	}
	return out, nil
}

// GetImport returns one import with what it changed.
func (s *Service) GetImport(a *identity.Actor, id string) (*Import, error) {
	if err := requireImporter(a); err != nil {
		return nil, err
	}
	im, ok := s.current().imports[id]
	if !ok {
		return nil, apperr.NotFound("not_found", "import not found")
	}
	out := *im
	if out.Changes == nil {
		out.Changes = []Change{}
	}
	return &out, nil
}

// ---------------------------------------------------------------------------
// JSON push

// PushInput is the body of POST /dashboard/figures: figures a system pushes.
type PushInput struct {
	Source string    `json:"source"`
	Rows   []PushRow `json:"rows"`
}

// PushRow is one team-month. A figure that is absent is left as it is; null
// clears it. Values are numbers (a decimal point, no units).
type PushRow struct {
	Team               string                     `json:"team"`
	Month              string                     `json:"month"`
	ClientSatisfiedPct json.RawMessage            `json:"clientSatisfiedPct"`
	ClientGrade        json.RawMessage            `json:"clientGrade"`
	EmployeeGrade      json.RawMessage            `json:"employeeGrade"`
	ProductivityPct    json.RawMessage            `json:"productivityPct"`
	AbsencePct         json.RawMessage            `json:"absencePct"`
	BusinessResult     json.RawMessage            `json:"businessResult"`
	Headcount          json.RawMessage            `json:"headcount"`
	FTE                json.RawMessage            `json:"fte"`
	Extra              map[string]json.RawMessage `json:"extra"`
}

func (r *PushRow) fields() map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for k, v := range map[string]json.RawMessage{
		KeyClientSatisfied: r.ClientSatisfiedPct, KeyClientGrade: r.ClientGrade, KeyEmployeeGrade: r.EmployeeGrade,
		KeyProductivity: r.ProductivityPct, KeyAbsence: r.AbsencePct, KeyBusinessResult: r.BusinessResult,
		KeyHeadcount: r.Headcount, KeyFTE: r.FTE,
	} {
		if v != nil {
			m[k] = v
		}
	}
	return m
}

// Push validates pushed figures exactly like a file and commits them
// all-or-nothing. Field names in errors are rows[i].<field>, i from 0.
func (s *Service) Push(ctx context.Context, a *identity.Actor, in PushInput) (*CommitResult, error) {
	if err := requireImporter(a); err != nil {
		return nil, err
	}
	dir, err := s.directory(a)
	if err != nil {
		return nil, err
	}
	set := s.currentSettings()
	inds := indicatorsFor(set)
	v := newValidator(dir.lookup, inds, s.nowMonth())
	src := strings.TrimSpace(in.Source)
	if n := utf8.RuneCountInString(src); n < 2 || n > 80 || strings.ContainsFunc(src, func(r rune) bool { return r < 0x20 }) {
		v.add(Issue{Field: "source", Code: "source_invalid", Message: "Geef de naam van het aanleverende systeem (2–80 tekens), bijvoorbeeld afas-hr."})
	}
	if len(in.Rows) == 0 {
		v.add(Issue{Field: "rows", Code: "no_rows", Message: "Er zijn geen rijen met cijfers."})
	}
	if len(in.Rows) > MaxRows {
		return nil, issuesError([]Issue{{Field: "rows", Code: "too_many_rows", Message: fmt.Sprintf("Hoogstens %d rijen per keer.", MaxRows)}})
	}
	extraKeys := map[string]bool{}
	for _, x := range set.Indicators {
		extraKeys[x.Key] = true
	}
	b := &Batch{}
	cols := map[string]bool{}
	first := map[string]int{}
	for i, pr := range in.Rows {
		row, ok := v.pushRow(i, pr, extraKeys, cols)
		if !ok {
			continue
		}
		if len(row.Values) == 0 {
			v.add(Issue{Row: i, Field: fmt.Sprintf("rows[%d]", i), Code: "empty_row", Message: "De rij heeft geen cijfers."})
			continue
		}
		key := row.Team + "|" + row.Month.String()
		if prev, dup := first[key]; dup {
			v.add(Issue{Row: i, Field: fmt.Sprintf("rows[%d]", i), Code: "duplicate_row",
				Message: fmt.Sprintf("Team %s, maand %s staat ook in rows[%d].", row.Team, row.Month, prev)})
			continue
		}
		first[key] = i
		b.Rows = append(b.Rows, row)
	}
	if len(v.issues) > 0 {
		return nil, issuesError(v.finish())
	}
	b.Columns = slices.Sorted(maps.Keys(cols))
	return s.commit(ctx, a, b, Import{Kind: KindAPI, Source: src})
}

// pushRow reads one pushed row's team, month and values; cols collects the
// indicators that any row carries.
func (v *validator) pushRow(i int, pr PushRow, extraKeys, cols map[string]bool) (BatchRow, bool) {
	row := BatchRow{Row: i, Values: map[string]*float64{}}
	id, ok := v.team(i, pr.Team, "team")
	row.Team = id
	m, good := v.month(i, pr.Month, "month")
	row.Month, ok = m, ok && good
	fields := pr.fields()
	for k, raw := range pr.Extra {
		if !extraKeys[k] {
			v.add(Issue{Row: i, Field: fmt.Sprintf("rows[%d].extra.%s", i, clip(k)), Code: "unknown_indicator",
				Message: fmt.Sprintf("Onbekende indicator %q.", clip(k))})
			ok = false
			continue
		}
		fields[k] = raw
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		raw := strings.TrimSpace(string(fields[k]))
		field := k
		if extraKeys[k] {
			field = "extra." + k
		}
		if raw == "null" {
			row.Values[k] = nil
			cols[k] = true
			continue
		}
		var f float64
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			v.add(Issue{Row: i, Field: fmt.Sprintf("rows[%d].%s", i, field), Code: "not_a_number", Message: "Moet een getal of null zijn."})
			ok = false
			continue
		}
		if !v.checkRange(i, k, "", k, strings.ReplaceAll(fmt.Sprint(f), ".", ","), f) {
			ok = false
			continue
		}
		row.Values[k] = &f
		cols[k] = true
	}
	return row, ok
}

// ---------------------------------------------------------------------------
// Settings

// SettingsInput changes the settings; absent fields stay as they are.
type SettingsInput struct {
	BusinessResultVisibility *string             `json:"businessResultVisibility"`
	MinGroupSize             *int                `json:"minGroupSize"`
	PrivateIndicators        *[]string           `json:"privateIndicators"`
	Targets                  map[string]*float64 `json:"targets"`
	Indicators               *[]IndicatorInput   `json:"indicators"`
}

// IndicatorInput defines an organisation's own indicator.
type IndicatorInput struct {
	Key       string   `json:"key"`
	Name      string   `json:"name"`
	Unit      string   `json:"unit"`
	Direction string   `json:"direction"`
	Target    *float64 `json:"target"`
	Min       *float64 `json:"min"`
	Max       *float64 `json:"max"`
	Aggregate string   `json:"aggregate"`
	Private   bool     `json:"private"`
}

// SettingsView is the settings as the API shows them.
type SettingsView struct {
	BusinessResultVisibility string      `json:"businessResultVisibility"`
	MinGroupSize             int         `json:"minGroupSize"`
	PrivateIndicators        []string    `json:"privateIndicators"`
	Indicators               []Indicator `json:"indicators"` // every indicator the reader may see, with targets
	UpdatedAt                *time.Time  `json:"updatedAt"`
}

// GetSettings returns the settings (every member of staff may read them).
func (s *Service) GetSettings(a *identity.Actor) (*SettingsView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	set := s.currentSettings()
	v := &SettingsView{BusinessResultVisibility: set.BusinessResultVisibility, MinGroupSize: set.MinGroupSize,
		PrivateIndicators: nonNil(set.PrivateIndicators), Indicators: visibleIndicators(a, set)}
	if !set.UpdatedAt.IsZero() {
		t := set.UpdatedAt
		v.UpdatedAt = &t
	}
	return v, nil
}

var keyRE = func(s string) bool { return org.ValidSlug(s) }

// UpdateSettings changes the settings (administrators).
func (s *Service) UpdateSettings(ctx context.Context, a *identity.Actor, in SettingsInput) (*SettingsView, error) {
	if err := requireActor(a); err != nil {
		return nil, err
	}
	if !a.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators change the dashboard settings")
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	set := s.currentSettings()
	set.ID = settingsID
	var v apperr.Validator
	if p := in.BusinessResultVisibility; p != nil {
		v.Check(*p == VisibleEveryone || *p == VisibleManagers, "businessResultVisibility", "invalid_choice", "use everyone or managers")
		set.BusinessResultVisibility = *p
	}
	if p := in.MinGroupSize; p != nil {
		v.Check(*p >= 3 && *p <= 50, "minGroupSize", "out_of_range", "use a number from 3 to 50", apperr.Params{"min": 3, "max": 50})
		set.MinGroupSize = *p
	}
	if in.Indicators != nil {
		set.Indicators = checkIndicators(&v, *in.Indicators)
	}
	known := map[string]Indicator{}
	for _, i := range indicatorsFor(set) {
		known[i.Key] = i
	}
	if in.Targets != nil {
		set.Targets = checkTargets(&v, set.Targets, in.Targets, known)
	}
	if p := in.PrivateIndicators; p != nil {
		set.PrivateIndicators = checkPrivate(&v, *p, known)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	set.UpdatedAt, set.UpdatedBy = s.now().UTC(), a.UserID
	if err := s.st.saveSettings(ctx, set); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.settings = set
	s.setGen++
	s.mu.Unlock()
	s.announce(ctx)
	return s.GetSettings(a)
}

// checkIndicators validates the organisation's extra indicators.
func checkIndicators(v *apperr.Validator, in []IndicatorInput) []Indicator {
	out := []Indicator{}
	builtin := builtinIndicators()
	for i, x := range in {
		f := fmt.Sprintf("indicators[%d]", i)
		x.Key = strings.TrimSpace(x.Key)
		clash := slices.ContainsFunc(builtin, func(b Indicator) bool { return b.Key == x.Key }) ||
			x.Key == KeyHeadcount || x.Key == KeyFTE || x.Key == "team" || x.Key == "maand" || x.Key == "month" ||
			slices.ContainsFunc(out, func(b Indicator) bool { return b.Key == x.Key })
		v.Check(keyRE(x.Key) && !clash, f+".key", "invalid", "use a new slug of 2–60 lowercase letters, digits and hyphens, e.g. wondzorg-audit")
		n := utf8.RuneCountInString(strings.TrimSpace(x.Name))
		v.Check(n >= 2 && n <= 80, f+".name", "length", "use 2–80 characters", apperr.Params{"min": 2, "max": 80})
		v.Check(slices.Contains([]string{UnitPercent, UnitGrade, UnitEuro, UnitNumber}, x.Unit), f+".unit", "invalid_choice", "use %, grade, EUR or number")
		v.Check(x.Direction == HigherIsBetter || x.Direction == LowerIsBetter, f+".direction", "invalid_choice", "use higher or lower")
		if x.Aggregate == "" {
			x.Aggregate = AggWeightedMean
		}
		v.Check(x.Aggregate == AggWeightedMean || x.Aggregate == AggSum, f+".aggregate", "invalid_choice", "use weighted_mean or sum")
		for name, p := range map[string]*float64{"target": x.Target, "min": x.Min, "max": x.Max} {
			v.Check(p == nil || (!math.IsNaN(*p) && math.Abs(*p) <= maxMagnitude), f+"."+name, "invalid", "use a number between -1e9 and 1e9")
		}
		ind := Indicator{Key: x.Key, Name: strings.TrimSpace(x.Name), Unit: x.Unit, Direction: x.Direction, Target: x.Target,
			Min: x.Min, Max: x.Max, Aggregate: x.Aggregate, Private: x.Private}
		switch x.Unit {
		case UnitPercent:
			ind.Min, ind.Max = fp(0), fp(100)
		case UnitGrade:
			ind.Min, ind.Max = fp(1), fp(10)
		}
		if ind.Min != nil && ind.Max != nil {
			v.Check(*ind.Min < *ind.Max, f+".max", "invalid", "must be more than min")
		}
		if ind.Target != nil {
			v.Check(targetFits(ind, *ind.Target), f+".target", "invalid", targetRangeText(ind))
		}
		out = append(out, ind)
	}
	if len(in) > 30 {
		v.Add("indicators", "too_many", "at most 30 extra indicators", apperr.Params{"max": 30})
	}
	return out
}

// checkTargets validates new targets and merges them over the current ones.
func checkTargets(v *apperr.Validator, current, in map[string]*float64, known map[string]Indicator) map[string]*float64 {
	next := map[string]*float64{}
	maps.Copy(next, current)
	for _, k := range slices.Sorted(maps.Keys(in)) {
		ind, ok := known[k]
		if !ok {
			v.Add("targets."+clip(k), "unknown", "unknown indicator")
			continue
		}
		if t := in[k]; t != nil {
			v.Check(targetFits(ind, *t), "targets."+k, "invalid", targetRangeText(ind))
		}
		next[k] = in[k]
	}
	return next
}

// checkPrivate validates the indicators only managers see per team.
func checkPrivate(v *apperr.Validator, in []string, known map[string]Indicator) []string {
	out := []string{}
	for i, k := range in {
		_, ok := known[k]
		v.Check(ok, fmt.Sprintf("privateIndicators[%d]", i), "unknown", "unknown indicator")
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	// Sickness absence is health data: it always stays protected.
	if !slices.Contains(out, KeyAbsence) {
		v.Add("privateIndicators", "required", "must include absencePct (sickness absence is health data)")
	}
	return out
}

func (s *Service) announce(ctx context.Context) {
	if s.changed != nil {
		s.changed(ctx)
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// maxMagnitude bounds any target, minimum or maximum (a euro result of a
// billion is already far beyond a home-care team's).
const maxMagnitude = 1e9

// targetFits: a finite number inside the indicator's range (0–100 for a
// percentage, 1–10 for a grade, its own min and max for an extra indicator).
func targetFits(ind Indicator, t float64) bool {
	if math.IsNaN(t) || math.IsInf(t, 0) || math.Abs(t) > maxMagnitude {
		return false
	}
	lo, hi := ind.Min, ind.Max
	switch ind.Unit {
	case UnitPercent:
		lo, hi = fp(0), fp(100)
	case UnitGrade:
		lo, hi = fp(1), fp(10)
	}
	return (lo == nil || t >= *lo) && (hi == nil || t <= *hi)
}

func targetRangeText(ind Indicator) string {
	switch {
	case ind.Unit == UnitPercent:
		return "use a percentage from 0 to 100"
	case ind.Unit == UnitGrade:
		return "use a grade from 1 to 10"
	case ind.Min != nil && ind.Max != nil:
		return fmt.Sprintf("use a number from %g to %g", *ind.Min, *ind.Max)
	}
	return "use a number between -1e9 and 1e9"
}
