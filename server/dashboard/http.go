package dashboard

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
)

// AccessLogger records access to personal data (NEN 7513).
type AccessLogger interface {
	Record(ctx context.Context, action, subject string) error
}

// HTTP exposes the dashboard over HTTP.
type HTTP struct {
	svc    *Service
	access AccessLogger
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, access AccessLogger) *HTTP { return &HTTP{svc: svc, access: access} }

// Routes registers the dashboard routes on a group that already requires a user.
func (h *HTTP) Routes(api *gin.RouterGroup) {
	api.GET("/dashboard/indicators", httpapi.Handle(h.indicators))
	api.GET("/dashboard/settings", httpapi.Handle(h.getSettings))
	api.PUT("/dashboard/settings", httpapi.Handle(h.putSettings))
	api.GET("/dashboard/teams/:id", httpapi.Handle(h.team))
	api.GET("/dashboard/regions/:id", httpapi.Handle(h.region))
	api.GET("/dashboard/organisation", httpapi.Handle(h.organisation))
	api.GET("/dashboard/organisation.csv", httpapi.Handle(h.exportCSV))
	api.GET("/dashboard/imports", httpapi.Handle(h.listImports))
	api.GET("/dashboard/imports/:id", httpapi.Handle(h.getImport))
	api.POST("/dashboard/imports/preview", httpapi.Handle(h.preview))
	api.POST("/dashboard/imports", httpapi.Handle(h.commit))
	api.POST("/dashboard/figures", httpapi.Handle(h.push))
}

func actor(c *gin.Context) *identity.Actor { return identity.ActorFrom(c.Request.Context()) }

