package dashboard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plein/plein/server/apperr"
)

func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		in, unit string
		want     float64
		code     string
	}{
		{"5,9", UnitPercent, 5.9, ""},
		{"5.9", UnitPercent, 5.9, ""},
		{"5,9%", UnitPercent, 5.9, ""},
		{" 64 ", UnitPercent, 64, ""},
		{"−3,5", UnitNumber, -3.5, ""},
		{"1.149.000", UnitEuro, 1149000, ""},
		{"1,149,000.50", UnitEuro, 1149000.5, ""},
		{"1.149.000,50", UnitEuro, 1149000.5, ""},
		{"€ -151.000,00", UnitEuro, -151000, ""},
		{"-151000", UnitEuro, -151000, ""},
		{"1 149 000", UnitEuro, 1149000, ""},
		{"1.149", UnitEuro, 0, "ambiguous_number"},
		{"0,125", UnitEuro, 0.125, ""},
		{"1.149", UnitPercent, 1.149, ""},
		{"=1+1", UnitPercent, 0, "not_a_number"},
		{"1e5", UnitNumber, 0, "not_a_number"},
		{"NaN", UnitNumber, 0, "not_a_number"},
		{"12.34.5", UnitNumber, 0, "not_a_number"},
		{"1,2,3", UnitNumber, 0, "not_a_number"},
		{"", UnitNumber, 0, "not_a_number"},
	} {
		got, code := ParseNumber(c.in, c.unit)
		if code != c.code || (code == "" && got != c.want) {
			t.Errorf("ParseNumber(%q, %s) = %v, %q; want %v, %q", c.in, c.unit, got, code, c.want, c.code)
		}
	}
}

func TestParseDutchNumber(t *testing.T) {
	for in, want := range map[string]float64{"€ -151.000": -151000, "12.500": 12500, "1.149.000": 1149000, "12,5": 12.5} {
		if got, code := ParseDutchNumber(in, UnitEuro); code != "" || got != want {
			t.Errorf("ParseDutchNumber(%q) = %v %q, want %v", in, got, code, want)
		}
	}
	if _, code := ParseDutchNumber("12,500", UnitEuro); code != "ambiguous_number" {
		t.Errorf("12,500 euro: %q", code)
	}
}

func TestParseMonth(t *testing.T) {
	for in, want := range map[string]string{
		"2026-10": "2026-10", "2026-1": "2026-01", "2026/10": "2026-10", "10-2026": "2026-10", "10/2026": "2026-10",
		"202610": "2026-10", "okt 2026": "2026-10", "Oktober 2026": "2026-10", "mrt. 2025": "2025-03",
		"2026-10-01": "2026-10", "01-10-2026": "2026-10",
	} {
		m, ok := ParseMonth(in)
		if !ok || m.String() != want {
			t.Errorf("ParseMonth(%q) = %v, %v; want %s", in, m, ok, want)
		}
	}
	for _, in := range []string{"", "2026-13", "2026-10-15", "13-2026", "okt", "x", "2026", "20261", "0000-01"} {
		if m, ok := ParseMonth(in); ok {
			t.Errorf("ParseMonth(%q) = %v, want refusal", in, m)
		}
	}
}

