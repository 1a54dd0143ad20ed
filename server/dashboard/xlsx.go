package dashboard

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of an XLSX workbook beyond the 1 MiB upload limit: the unpacked
// size (a zip bomb in 1 MiB can unpack to gigabytes).
const (
	maxXLSXUnzipped    = 64 << 20
	maxXLSXUnzippedXML = 32 << 20
)

// Delimiter of a Table read from a workbook: no text delimiter; numbers are
// the cells' raw values (decimal point, no thousands separators).
const xlsxDelimiter = "xlsx"

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, or an encrypted .xlsx
)

// ParseFile splits an import file into cells: an XLSX workbook (recognised
// by its ZIP signature) or CSV text.
func ParseFile(data []byte) (*Table, []Issue) {
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return ParseXLSX(data)
	case bytes.HasPrefix(data, oleMagic):
		return nil, []Issue{fileIssue("xlsx_encrypted_or_xls",
			"Dit is een beveiligde (versleutelde) Excel-werkmap of een oud .xls-bestand. Sla het blad op als .xlsx zonder wachtwoord, of als CSV (UTF-8), en upload dat bestand.")}
	}
	return ParseCSV(data)
}

func xlsxUnreadable() []Issue {
	return []Issue{fileIssue("xlsx_unreadable",
		"Deze Excel-werkmap (.xlsx) kan niet gelezen worden; het bestand is beschadigd of geen echte werkmap. Sla het opnieuw op als .xlsx of als CSV (UTF-8) en probeer het nog eens.")}
}

// ParseXLSX reads the first worksheet of a workbook into the same table the
// CSV path produces: the first non-empty row is the header, row numbers are
// the sheet's. Cells hold their raw values (0.059, not "5,9%"); formula
// cells hold the value Excel cached, nothing is evaluated. Workbooks with
// macros and encrypted workbooks are refused.
func ParseXLSX(data []byte) (*Table, []Issue) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, xlsxUnreadable()
	}
	if issues := checkXLSXArchive(zr); issues != nil {
		return nil, issues
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxXLSXUnzipped, UnzipXMLSizeLimit: maxXLSXUnzippedXML})
	if err != nil {
		return nil, xlsxUnreadable()
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, xlsxUnreadable()
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, xlsxUnreadable()
	}
	defer rows.Close()
	t := &Table{Delimiter: xlsxDelimiter}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		t.date1904 = *props.Date1904
	}
	line := 0
	for rows.Next() {
		line++
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, xlsxUnreadable()
		}
		if blank(rec) {
			continue
		}
		shownCells(f, sheets[0], rec, line)
		if t.Header == nil {
			t.Header = rec
			continue
		}
		if len(t.Records) >= MaxRows {
			return nil, []Issue{fileIssue("too_many_rows", fmt.Sprintf("Het bestand heeft meer dan %d rijen. Splits het in kleinere bestanden.", MaxRows))}
		}
		t.Records = append(t.Records, Record{Row: line, Cells: rec})
	}
	if rows.Error() != nil {
		return nil, xlsxUnreadable()
	}
	if t.Header == nil {
		return nil, []Issue{fileIssue("empty_file", "Het eerste werkblad is leeg.")}
	}
	return t, nil
}

// checkXLSXArchive refuses a ZIP that is not a workbook, holds macros or
// unpacks too large, before excelize reads it.
func checkXLSXArchive(zr *zip.Reader) []Issue {
	var total uint64
	isWorkbook := false
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if strings.HasSuffix(name, "vbaproject.bin") {
			return []Issue{fileIssue("xlsx_macros",
				"Deze Excel-werkmap bevat macro's (.xlsm). Sla het blad op als gewone werkmap (.xlsx) of als CSV (UTF-8) en upload dat bestand.")}
		}
		if name == "xl/workbook.xml" {
			isWorkbook = true
		}
		total += f.UncompressedSize64
	}
	if !isWorkbook {
		return xlsxUnreadable()
	}
	if total > maxXLSXUnzipped {
		return []Issue{fileIssue("xlsx_too_large", "Deze Excel-werkmap is uitgepakt te groot. Sla alleen het blad met de maandcijfers op, als .xlsx of CSV.")}
	}
	return nil
}

// shownCells trims a row's cells and takes a percentage-formatted cell as
// shown.
func shownCells(f *excelize.File, sheet string, rec []string, line int) {
	for i := range rec {
		rec[i] = strings.TrimSpace(strings.Trim(rec[i], "\u00a0\ufeff"))
		// A percentage-formatted cell shows 5.9% but stores 0.059: take
		// what the person sees, or absence would import 100× too small.
		if rawNumber.MatchString(rec[i]) {
			if axis, err := excelize.CoordinatesToCellName(i+1, line); err == nil {
				if shown, err := f.GetCellValue(sheet, axis); err == nil && strings.HasSuffix(strings.TrimSpace(shown), "%") {
					rec[i] = strings.TrimSpace(shown)
				}
			}
		}
	}
}

var rawNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// xlsxNumber reads a cell's raw value as Excel stores numbers ("0.059",
// "5.8999999999999997E-2"), rounded to the 15 significant digits Excel
// shows. ok is false for text, which is then read as a CSV cell is.
func xlsxNumber(s string) (float64, bool) {
	if !rawNumber.MatchString(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if f == 0 {
		f = 0
	}
	return f, true
}

// xlsxMonth turns a date cell (an Excel date serial such as 46296) into
// "yyyy-mm"; other cells ("2026-10", "202610", "okt 2026") are returned as
// they are.
func xlsxMonth(cell string, date1904 bool) string {
	if len(cell) == 6 && isDigits(cell) { // 202610
		return cell
	}
	f, ok := xlsxNumber(cell)
	if !ok || f < 1 || f > 2958465 {
		return cell
	}
	tm, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return cell
	}
	return fmt.Sprintf("%04d-%02d", tm.Year(), int(tm.Month()))
}
