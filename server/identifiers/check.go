package identifiers

import "strings"

// Field is one text of a request, named as in its JSON ("body", "title").
type Field struct {
	Name, Text string
}

// F names a text.
func F(name, text string) Field { return Field{name, text} }

// FieldFinding is a finding as a request's writer is told it: the field and
// the kind, never the text.
type FieldFinding struct {
	Field string `json:"field"`
	Kind  Kind   `json:"kind"`
}

// SuspectedError refuses a write whose text holds likely client identifiers
// that its writer did not acknowledge. The HTTP layer answers 422 with the
// problem code "identifier_suspected"; the chat socket answers an error
// frame with the same code.
type SuspectedError struct {
	Findings []FieldFinding
}

// Code is the stable problem and frame code.
const Code = "identifier_suspected"

func (e *SuspectedError) Error() string {
	parts := make([]string, len(e.Findings))
	for i, f := range e.Findings {
		parts[i] = f.Field + " (" + string(f.Kind) + ")"
	}
	return "likely client identifiers in " + strings.Join(parts, ", ")
}

// Check returns a *SuspectedError listing each field's kinds of finding
// (once per field and kind), unless acknowledged is set or there are none.
func Check(acknowledged bool, fields ...Field) error {
	if acknowledged {
		return nil
	}
	var out []FieldFinding
	for _, f := range fields {
		for _, x := range Find(f.Text) {
			ff := FieldFinding{f.Name, x.Kind}
			dup := false
			for _, y := range out {
				dup = dup || y == ff
			}
			if !dup {
				out = append(out, ff)
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return &SuspectedError{Findings: out}
}
