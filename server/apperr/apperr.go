// Package apperr holds the domain errors every package returns and the HTTP
// layer maps to RFC 9457 problem documents in one place.
package apperr

import (
	"errors"
	"strings"
)

var (
	// ErrNotFound: the thing does not exist, or the actor may not know it does.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the actor is known but lacks the right.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated: no valid session.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrConflict: the write conflicts with stored state (duplicate id, stale version).
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: a dependency (store, identity provider) did not answer.
	ErrUnavailable = errors.New("unavailable")
)

// FieldError describes one invalid input field. Field uses the JSON name
// (dotted for nested fields, e.g. "contact.email").
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError is returned when input is well-formed but invalid.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Validator collects field errors; Err returns nil when there were none.
type Validator struct{ fields []FieldError }

// Add records a field error.
func (v *Validator) Add(field, msg string) { v.fields = append(v.fields, FieldError{field, msg}) }

// Check records msg for field when ok is false.
func (v *Validator) Check(ok bool, field, msg string) {
	if !ok {
		v.Add(field, msg)
	}
}

// Err returns a *ValidationError, or nil.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.fields}
}

// Conflict wraps ErrConflict with a human message.
func Conflict(msg string) error { return &msgError{ErrConflict, msg} }

// NotFound wraps ErrNotFound with a human message.
func NotFound(msg string) error { return &msgError{ErrNotFound, msg} }

// Forbidden wraps ErrForbidden with a human message.
func Forbidden(msg string) error { return &msgError{ErrForbidden, msg} }

type msgError struct {
	kind error
	msg  string
}

func (e *msgError) Error() string { return e.msg }
func (e *msgError) Unwrap() error { return e.kind }

// Detail returns the human message of an error made by Conflict, NotFound or Forbidden.
func Detail(err error) string {
	var m *msgError
	if errors.As(err, &m) {
		return m.msg
	}
	return ""
}
