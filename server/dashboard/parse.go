package dashboard

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits of an import file.
const (
	MaxFileBytes = 1 << 20 // the server's body limit; a 54-team, 12-month file is ~40 KB
	MaxRows      = 10000
	maxIssues    = 200
)

// Issue is one problem in an import, in plain language. Row is the row
// number as a spreadsheet shows it (the header is row 1; 0 for the file as
// a whole); Field names the row and column the way the API names fields:
// rows[12].absencePct (JSON push: the index in rows, from 0), or "file".
type Issue struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Column  string `json:"column,omitempty"` // the column header as written in the file
	Code    string `json:"code"`             // stable English key for translations
	Message string `json:"message"`          // Dutch
}

// Table is a CSV file or the first worksheet of an XLSX workbook split
// into cells. Delimiter is "xlsx" for a workbook.
type Table struct {
	Delimiter string
	Header    []string
	Records   []Record
	date1904  bool // workbook dates count from 1904
}

// Record is one data row with its spreadsheet row number.
type Record struct {
	Row   int
	Cells []string
}

func fileIssue(code, msg string) Issue { return Issue{Field: "file", Code: code, Message: msg} }

func rowIssue(row int, key, column, code, msg string) Issue {
	f := fmt.Sprintf("rows[%d]", row)
	if key != "" {
		f += "." + key
	}
	return Issue{Row: row, Field: f, Column: column, Code: code, Message: msg}
}

// ParseCSV splits an import file into cells. It accepts what spreadsheets
// write: a UTF-8 byte-order mark (or UTF-16 with one, Excel's "Unicode
// text"), ";" (Dutch Excel), "," or tab as delimiter (detected from the
// header), CRLF, CR or LF line ends, quoted cells. Text that is not UTF-8 is
// refused, naming the first row where it occurs, rather than guessed.
func ParseCSV(data []byte) (*Table, []Issue) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		data = decodeUTF16(data)
	case bytes.HasPrefix(data, zipMagic), bytes.HasPrefix(data, oleMagic):
		return ParseFile(data)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []Issue{fileIssue("empty_file", "Het bestand is leeg.")}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, []Issue{fileIssue("binary_file", "Dit is geen tekstbestand. Upload een CSV-bestand.")}
	}
	if !utf8.Valid(data) {
		row := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return nil, []Issue{{Row: row, Field: fmt.Sprintf("rows[%d]", row), Code: "not_utf8",
			Message: fmt.Sprintf("Rij %d bevat tekens die geen UTF-8 zijn (bijvoorbeeld een ë uit een oud Windows-bestand). Sla het bestand op als \"CSV UTF-8\" en probeer het opnieuw.", row)}}
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	delim := detectDelimiter(text)
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	t := &Table{Delimiter: string(delim)}
	first := true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, []Issue{{Row: line, Field: fmt.Sprintf("rows[%d]", line), Code: "malformed_row",
				Message: fmt.Sprintf("Rij %d kan niet gelezen worden (aanhalingstekens kloppen niet).", line)}}
		}
		if blank(rec) {
			continue
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(strings.Trim(rec[i], "\u00a0\ufeff"))
		}
		if first {
			t.Header, first = rec, false
			continue
		}
		if len(t.Records) >= MaxRows {
			return nil, []Issue{fileIssue("too_many_rows", fmt.Sprintf("Het bestand heeft meer dan %d rijen. Splits het in kleinere bestanden.", MaxRows))}
		}
		t.Records = append(t.Records, Record{Row: line, Cells: rec})
	}
	if t.Header == nil {
		return nil, []Issue{fileIssue("empty_file", "Het bestand is leeg.")}
	}
	return t, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func decodeUTF16(b []byte) []byte {
	be := b[0] == 0xFE
	b = b[2:]
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if be {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	return []byte(string(utf16.Decode(u)))
}

// detectDelimiter picks ";", tab or "," by counting them (outside quotes) in
// the first non-empty line; ties go to ";" (Dutch Excel), then tab.
func detectDelimiter(text string) rune {
	line := ""
	for l := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(l) != "" {
			line = l
			break
		}
	}
	counts := map[rune]int{}
	inQ := false
	for _, c := range line {
		if c == '"' {
			inQ = !inQ
		} else if !inQ {
			counts[c]++
		}
	}
	best := ';'
	for _, d := range []rune{'\t', ','} {
		if counts[d] > counts[best] {
			best = d
		}
	}
	return best
}

