package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
)

// Upload is a file read from a multipart/form-data body.
type Upload struct {
	Name string
	Data []byte
}

// ReadMultipart reads a multipart/form-data body the way team spaces read
// theirs: the file in the part "file" (at most maxFile bytes; reading stops
// beyond that) and the named text fields (at most 4 KB each); unknown parts
// are skipped. Not multipart → 415; a file or body beyond the limit → 413;
// anything else wrong → 422 on the field. It writes the problem and returns
// false. The file's type is not trusted here: sniff it (blob.Sniff).
func ReadMultipart(c *gin.Context, maxFile int64, fields ...string) (Upload, map[string]string, bool) {
	mt, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		WriteProblem(c, Problem{Type: "/problems/unsupported-media-type", Code: "unsupported_media_type", Title: "Unsupported media type",
			Status: http.StatusUnsupportedMediaType, Detail: "Send the file as multipart/form-data in the field \"file\"."})
		return Upload{}, nil, false
	}
	large := func() (Upload, map[string]string, bool) {
		WriteProblem(c, TooLarge(maxFile))
		return Upload{}, nil, false
	}
	fail := func(err error) (Upload, map[string]string, bool) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			// The API's own body limit may be the smaller one.
			maxFile = min(maxFile, mbe.Limit)
			return large()
		}
		Error(c, apperr.Invalid("file", "invalid", "the multipart/form-data body could not be read"))
		return Upload{}, nil, false
	}
	maxBody := maxFile + 64<<10 // the file plus the form's other fields and framing
	if c.Request.ContentLength > maxBody {
		return large()
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	vals := map[string]string{}
	var up *Upload
	mr := multipart.NewReader(body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		name := part.FormName()
		switch {
		case name == "file":
			if up != nil {
				Error(c, apperr.Invalid("file", "invalid", "send one file at a time"))
				return Upload{}, nil, false
			}
			data, err := io.ReadAll(io.LimitReader(part, maxFile+1))
			if err != nil {
				return fail(err)
			}
			if int64(len(data)) > maxFile {
				return large()
			}
			up = &Upload{Name: part.FileName(), Data: data}
		case slices.Contains(fields, name):
			data, err := io.ReadAll(io.LimitReader(part, 4097))
			if err != nil {
				return fail(err)
			}
			if len(data) > 4096 {
				Error(c, apperr.Invalid(name, "invalid", "at most 4 KB"))
				return Upload{}, nil, false
			}
			vals[name] = string(data)
		default:
			if _, err := io.Copy(io.Discard, part); err != nil {
				return fail(err)
			}
		}
	}
	if up == nil {
		Error(c, apperr.Invalid("file", "required", "send the file in the form field \"file\""))
		return Upload{}, nil, false
	}
	return *up, vals, true
}

// TooLarge is the one answer to a file or body over its limit: 413 with the
// code file_too_large and the limit in whole megabytes (at least 1) for the
// app's text.
func TooLarge(limit int64) Problem {
	mb := max(limit>>20, 1)
	return Problem{Type: "/problems/too-large", Code: "file_too_large", Title: "Request body too large", Status: http.StatusRequestEntityTooLarge,
		Detail: fmt.Sprintf("The file may be at most %d MB.", mb), Params: apperr.Params{"maxMb": mb}}
}