// TestImportCorpus runs every file in testdata/import through preview and
// commit: good files pass; broken ones are refused with errors naming the
// row and field, and nothing is stored, in memory or in the store.
func TestImportCorpus(t *testing.T) {
	type want struct{ code, field string }
	cases := map[string][]want{
		"ok_dutch.csv":                    nil,
		"ok_english.csv":                  nil,
		"ok_utf16.csv":                    nil,
		"wrong_delimiter.csv":             {{"wrong_delimiter", "file"}},
		"decimal_comma_in_comma_file.csv": {{"field_count", "rows[2]"}},
		"duplicate_rows.csv":              {{"duplicate_row", "rows[4]"}},
		"unknown_team.csv":                {{"unknown_team", "rows[3].team"}},
		"empty.csv":                       {{"empty_file", "file"}},
		"blank_lines.csv":                 {{"empty_file", "file"}},
		"header_only.csv":                 {{"no_rows", "file"}},
		"header_missing.csv":              {{"header_missing", "rows[1]"}},
		"non_utf8.csv":                    {{"not_utf8", "rows[3]"}},
		"percentage_over_100.csv":         {{"percentage_over_100", "rows[2].absencePct"}, {"percentage_negative", "rows[3].absencePct"}},
		"month_future.csv":                {{"month_future", "rows[2].month"}, {"month_invalid", "rows[3].month"}, {"month_too_old", "rows[4].month"}},
		"formula_injection.csv":           {{"unknown_team", "rows[2].team"}, {"not_a_number", "rows[3].absencePct"}, {"unknown_team", "rows[4].team"}},
		"grade_out_of_range.csv":          {{"grade_out_of_range", "rows[2].clientGrade"}, {"grade_out_of_range", "rows[3].employeeGrade"}},
		"unknown_column.csv":              {{"unknown_column", "columns[3]"}},
		"ambiguous_euro.csv":              {{"ambiguous_number", "rows[2].businessResult"}},
		"no_value_columns.csv":            {{"no_value_columns", "rows[1]"}},
		"empty_row.csv":                   {{"empty_row", "rows[2]"}},
		"bad_quotes.csv":                  {{"field_count", "rows[3]"}},
		"headcount_invalid.csv":           {{"headcount_invalid", "rows[2].headcount"}, {"fte_invalid", "rows[3].fte"}},
		"xlsx_file.csv":                   {{"xlsx_unreadable", "file"}},
	}
	files, _ := filepath.Glob("testdata/import/*.csv")
	if len(files) != len(cases) {
		t.Errorf("%d files in testdata/import, %d cases", len(files), len(cases))
	}
	svc, st := newTestService(t, seedOrg())
	ctx := context.Background()
	for _, f := range files {
		name := filepath.Base(f)
		wants, known := cases[name]
		if !known {
			t.Errorf("%s: no expectation", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := svc.PreviewImport(support, Upload{FileName: name, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			if wants == nil {
				if !p.Valid || len(p.Errors) > 0 {
					t.Fatalf("preview: %+v", p.Errors)
				}
				if _, err := svc.ImportFile(ctx, support, Upload{FileName: name, Data: data}); err != nil {
					t.Fatal(err)
				}
				return
			}
			if p.Valid {
				t.Fatalf("preview says valid; want %v", wants)
			}
			got := map[string]bool{}
			for _, is := range p.Errors {
				got[is.Code+" "+is.Field] = true
				if is.Message == "" || is.Field == "" || (is.Field != "file" && !strings.HasPrefix(is.Field, "rows[") && !strings.HasPrefix(is.Field, "columns[")) {
					t.Errorf("issue not row-scoped or without message: %+v", is)
				}
				if is.Row > 0 && !strings.Contains(is.Message, "ij ") && is.Code != "unknown_column" && is.Code != "duplicate_column" {
					t.Errorf("message does not name the row: %+v", is)
				}
			}
			for _, w := range wants {
				if !got[w.code+" "+w.field] {
					t.Errorf("missing %s at %s; got %+v", w.code, w.field, p.Errors)
				}
			}
			// Commit refuses the whole file and stores nothing.
			beforeF, beforeI := storedCounts(t, st)
			beforeMem := len(svc.current().figures)
			_, err = svc.ImportFile(ctx, support, Upload{FileName: name, Data: data})
			var ve *apperr.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("commit: %v, want validation error", err)
			}
			afterF, afterI := storedCounts(t, st)
			if afterF != beforeF || afterI != beforeI || len(svc.current().figures) != beforeMem {
				t.Fatalf("stored %d→%d figures, %d→%d imports, memory %d→%d", beforeF, afterF, beforeI, afterI, beforeMem, len(svc.current().figures))
			}
		})
	}
	// A file with too many rows.
	var b strings.Builder
	b.WriteString("team;maand;verzuim\n")
	for i := 0; i <= MaxRows; i++ {
		b.WriteString("den-helder-centrum;2026-10;5\n")
	}
	p, err := svc.PreviewImport(support, Upload{FileName: "huge.csv", Data: []byte(b.String())})
	if err != nil || p.Valid || len(p.Errors) != 1 || p.Errors[0].Code != "too_many_rows" {
		t.Fatalf("huge file: %v %+v", err, p)
	}
}

func TestOkFilesValues(t *testing.T) {
	svc, _ := newTestService(t, seedOrg())
	data, _ := os.ReadFile("testdata/import/ok_dutch.csv")
	p, err := svc.PreviewImport(support, Upload{FileName: "ok_dutch.csv", Data: data})
	if err != nil || !p.Valid {
		t.Fatalf("%v %+v", err, p)
	}
	if p.Delimiter != ";" || p.Rows != 3 {
		t.Fatalf("delimiter %q rows %d", p.Delimiter, p.Rows)
	}
	byTeam := map[string]PreviewRow{}
	for _, r := range p.Figures {
		byTeam[r.Team] = r
	}
	if r := byTeam["den-helder-centrum"]; val2(r.Values[KeyAbsence]) != 5.9 || val2(r.Values[KeyBusinessResult]) != 12500 || val2(r.Values[KeyFTE]) != 8.4 || r.Row != 2 {
		t.Errorf("den-helder-centrum: %+v", r)
	}
	if r := byTeam["de-schooten"]; val2(r.Values[KeyBusinessResult]) != 1149000 || r.Month.String() != "2026-10" || r.Row != 6 {
		t.Errorf("de-schooten: %+v (row numbers count blank rows, as a spreadsheet does)", r)
	}
	if r := byTeam["julianadorp"]; r.TeamName != "Julianadorp" {
		t.Errorf("team by name: %+v", r)
	}
}

// FuzzParseCSV: the parser and validator never panic, and every issue names
// a row (or the file, or a column) and says something.
func FuzzParseCSV(f *testing.F) {
	files, _ := filepath.Glob("testdata/import/*.csv")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("team;maand;verzuim\nden-helder-centrum;2026-10;\"5,9\"\"\n"))
	dir := seedOrg()
	d := &directory{teams: map[string]*teamInfo{}, byName: map[string]string{}}
	for _, t := range dir.teams {
		d.teams[t.ID] = &teamInfo{ID: t.ID, Name: t.Name}
		d.byName[normHeader(t.Name)] = t.ID
	}
	inds := indicatorsFor(defaultSettings())
	now := MonthOf(testNow)
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, issues := ParseCSV(data)
		if tab == nil && len(issues) == 0 {
			t.Fatal("no table and no issues")
		}
		if tab != nil {
			var b *Batch
			b, issues = ValidateTable(tab, d.lookup, inds, now)
			if b == nil && len(issues) == 0 {
				t.Fatal("no batch and no issues")
			}
			if b != nil {
				_ = b.Hash()
				for _, r := range b.Rows {
					if r.Month > now || d.teams[r.Team] == nil {
						t.Fatalf("invalid row passed: %+v", r)
					}
				}
			}
		}
		for _, is := range issues {
			if is.Message == "" || !(is.Field == "file" || strings.HasPrefix(is.Field, "rows[") || strings.HasPrefix(is.Field, "columns[")) {
				t.Fatalf("issue not row-scoped: %+v", is)
			}
			if strings.HasPrefix(is.Field, "rows[") && is.Row < 1 {
				t.Fatalf("row issue without row: %+v", is)
			}
		}
		if len(issues) > maxIssues+1 {
			t.Fatalf("%d issues", len(issues))
		}
	})
}