func (h *HTTP) indicators(c *gin.Context) error {
	items, err := h.svc.Indicators(actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (h *HTTP) getSettings(c *gin.Context) error {
	v, err := h.svc.GetSettings(actor(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) putSettings(c *gin.Context) error {
	if !actor(c).Has(identity.RoleBeheerder) {
		return apperr.Forbidden("admin_only", "only administrators change the dashboard settings")
	}
	var in SettingsInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	v, err := h.svc.UpdateSettings(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// viewQuery reads ?month=yyyy-mm&months=n.
func viewQuery(c *gin.Context) (ViewQuery, error) {
	var q ViewQuery
	var v apperr.Validator
	if s := c.Query("month"); s != "" {
		m, ok := ParseMonth(s)
		v.Check(ok, "month", "invalid_date", "use yyyy-mm, e.g. 2026-10")
		q.Month = &m
	}
	if s := c.Query("months"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil && n >= 1 && n <= 60, "months", "out_of_range", "use a number from 1 to 60", apperr.Params{"min": 1, "max": 60})
		q.Months = n
	}
	return q, v.Err()
}

func listQuery(c *gin.Context) (ListQuery, error) {
	vq, err := viewQuery(c)
	return ListQuery{ViewQuery: vq, Sort: c.Query("sort"), Order: c.Query("order")}, err
}

func (h *HTTP) team(c *gin.Context) error {
	q, err := viewQuery(c)
	if err != nil {
		return err
	}
	v, err := h.svc.Team(actor(c), c.Param("id"), q)
	if err != nil {
		return err
	}
	// A team's figures (sickness absence, productivity) are personal data in a small team.
	if err := h.access.Record(c.Request.Context(), "read", "dashboard:team:"+v.Team.ID+" figures"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) region(c *gin.Context) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	v, err := h.svc.Region(actor(c), c.Param("id"), q)
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "read", "dashboard:region:"+v.Region.ID+" team figures"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) organisation(c *gin.Context) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	v, err := h.svc.Organisation(actor(c), q)
	if err != nil {
		return err
	}
	if err := h.access.Record(c.Request.Context(), "read", "dashboard:organisation team figures"); err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

func (h *HTTP) exportCSV(c *gin.Context) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	v, err := h.svc.Organisation(actor(c), q)
	if err != nil {
		return err
	}
	name := "dashboard-organisatie.csv"
	if v.Month != nil {
		name = "dashboard-organisatie-" + v.Month.String() + ".csv"
	}
	if err := h.access.Record(c.Request.Context(), "export", "dashboard:organisation team figures"); err != nil {
		return err
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", ExportCSV(v))
	return nil
}

func (h *HTTP) listImports(c *gin.Context) error {
	limit := 100
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			return apperr.Invalid("limit", "out_of_range", "use a number from 1 to 500", apperr.Params{"min": 1, "max": 500})
		}
		limit = n
	}
	items, err := h.svc.Imports(actor(c), limit)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
	return nil
}

func (h *HTTP) getImport(c *gin.Context) error {
	im, err := h.svc.GetImport(actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, im)
	return nil
}

func (h *HTTP) preview(c *gin.Context) error {
	if err := requireImporter(actor(c)); err != nil {
		return err
	}
	up, ok := readUpload(c)
	if !ok {
		return nil
	}
	p, err := h.svc.PreviewImport(actor(c), up)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, p)
	return nil
}

func (h *HTTP) commit(c *gin.Context) error {
	if err := requireImporter(actor(c)); err != nil {
		return err
	}
	up, ok := readUpload(c)
	if !ok {
		return nil
	}
	res, err := h.svc.ImportFile(c.Request.Context(), actor(c), up)
	if err != nil {
		return err
	}
	return h.answerCommit(c, res)
}

func (h *HTTP) push(c *gin.Context) error {
	if err := requireImporter(actor(c)); err != nil {
		return err
	}
	var in PushInput
	if !httpapi.Decode(c, &in) {
		return nil
	}
	res, err := h.svc.Push(c.Request.Context(), actor(c), in)
	if err != nil {
		return err
	}
	return h.answerCommit(c, res)
}

func (h *HTTP) answerCommit(c *gin.Context, res *CommitResult) error {
	if res.Import == nil {
		c.JSON(http.StatusOK, res)
		return nil
	}
	if err := h.access.Record(c.Request.Context(), "change", "dashboard:import "+res.Import.ID); err != nil {
		// The figures are stored; the log entry failed. Say so rather than hide it.
		return err
	}
	c.Header("Location", "/api/v1/dashboard/imports/"+res.Import.ID)
	c.JSON(http.StatusCreated, res)
	return nil
}

// uploadJSON is the JSON form of an upload: the CSV text in a string.
type uploadJSON struct {
	FileName string `json:"fileName"`
	Content  string `json:"content"`
}

// readUpload reads an import file sent as multipart/form-data (field
// "file", through the one upload reader, httpapi.ReadMultipart), as the raw
// body (text/csv; file name in ?fileName=), or as JSON {fileName, content}.
// The API's body limit (PLEIN_MAX_BODY_BYTES, 1 MiB by default) applies:
// larger files are refused with 413 file_too_large.
func readUpload(c *gin.Context) (Upload, bool) {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch mt {
	case "application/json":
		var in uploadJSON
		if !httpapi.Decode(c, &in) {
			return Upload{}, false
		}
		return Upload{FileName: in.FileName, Data: []byte(in.Content)}, true
	case "multipart/form-data":
		up, _, ok := httpapi.ReadMultipart(c, maxImportFile)
		return Upload{FileName: up.Name, Data: up.Data}, ok
	case "text/csv", "text/plain", "application/vnd.ms-excel", "application/octet-stream",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
	default:
		httpapi.WriteProblem(c, httpapi.Problem{Type: "/problems/unsupported-media-type", Code: "unsupported_media_type", Title: "Unsupported media type",
			Status: http.StatusUnsupportedMediaType, Detail: "Send the file as multipart/form-data (field file), as text/csv, or as JSON {fileName, content}."})
		return Upload{}, false
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			httpapi.WriteProblem(c, httpapi.TooLarge(mbe.Limit))
			return Upload{}, false
		}
		httpapi.WriteProblem(c, httpapi.Problem{Type: "/problems/bad-request", Code: "bad_request", Title: "Unreadable body", Status: http.StatusBadRequest})
		return Upload{}, false
	}
	return Upload{FileName: c.Query("fileName"), Data: body}, true
}

// maxImportFile is the most an import file could be: the API's body limit
// (at most 64 MiB, server/config) refuses a larger body first.
const maxImportFile = 64 << 20

// ExportCSV writes an organisation view as CSV for Dutch spreadsheets: a
// byte-order mark, ";" as delimiter, decimal commas. Text cells that a
// spreadsheet would read as a formula (starting with = + - @ tab, CR or LF)
// get a leading apostrophe; numbers are written by us and never start with
// anything but a digit or a minus sign followed by digits.
func ExportCSV(v *OrgView) []byte {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	head := []string{"Regio", "Team", "Team-id", "Maand", "Medewerkers", "Fte"}
	for _, ind := range v.Indicators {
		name := ind.Name
		if ind.Unit == UnitPercent {
			name += " (%)"
		} else if ind.Unit == UnitEuro {
			name += " (€)"
		}
		head = append(head, name)
	}
	head = append(head, "Niet getoond")
	writeRow(&b, textCells(head))
	month := ""
	if v.Month != nil {
		month = v.Month.String()
	}
	for _, t := range v.Teams {
		cells := textCells([]string{t.RegionName, t.Name, t.ID, month})
		cells = append(cells, numCell(t.Size.Headcount), numCell(t.Size.FTE))
		var hidden []string
		for _, ind := range v.Indicators {
			cells = append(cells, numCell(t.Values[ind.Key]))
			if t.Suppressed[ind.Key] != "" {
				hidden = append(hidden, ind.Name+" (klein team)")
			}
		}
		cells = append(cells, textCell(strings.Join(hidden, ", ")))
		writeRow(&b, cells)
	}
	return b.Bytes()
}

// NeutraliseCell makes a text cell safe from formula injection.
func NeutraliseCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r\n", rune(s[0])) {
		return "'" + s
	}
	return s
}

func textCell(s string) string {
	s = NeutraliseCell(s)
	if strings.ContainsAny(s, ";\"\n\r") {
		s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func textCells(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = textCell(s)
	}
	return out
}

func numCell(p *float64) string {
	if p == nil {
		return ""
	}
	return strings.Replace(strconv.FormatFloat(*p, 'f', -1, 64), ".", ",", 1)
}

func writeRow(b *bytes.Buffer, cells []string) {
	b.WriteString(strings.Join(cells, ";"))
	b.WriteString("\r\n")
}
