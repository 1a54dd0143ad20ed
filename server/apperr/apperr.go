// Package apperr holds the domain errors every package returns and the HTTP
// layer maps to RFC 9457 problem documents in one place.
//
// Every refusal carries a Code: a stable snake_case word the app translates
// (problem.<code> and field.<code> in frontend/src/i18n). The English message
// beside it is for API clients and logs; no screen shows it. A call site names
// its code explicitly, as a literal: apperr.Forbidden("self_approval", "…"),
// v.Check(ok, "title", "too_long", "at most 200 characters", apperr.Params{"max": 200}).
// TestCodesAreTranslated (codes_test.go) collects every literal and fails when
// one lacks a translation.
package apperr

import (
	"errors"
	"fmt"
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

// Unavailable is ErrUnavailable for what could not be done (e.g. "save
// user", "load teams"), with the dependency's error as text: the client gets
// 503 and the log the cause.
func Unavailable(what string, err error) error {
	return fmt.Errorf("%w: %s: %v", ErrUnavailable, what, err)
}

// Code is a stable, snake_case refusal code (e.g. "self_approval" for a
// problem, "too_long" for a field). Write it as a literal at the call site.
type Code string

// Params are the values a translation fills in, e.g. {"max": 200} for
// "Maximaal 200 tekens". Keys are lowerCamel; values numbers or strings.
type Params map[string]any

// FieldError describes one invalid input field. Field uses the JSON name
// (dotted for nested fields, e.g. "contact.email").
type FieldError struct {
	Field   string `json:"field"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
	Params  Params `json:"params,omitempty"`
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

// Invalid returns a *ValidationError for one field.
func Invalid(field string, code Code, msg string, params ...Params) error {
	var v Validator
	v.Add(field, code, msg, params...)
	return v.Err()
}

// Validator collects field errors; Err returns nil when there were none.
type Validator struct{ fields []FieldError }

// Add records a field error with its code, English message and, optionally,
// the params its translation needs (at most one Params).
func (v *Validator) Add(field string, code Code, msg string, params ...Params) {
	fe := FieldError{Field: field, Code: code, Message: msg}
	if len(params) > 0 {
		fe.Params = params[0]
	}
	v.fields = append(v.fields, fe)
}

// Check records the field error when ok is false.
func (v *Validator) Check(ok bool, field string, code Code, msg string, params ...Params) {
	if !ok {
		v.Add(field, code, msg, params...)
	}
}

// Err returns a *ValidationError, or nil.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: v.fields}
}

// Conflict wraps ErrConflict with a code and an English message.
func Conflict(code Code, msg string) error { return &codedError{ErrConflict, code, msg} }

// NotFound wraps ErrNotFound with a code and an English message.
func NotFound(code Code, msg string) error { return &codedError{ErrNotFound, code, msg} }

// Forbidden wraps ErrForbidden with a code and an English message.
func Forbidden(code Code, msg string) error { return &codedError{ErrForbidden, code, msg} }

type codedError struct {
	kind error
	code Code
	msg  string
}

func (e *codedError) Error() string { return e.msg }
func (e *codedError) Unwrap() error { return e.kind }

// Detail returns the English message of an error made by Conflict, NotFound or Forbidden.
func Detail(err error) string {
	var m *codedError
	if errors.As(err, &m) {
		return m.msg
	}
	return ""
}

// CodeOf returns the code of an error made by Conflict, NotFound or
// Forbidden, or fallback for any other error.
func CodeOf(err error, fallback Code) Code {
	var m *codedError
	if errors.As(err, &m) && m.code != "" {
		return m.code
	}
	return fallback
}
