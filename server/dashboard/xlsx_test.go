package dashboard

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/plein/plein/server/apperr"
)

// makeXLSX writes rows into the first sheet of a new workbook; a cell that
// is a string starting with "=" becomes a formula with cached value v.
func makeXLSX(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXImport(t *testing.T) {
	svc, st := newTestService(t, seedOrg())
	ctx := context.Background()
	data := makeXLSX(t, [][]any{
		{"team", "maand", "verzuim", "fte", "bedrijfsresultaat"},
		{"den-helder-centrum", "2026-10", 0.059, 8.4, 12500},
		{}, // a blank row: row numbers are the sheet's
		{"Julianadorp", time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), 5.9, 7, 1149000},
	})
	p, err := svc.PreviewImport(support, Upload{FileName: "cijfers.xlsx", Data: data})
	if err != nil || !p.Valid || len(p.Errors) != 0 {
		t.Fatalf("preview: %v %+v", err, p)
	}
	byTeam := map[string]PreviewRow{}
	for _, r := range p.Figures {
		byTeam[r.Team] = r
	}
	if r := byTeam["den-helder-centrum"]; val2(r.Values[KeyAbsence]) != 0.059 || val2(r.Values[KeyFTE]) != 8.4 || val2(r.Values[KeyBusinessResult]) != 12500 || r.Row != 2 || r.Month.String() != "2026-10" {
		t.Errorf("den-helder-centrum: %+v", r)
	}
	if r := byTeam["julianadorp"]; val2(r.Values[KeyAbsence]) != 5.9 || val2(r.Values[KeyBusinessResult]) != 1149000 || r.Row != 4 || r.Month.String() != "2026-09" {
		t.Errorf("julianadorp (date cell): %+v", r)
	}
	res, err := svc.ImportFile(ctx, support, Upload{FileName: "cijfers.xlsx", Data: data})
	if err != nil || res.Unchanged || res.Import == nil {
		t.Fatalf("commit: %v %+v", err, res)
	}
	fig, imp := storedCounts(t, st)
	if fig != 2 || imp != 1 {
		t.Fatalf("stored %d figures, %d imports", fig, imp)
	}
	// The same workbook again: nothing changes, nothing is stored.
	res2, err := svc.ImportFile(ctx, support, Upload{FileName: "cijfers.xlsx", Data: data})
	if err != nil || !res2.Unchanged || res2.DuplicateOf != res.Import.ID {
		t.Fatalf("second commit: %v %+v", err, res2)
	}
	if f2, i2 := storedCounts(t, st); f2 != fig || i2 != imp {
		t.Fatalf("second commit stored: %d figures, %d imports", f2, i2)
	}
}

func TestXLSXRowErrors(t *testing.T) {
	svc, st := newTestService(t, seedOrg())
	data := makeXLSX(t, [][]any{
		{"team", "maand", "verzuim"},
		{"den-helder-centrum", "2026-10", 5.9},
		{"julianadorp", "2026-10-01", 120},
	})
	p, err := svc.PreviewImport(support, Upload{FileName: "fout.xlsx", Data: data})
	if err != nil || p.Valid || len(p.Errors) != 1 || p.Errors[0].Code != "percentage_over_100" || p.Errors[0].Field != "rows[3].absencePct" || p.Errors[0].Row != 3 {
		t.Fatalf("preview: %v %+v", err, p)
	}
	if _, err := svc.ImportFile(context.Background(), support, Upload{FileName: "fout.xlsx", Data: data}); err == nil {
		t.Fatal("commit of an invalid workbook succeeded")
	}
	if f, i := storedCounts(t, st); f != 0 || i != 0 {
		t.Fatalf("stored %d figures, %d imports", f, i)
	}
}

func TestXLSXFormulaUsesCachedValue(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	s := f.GetSheetName(0)
	_ = f.SetSheetRow(s, "A1", &[]any{"team", "maand", "verzuim"})
	_ = f.SetSheetRow(s, "A2", &[]any{"den-helder-centrum", "2026-10"})
	_ = f.SetCellFormula(s, "C2", "=1+1")
	_ = f.SetCellValue(s, "C2", 4.5) // the cached result (deliberately not 2)
	_ = f.SetCellFormula(s, "C2", "=1+1")
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	tab, issues := ParseFile(buf.Bytes())
	if len(issues) > 0 {
		t.Fatalf("%+v", issues)
	}
	if len(tab.Records) != 1 || tab.Records[0].Cells[2] != "4.5" {
		t.Fatalf("formula cell: %+v", tab.Records)
	}
}

func TestXLSXCorrupt(t *testing.T) {
	svc, st := newTestService(t, seedOrg())
	good := makeXLSX(t, [][]any{{"team", "maand", "verzuim"}, {"den-helder-centrum", "2026-10", 5.9}})
	for name, data := range map[string][]byte{
		"truncated": good[:len(good)/2],
		"garbage":   append([]byte("PK\x03\x04"), make([]byte, 200)...),
		"encrypted": append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...),
	} {
		p, err := svc.PreviewImport(support, Upload{FileName: name + ".xlsx", Data: data})
		if err != nil || p.Valid || len(p.Errors) != 1 || p.Errors[0].Field != "file" {
			t.Errorf("%s: %v %+v", name, err, p)
		}
		_, err = svc.ImportFile(context.Background(), support, Upload{FileName: name + ".xlsx", Data: data})
		var ve *apperr.ValidationError
		if !errors.As(err, &ve) { // 422 naming the field "file"
			t.Errorf("%s: commit: %v", name, err)
		}
	}
	if f, i := storedCounts(t, st); f != 0 || i != 0 {
		t.Fatalf("stored %d figures, %d imports", f, i)
	}
}

// A cell formatted as a percentage shows 5.9% but stores 0.059; the import
// must read 5.9, as the person sees it, not a value 100× too small.
func TestXLSXPercentFormattedCell(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	s := f.GetSheetName(0)
	_ = f.SetSheetRow(s, "A1", &[]any{"team", "maand", "verzuim"})
	_ = f.SetSheetRow(s, "A2", &[]any{"den-helder-centrum", "2026-10", 0.059})
	style, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(s, "C2", "C2", style); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	tab, issues := ParseFile(buf.Bytes())
	if len(issues) > 0 {
		t.Fatalf("%+v", issues)
	}
	if got := tab.Records[0].Cells[2]; got != "5.90%" {
		t.Fatalf("percent cell read as %q, want the shown 5.90%%", got)
	}
}