// normHeader reduces a column header to lowercase ASCII letters and digits,
// so "Verzuim %", "verzuim_pct" and "Ziekteverzuim (%)" compare simply.
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'á', 'à', 'ä', 'â':
			r = 'a'
		case 'é', 'è', 'ë', 'ê':
			r = 'e'
		case 'í', 'ì', 'ï', 'î':
			r = 'i'
		case 'ó', 'ò', 'ö', 'ô':
			r = 'o'
		case 'ú', 'ù', 'ü', 'û':
			r = 'u'
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	out := b.String()
	for _, suf := range []string{"pct", "percentage", "procent"} {
		if strings.HasSuffix(out, suf) && len(out) > len(suf)+2 {
			out = strings.TrimSuffix(out, suf)
			break
		}
	}
	return out
}

var (
	teamHeaders      = []string{"team", "teamid", "teamnaam", "teamname", "wijkteam", "teamcode"}
	monthHeaders     = []string{"maand", "month", "periode", "period", "jaarmaand"}
	headcountHeaders = []string{"headcount", "aantalmedewerkers", "medewerkers", "aantalpersonen", "personen", "teamgrootte"}
	fteHeaders       = []string{"fte", "formatie", "aantalfte"}
)

// columnKeys maps normalised headers to field keys.
func columnKeys(inds []Indicator) map[string]string {
	m := map[string]string{}
	add := func(key string, names ...string) {
		for _, n := range names {
			if n = normHeader(n); n != "" {
				if _, dup := m[n]; !dup {
					m[n] = key
				}
			}
		}
	}
	add("team", teamHeaders...)
	add("month", monthHeaders...)
	add(KeyHeadcount, headcountHeaders...)
	add(KeyFTE, fteHeaders...)
	for _, ind := range inds {
		add(ind.Key, ind.Key, ind.Name)
		add(ind.Key, ind.Aliases...)
	}
	return m
}

// Batch is a validated import: rows of figures ready to commit.
type Batch struct {
	Columns []string   `json:"columns"` // value keys the import provides
	Rows    []BatchRow `json:"rows"`
}

// BatchRow is one team-month. A key present with a nil value clears that
// figure (an empty cell in a column of the file; null in the JSON push).
type BatchRow struct {
	Row    int                 `json:"row"`
	Team   string              `json:"team"`
	Month  Month               `json:"month"`
	Values map[string]*float64 `json:"values"`
}

