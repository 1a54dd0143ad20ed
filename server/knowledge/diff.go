package knowledge

import (
	"context"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
)

// version fetches a published version (point lookup).
func (s *Service) version(ctx context.Context, a *identity.Actor, id string, ver Version) (*storedVersion, error) {
	v := s.viewerOf(a)
	s.mu.RLock()
	_, err := s.lookup(v, id)
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	sv, err := findByID[storedVersion](ctx, s.st.versions, id+":"+ver.key())
	if err != nil {
		return nil, err
	}
	if sv == nil {
		return nil, apperr.NotFound("not_found", "version not found")
	}
	return sv, nil
}

// Version returns one published version's text.
func (s *Service) Version(ctx context.Context, a *identity.Actor, id, version string) (*VersionBody, error) {
	ver, ok := ParseVersion(version)
	if !ok {
		return nil, apperr.NotFound("not_found", "version not found")
	}
	sv, err := s.version(ctx, a, id, ver)
	if err != nil {
		return nil, err
	}
	i := sv.Info
	return &VersionBody{Version: VersionView{Version: i.Version.String(), Major: i.Major, PublishedAt: i.PublishedAt, Author: i.Author,
		Reviewer: i.Reviewer, ChangeNote: i.ChangeNote}, Title: sv.Content.Title, Summary: sv.Content.Summary,
		Body: sv.Content.Body, BodyHTML: s.render.HTML(sv.Content.Body)}, nil
}

func lines(c *Content) []string {
	out := []string{"# " + c.Title, "", c.Summary, ""}
	return append(out, strings.Split(strings.TrimRight(c.Body, "\n"), "\n")...)
}

// Diff compares two published versions, or a version and the working copy
// ("draft", editors only).
func (s *Service) Diff(ctx context.Context, a *identity.Actor, id, from, to string) (*Diff, error) {
	content := func(which, field string) (*Content, string, error) {
		if which == "draft" {
			if !isEditor(a) {
				return nil, "", apperr.Forbidden("forbidden", "only editors see the working copy")
			}
			v := s.viewerOf(a)
			s.mu.RLock()
			defer s.mu.RUnlock()
			h, err := s.lookup(v, id)
			if err != nil {
				return nil, "", err
			}
			d := h.Draft
			return &d, "draft", nil
		}
		if which == "" {
			// Empty "from": the current published version.
			v := s.viewerOf(a)
			s.mu.RLock()
			h, err := s.lookup(v, id)
			var ver Version
			if err == nil {
				ver = h.Version
			}
			s.mu.RUnlock()
			if err != nil {
				return nil, "", err
			}
			if ver.Major == 0 {
				return &Content{}, "", nil
			}
			which = ver.String()
		}
		ver, ok := ParseVersion(which)
		if !ok {
			return nil, "", apperr.Invalid(field, "invalid", "use a version such as 1.0, or draft")
		}
		sv, err := s.version(ctx, a, id, ver)
		if err != nil {
			return nil, "", err
		}
		return &sv.Content, ver.String(), nil
	}
	a1, n1, err := content(from, "from")
	if err != nil {
		return nil, err
	}
	if to == "" {
		return nil, apperr.Invalid("to", "required", "say which version to compare with (e.g. 2.0 or draft)")
	}
	b1, n2, err := content(to, "to")
	if err != nil {
		return nil, err
	}
	return &Diff{From: n1, To: n2, Lines: diffLines(lines(a1), lines(b1))}, nil
}

func diffLines(a, b []string) []DiffLine {
	m := difflib.NewMatcher(a, b)
	out := []DiffLine{}
	lines := func(kind string, ls []string) {
		for _, l := range ls {
			out = append(out, DiffLine{kind, l})
		}
	}
	for _, op := range m.GetOpCodes() {
		if op.Tag == 'e' {
			lines("eq", a[op.I1:op.I2])
			continue
		}
		// Deleted ('d'), inserted ('i') or replaced ('r'): what went, then
		// what came (one of the two is empty but for a replacement).
		lines("del", a[op.I1:op.I2])
		lines("add", b[op.J1:op.J2])
	}
	return out
}
