// Package dashboard holds the monthly team figures (maandcijfers) that every
// employee sees: client satisfaction (% satisfied with the number of care
// workers, overall grade), the employees' grade for the quality of their
// work, productivity, sickness absence, business result and the
// organisation's own extra indicators, per team and month, with targets,
// trends and comparisons. Support services (ondersteunende_dienst) and
// administrators import them; everybody reads them.
//
// # Storage: append-only, in memory, all-or-nothing without transactions
//
// The figures are small (54 teams × 36 months ≈ 2,000 team-months), so the
// committed figures live in memory and every read is answered from there;
// aggregates are computed in Go (no $group, which the embedded FerretDB
// cannot push down anyway). A month's region and organisation aggregates
// are computed once and kept for as long as their inputs stand: the
// committed figures, the settings, the organisation's generation (a team
// moving region) and whether the reader sees restricted indicators
// (views.go, aggKey); a team's dashboard then computes only its own team.
//
//   - dashboard_figures: one insert-only document per team, month and
//     import, _id "<team>:<yyyy-mm>:<importId>", holding the values that
//     import provides. A key with a null value clears the figure (an empty
//     cell in a column the file has).
//   - dashboard_imports: one document per committed import (who, when, file
//     name or pushing system, content hash, rows, what changed), inserted
//     after all its figures with committed: true. Readers use only figures
//     whose import document exists, so an import is all-or-nothing without
//     transactions: a crash half-way leaves orphans that are ignored.
//   - dashboard_settings: one document (business-result visibility, minimum
//     group size, private indicators, targets, extra indicators).
//
// Per team, month and indicator the latest committed import wins (imports
// ordered by time, kept strictly increasing on each commit). A corrected
// file therefore supersedes exactly the team-months and columns it
// contains. Nothing is ever updated or deleted, so no write scans a
// collection on the embedded store.
//
// Re-import: a commit is compared with the figures in effect first. When
// nothing would change (the same file again, in any row order, delimiter or
// decimal notation — the SHA-256 of the normalised rows is the same) nothing
// is stored and the answer names the earlier import with that hash.
//
// Other instances: Reload re-reads the settings (a point lookup) and the
// import records; only when the set of committed imports changed are the
// figures read again (a full scan, ~20 µs per document on FerretDB: 50 ms
// for 2,500 documents). The app calls it when another instance logged a
// dashboard change (app_changes, within a second); a commit reloads first.
//
// # Validation
//
// Files are CSV as Dutch and English spreadsheets write them: ";" "," or
// tab (detected), UTF-8 with or without BOM or UTF-16 with BOM, decimal
// comma or point, thousands separators, "%" and "€" signs, month as
// 2026-10, 10-2026, "okt 2026" and the like, teams by id or name. Anything
// else (non-UTF-8 text, unknown team or column, month in the future or more
// than ten years back, percentage over 100, grade outside 1–10, ambiguous
// euro amounts such as "1.149" in a comma-separated file, duplicate
// team-months, a missing header) is reported per row and field in Dutch,
// with a stable English code: field "rows[12].absencePct" where 12 is the
// row number a spreadsheet shows (the header is row 1). One error refuses
// the whole file. XLSX workbooks (recognised by the ZIP signature) are read
// too: the first worksheet, raw cell values (decimal point, cached formula
// results, never evaluated), months as text or Excel dates, at most as many
// rows as a CSV, then the same validation and commit; encrypted, macro and
// corrupt workbooks are refused. The server's body limit (1 MiB) bounds a
// file; a 54-team, 12-month file is about 40 KB.
//
// # Privacy (small teams)
//
// Sickness absence is health data, and in a team of ten a team's absence
// points at a person. Indicators on the private list (always absencePct;
// administrators may add productivity or others) are withheld for teams
// with fewer people than the minimum group size (default 8): the value is
// null with suppressed: "small_team" — no range, because in a small team
// even a band reveals that someone is ill. People are counted as the
// headcount, else the whole part of the FTE (a lower bound), else unknown,
// which counts as small. Region and organisation averages include small
// teams, but an average is itself withheld ("complementary") when the small
// teams hidden in it hold fewer people than the minimum together, since the
// average minus the teams shown would reveal them; at organisation level
// the same holds for the hidden groups of withheld regions. Reading team
// figures (team, region and organisation views, export) is recorded in the
// access log.
//
// The business result can be limited to managers (regiomanager,
// ondersteunende_dienst, beheerder): for everyone else the indicator is
// left out of every answer, sort key and export by the server.
//
// # Views
//
// Team: the latest month (or ?month) with value, previous month, change,
// target and traffic light (green on target, amber within 5% of the
// target, red beyond), region and organisation comparison, provenance
// (import and source), a trend of up to 60 months with region and
// organisation lines, and signals (off target three or more months
// running; no figures this month). Region and organisation: weighted
// aggregates (by FTE, else headcount, else 1; sizes carry forward from the
// last month they were given), month-on-month changes, every team sortable
// by any visible indicator (missing and withheld values last). Business
// result aggregates are sums; a team compares with the mean per team.
package dashboard