// Hash is the SHA-256 of the batch's normalised content: rows sorted by team
// and month, keys sorted, numbers in one notation. The same figures in
// another order, delimiter or decimal notation hash the same.
func (b *Batch) Hash() string {
	rows := slices.Clone(b.Rows)
	slices.SortFunc(rows, func(x, y BatchRow) int {
		if c := strings.Compare(x.Team, y.Team); c != 0 {
			return c
		}
		return int(x.Month - y.Month)
	})
	h := sha256.New()
	for _, r := range rows {
		fmt.Fprintf(h, "%s|%s", r.Team, r.Month)
		keys := make([]string, 0, len(r.Values))
		for k := range r.Values {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v := ""
			if p := r.Values[k]; p != nil {
				v = strconv.FormatFloat(*p, 'g', -1, 64)
			}
			fmt.Fprintf(h, "|%s=%s", k, v)
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TeamLookup finds a team by id or name; ok is false for unknown teams.
type TeamLookup func(s string) (id string, ok bool)

// validator checks rows against the organisation and the indicators.
type validator struct {
	lookup TeamLookup
	inds   map[string]Indicator
	now    Month
	dutch  bool // ";" or tab delimited: "." is a thousands separator in euros
	xlsx   bool // cells are a workbook's raw values
	d1904  bool
	issues []Issue
	more   int
}

func (v *validator) add(is Issue) {
	if len(v.issues) >= maxIssues {
		v.more++
		return
	}
	v.issues = append(v.issues, is)
}

func newValidator(lookup TeamLookup, inds []Indicator, now Month) *validator {
	m := map[string]Indicator{}
	for _, i := range inds {
		m[i.Key] = i
	}
	return &validator{lookup: lookup, inds: m, now: now}
}

// ValidateTable turns a parsed file into a batch, collecting every problem.
func ValidateTable(t *Table, lookup TeamLookup, inds []Indicator, now Month) (*Batch, []Issue) {
	v := newValidator(lookup, inds, now)
	v.xlsx, v.d1904 = t.Delimiter == xlsxDelimiter, t.date1904
	v.dutch = t.Delimiter != "," && !v.xlsx
	col, seen := v.headerColumns(t, inds)
	_, hasTeam := seen["team"]
	_, hasMonth := seen["month"]
	if !hasTeam || !hasMonth {
		v.missingHeader(t, lookup)
		return nil, v.issues
	}
	b := &Batch{}
	for _, k := range col {
		if k != "" && k != "team" && k != "month" {
			b.Columns = append(b.Columns, k)
		}
	}
	if len(b.Columns) == 0 {
		v.add(Issue{Row: 1, Field: "rows[1]", Code: "no_value_columns",
			Message: "Rij 1: de kopregel heeft geen kolom met cijfers, zoals verzuim of productiviteit."})
		return nil, v.issues
	}
	if len(t.Records) == 0 {
		v.add(fileIssue("no_rows", "Het bestand heeft een kopregel maar geen rijen met cijfers."))
		return nil, v.issues
	}
	first := map[string]int{} // "team|month" → row
	for _, rec := range t.Records {
		row, ok := v.record(t, rec, col)
		if !ok {
			continue
		}
		if allNil(row.Values) {
			v.add(rowIssue(rec.Row, "", "", "empty_row", fmt.Sprintf("Rij %d heeft een team en maand maar geen cijfers.", rec.Row)))
			continue
		}
		key := row.Team + "|" + row.Month.String()
		if prev, dup := first[key]; dup {
			v.add(rowIssue(rec.Row, "", "", "duplicate_row",
				fmt.Sprintf("Team %s, maand %s staat ook in rij %d. Elk team mag per maand één keer in het bestand staan.", row.Team, row.Month, prev)))
			continue
		}
		first[key] = rec.Row
		b.Rows = append(b.Rows, row)
	}
	if len(v.issues) > 0 {
		return nil, v.finish()
	}
	return b, nil
}

// headerColumns maps each column of the header to an indicator key ("" for
// an empty or refused column); seen maps each key to its column.
func (v *validator) headerColumns(t *Table, inds []Indicator) (col []string, seen map[string]int) {
	keys := columnKeys(inds)
	col = make([]string, len(t.Header)) // key per column, "" = ignored
	seen = map[string]int{}
	for i, h := range t.Header {
		if h == "" {
			continue
		}
		k, ok := keys[normHeader(h)]
		if !ok {
			v.add(Issue{Row: 1, Field: fmt.Sprintf("columns[%d]", i), Column: clip(h), Code: "unknown_column",
				Message: fmt.Sprintf("Kolom %q is onbekend. Bekende kolommen: team, maand, %s.", clip(h), strings.Join(knownColumns(inds), ", "))})
			continue
		}
		if j, dup := seen[k]; dup {
			v.add(Issue{Row: 1, Field: fmt.Sprintf("columns[%d]", i), Column: clip(h), Code: "duplicate_column",
				Message: fmt.Sprintf("Kolom %q staat twee keer in de kopregel (ook kolom %d).", clip(h), j+1)})
			continue
		}
		seen[k] = i
		col[i] = k
	}
	return col, seen
}

// missingHeader replaces the column issues with the one that says why the
// header has no team or month column.
func (v *validator) missingHeader(t *Table, lookup TeamLookup) {
	v.issues = nil
	switch {
	case len(t.Header) == 1 && strings.ContainsAny(t.Header[0], "|,;\t"):
		v.add(fileIssue("wrong_delimiter", "De kolommen zijn niet gescheiden door een puntkomma (;), komma (,) of tab. Sla het bestand op als CSV met puntkomma's."))
	case looksLikeData(t.Header, lookup):
		v.add(Issue{Row: 1, Field: "rows[1]", Code: "header_missing",
			Message: "Rij 1 moet de kopregel zijn (bijvoorbeeld team;maand;verzuim), maar bevat al cijfers."})
	default:
		v.add(Issue{Row: 1, Field: "rows[1]", Code: "missing_columns",
			Message: "Rij 1: de kopregel moet de kolommen team en maand hebben, plus minstens één kolom met cijfers."})
	}
}

// record checks one row's cells and reads them into a batch row; ok is false
// when the row has an issue.
func (v *validator) record(t *Table, rec Record, col []string) (row BatchRow, ok bool) {
	cells := rec.Cells
	if len(cells) != len(t.Header) {
		extraEmpty := len(cells) > len(t.Header) && blank(cells[len(t.Header):])
		if !extraEmpty {
			msg := fmt.Sprintf("Rij %d heeft %d velden, de kopregel %d.", rec.Row, len(cells), len(t.Header))
			if t.Delimiter == "," {
				msg += " Staat er een decimale komma in een bestand dat komma's als scheidingsteken gebruikt? Gebruik dan puntkomma's (;) als scheidingsteken."
			}
			v.add(rowIssue(rec.Row, "", "", "field_count", msg))
			return BatchRow{}, false
		}
		cells = cells[:len(t.Header)]
	}
	row = BatchRow{Row: rec.Row, Values: map[string]*float64{}}
	ok = true
	for i, k := range col {
		if k == "" {
			continue
		}
		cell := cells[i]
		switch k {
		case "team":
			id, found := v.team(rec.Row, cell, t.Header[i])
			row.Team, ok = id, ok && found
		case "month":
			m, good := v.month(rec.Row, cell, t.Header[i])
			row.Month, ok = m, ok && good
		default:
			val, good := v.value(rec.Row, k, t.Header[i], cell)
			ok = ok && good
			row.Values[k] = val
		}
	}
	return row, ok
}

func (v *validator) finish() []Issue {
	if v.more > 0 {
		v.issues = append(v.issues, fileIssue("more_errors", fmt.Sprintf("En nog %d fouten; los eerst deze op.", v.more)))
	}
	return v.issues
}

func allNil(m map[string]*float64) bool {
	for _, p := range m {
		if p != nil {
			return false
		}
	}
	return true
}

func looksLikeData(header []string, lookup TeamLookup) bool {
	for _, h := range header {
		if _, ok := ParseMonth(h); ok {
			return true
		}
		if _, ok := lookup(h); ok {
			return true
		}
		if _, err := strconv.ParseFloat(strings.ReplaceAll(h, ",", "."), 64); err == nil {
			return true
		}
	}
	return false
}

func knownColumns(inds []Indicator) []string {
	out := []string{}
	for _, i := range inds {
		out = append(out, i.Key)
	}
	return append(out, KeyHeadcount, KeyFTE)
}

// clip shortens text from a file for a message and removes control characters.
func clip(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return s
}

func (v *validator) team(row int, cell, column string) (string, bool) {
	if cell == "" {
		v.add(rowIssue(row, "team", column, "team_missing", fmt.Sprintf("Rij %d: het team ontbreekt.", row)))
		return "", false
	}
	id, ok := v.lookup(cell)
	if !ok {
		v.add(rowIssue(row, "team", column, "unknown_team",
			fmt.Sprintf("Rij %d: team %q bestaat niet. Gebruik de team-id (zoals den-helder-centrum) of de teamnaam.", row, clip(cell))))
		return "", false
	}
	return id, true
}

func (v *validator) month(row int, cell, column string) (Month, bool) {
	if v.xlsx {
		cell = xlsxMonth(cell, v.d1904)
	}
	m, ok := ParseMonth(cell)
	switch {
	case cell == "":
		v.add(rowIssue(row, "month", column, "month_missing", fmt.Sprintf("Rij %d: de maand ontbreekt.", row)))
	case !ok:
		v.add(rowIssue(row, "month", column, "month_invalid",
			fmt.Sprintf("Rij %d: maand %q is niet te lezen. Schrijf de maand als jjjj-mm, bijvoorbeeld 2026-10.", row, clip(cell))))
	case m > v.now:
		v.add(rowIssue(row, "month", column, "month_future",
			fmt.Sprintf("Rij %d: maand %s ligt in de toekomst (het is nu %s).", row, m, v.now)))
		ok = false
	case m < v.now-12*10:
		v.add(rowIssue(row, "month", column, "month_too_old",
			fmt.Sprintf("Rij %d: maand %s ligt meer dan tien jaar terug.", row, m)))
		ok = false
	}
	return m, ok && cell != ""
}

func (v *validator) value(row int, key, column, cell string) (*float64, bool) {
	if cell == "" {
		return nil, true
	}
	label := column
	if label == "" {
		label = key
	}
	unit := UnitNumber
	ind, isInd := v.inds[key]
	if isInd {
		unit = ind.Unit
	}
	f, code := parseNumber(cell, unit, v.dutch)
	if n, ok := xlsxNumber(cell); v.xlsx && ok {
		f, code = n, "" // a number cell: its raw value is exact
	}
	if code != "" {
		msg := fmt.Sprintf("Rij %d, kolom %q: %q is geen getal.", row, clip(label), clip(cell))
		if code == "ambiguous_number" {
			msg = fmt.Sprintf("Rij %d, kolom %q: %q is dubbelzinnig (duizendtal of decimalen?). Schrijf bijvoorbeeld 1149 of 1149,00.", row, clip(label), clip(cell))
		}
		v.add(rowIssue(row, key, column, code, msg))
		return nil, false
	}
	if !v.checkRange(row, key, column, label, cell, f) {
		return nil, false
	}
	return &f, true
}

// checkRange checks a number against its field's range; text is the value
// as the user wrote it.
func (v *validator) checkRange(row int, key, column, label, text string, f float64) bool {
	unit := UnitNumber
	ind, isInd := v.inds[key]
	if isInd {
		unit = ind.Unit
	}
	cell := text
	switch {
	case key == KeyHeadcount:
		if f != math.Trunc(f) || f < 1 || f > 1000 {
			v.add(rowIssue(row, key, column, "headcount_invalid",
				fmt.Sprintf("Rij %d, kolom %q: het aantal medewerkers moet een heel getal van 1 tot 1000 zijn, niet %s.", row, clip(label), clip(cell))))
			return false
		}
	case key == KeyFTE:
		if f <= 0 || f > 1000 {
			v.add(rowIssue(row, key, column, "fte_invalid",
				fmt.Sprintf("Rij %d, kolom %q: de formatie (fte) moet groter dan 0 en hoogstens 1000 zijn, niet %s.", row, clip(label), clip(cell))))
			return false
		}
	case isInd && unit == UnitPercent && ind.Max != nil && f > *ind.Max:
		v.add(rowIssue(row, key, column, "percentage_over_100",
			fmt.Sprintf("Rij %d, kolom %q: %s is meer dan 100%%.", row, clip(label), clip(cell))))
		return false
	case isInd && unit == UnitPercent && ind.Min != nil && f < *ind.Min:
		v.add(rowIssue(row, key, column, "percentage_negative",
			fmt.Sprintf("Rij %d, kolom %q: een percentage kan niet negatief zijn (%s).", row, clip(label), clip(cell))))
		return false
	case isInd && unit == UnitGrade && ((ind.Min != nil && f < *ind.Min) || (ind.Max != nil && f > *ind.Max)):
		v.add(rowIssue(row, key, column, "grade_out_of_range",
			fmt.Sprintf("Rij %d, kolom %q: een rapportcijfer ligt tussen 1 en 10, niet %s.", row, clip(label), clip(cell))))
		return false
	case isInd && ((ind.Min != nil && f < *ind.Min) || (ind.Max != nil && f > *ind.Max)):
		v.add(rowIssue(row, key, column, "out_of_range",
			fmt.Sprintf("Rij %d, kolom %q: %s ligt buiten het toegestane bereik (%s tot %s).", row, clip(label), clip(cell), fmtNum(ind.Min), fmtNum(ind.Max))))
		return false
	}
	return true
}

func fmtNum(p *float64) string {
	if p == nil {
		return "–"
	}
	return strings.ReplaceAll(strconv.FormatFloat(*p, 'f', -1, 64), ".", ",")
}

var plainNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// ParseNumber reads a number as Dutch and English spreadsheets write it:
// decimal comma or point ("5,9", "5.9"), thousands separators when both
// appear or one appears several times ("1.149.000", "1,149,000.50",
// "1 149 000"), a unit sign ("%", "€"), and a minus sign (also "−"). For
// euros, one separator followed by exactly three digits ("1.149") is
// ambiguous and refused. It returns a code ("not_a_number",
// "ambiguous_number") instead of a number when the cell is not one.
func ParseNumber(s, unit string) (float64, string) { return parseNumber(s, unit, false) }

// ParseDutchNumber is ParseNumber for files in Dutch notation (";" as
// delimiter): there "12.500" in a euro column is twelve thousand five hundred.
func ParseDutchNumber(s, unit string) (float64, string) { return parseNumber(s, unit, true) }

func parseNumber(s, unit string, dutch bool) (float64, string) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer("\u00a0", "", " ", "", "\u202f", "", "−", "-", "€", "", "EUR", "", "eur", "").Replace(s)
	if unit == UnitPercent {
		s = strings.TrimSuffix(s, "%")
	}
	s = strings.TrimPrefix(s, "+")
	if s == "" || len(s) > 32 {
		return 0, "not_a_number"
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots > 0 && commas > 0:
		dec := ","
		th := "."
		if strings.LastIndex(s, ".") > strings.LastIndex(s, ",") {
			dec, th = ".", ","
		}
		if strings.Count(s, dec) != 1 {
			return 0, "not_a_number"
		}
		i := strings.LastIndex(s, dec)
		intPart, frac := s[:i], s[i+1:]
		if !groupedOK(intPart, th) {
			return 0, "not_a_number"
		}
		s = strings.ReplaceAll(intPart, th, "") + "." + frac
	case dots > 1 || commas > 1:
		th := "."
		if commas > 1 {
			th = ","
		}
		if !groupedOK(s, th) {
			return 0, "not_a_number"
		}
		s = strings.ReplaceAll(s, th, "")
	case dots == 1 || commas == 1:
		sep := "."
		if commas == 1 {
			sep = ","
		}
		i := strings.Index(s, sep)
		if unit == UnitEuro && len(s)-i-1 == 3 && i > 0 && strings.Trim(s[:i], "-") != "0" {
			if !dutch || sep != "." || !groupedOK(s, ".") {
				return 0, "ambiguous_number"
			}
			sep = "" // Dutch thousands separator
		}
		if sep == "" {
			s = strings.Replace(s, ".", "", 1)
		} else {
			s = strings.Replace(s, sep, ".", 1)
		}
	}
	if !plainNumber.MatchString(s) {
		return 0, "not_a_number"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, "not_a_number"
	}
	if f == 0 {
		f = 0 // no negative zero
	}
	return f, ""
}

// groupedOK checks "1.149.000": a first group of 1–3 digits, then groups of 3.
func groupedOK(s, sep string) bool {
	s = strings.TrimPrefix(s, "-")
	parts := strings.Split(s, sep)
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 || !isDigits(parts[0]) {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !isDigits(p) {
			return false
		}
	}
	return true
}
