package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/plein/plein/server/apperr"
)

// Decode reads the JSON request body into dst strictly: the content type must
// be application/json, the body must fit the size limit, unknown fields and
// trailing data are refused, and type errors name the field. On failure it
// writes the problem response and returns false.
//
// dst must be a request type (never a stored type, never a map): encoding/json
// matches keys case-insensitively and lets the last duplicate win, so only the
// request type's fields can ever be set.
func Decode(c *gin.Context, dst any) bool {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mt != "application/json" {
		WriteProblem(c, Problem{Type: "/problems/unsupported-media-type", Code: "unsupported_media_type", Title: "Unsupported media type",
			Status: http.StatusUnsupportedMediaType, Detail: "Send the body as application/json."})
		return false
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			WriteProblem(c, Problem{Type: "/problems/too-large", Code: "too_large", Title: "Request body too large",
				Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("The body may be at most %d bytes.", mbe.Limit)})
			return false
		}
		WriteProblem(c, Problem{Type: "/problems/bad-request", Code: "bad_request", Title: "Unreadable body", Status: http.StatusBadRequest})
		return false
	}
	// A request type that is a struct takes an object: encoding/json would
	// take null (or nothing but whitespace around it) as "no fields set".
	if t := reflect.TypeOf(dst); t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] != '{' && json.Valid(trimmed) {
			WriteProblem(c, Problem{Type: "/problems/validation", Code: "validation", Title: "Invalid input", Status: http.StatusUnprocessableEntity,
				Detail: "One or more fields are invalid.",
				Errors: []apperr.FieldError{{Field: "(body)", Code: "invalid", Message: "must be an object"}}})
			return false
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		writeDecodeError(c, err)
		return false
	}
	// Only whitespace may follow the value. (Decoder.More alone misses a
	// trailing "]" or "}", which it reads as the end of an enclosing value.)
	if _, err := dec.Token(); err != io.EOF {
		WriteProblem(c, Problem{Type: "/problems/malformed-json", Code: "malformed_json", Title: "Malformed JSON", Status: http.StatusBadRequest,
			Detail: "The body must hold exactly one JSON value."})
		return false
	}
	if v, ok := dst.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			Error(c, err)
			return false
		}
	}
	return true
}

func writeDecodeError(c *gin.Context, err error) {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		WriteProblem(c, Problem{Type: "/problems/malformed-json", Code: "malformed_json", Title: "Malformed JSON", Status: http.StatusBadRequest,
			Detail: "The body is not valid JSON."})
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(body)"
		}
		WriteProblem(c, Problem{Type: "/problems/validation", Code: "validation", Title: "Invalid input", Status: http.StatusUnprocessableEntity,
			Detail: "One or more fields are invalid.",
			Errors: []apperr.FieldError{{Field: field, Code: "wrong_type", Message: "must be " + jsonKind(te.Type.Kind().String())}}})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		WriteProblem(c, Problem{Type: "/problems/validation", Code: "validation", Title: "Invalid input", Status: http.StatusUnprocessableEntity,
			Detail: "One or more fields are invalid.",
			Errors: []apperr.FieldError{{Field: name, Code: "unknown_field", Message: "unknown field"}}})
	default:
		WriteProblem(c, Problem{Type: "/problems/malformed-json", Code: "malformed_json", Title: "Malformed JSON", Status: http.StatusBadRequest,
			Detail: "The body could not be read as JSON."})
	}
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number"
	}
	return "of another type"
}
