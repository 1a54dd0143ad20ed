package app_test

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/plein/plein/server/app/apptest"
)

// openAPIDoc is the part of docs/openapi.yaml the route check reads.
type openAPIDoc struct {
	OpenAPI string                    `yaml:"openapi"`
	Paths   map[string]map[string]any `yaml:"paths"`
}

// openAPIMethods are the operation keys of an OpenAPI 3.1 path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadOpenAPI(t *testing.T) (openAPIDoc, map[string]any) {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "docs", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		t.Fatalf("docs/openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	if len(doc.Paths) == 0 {
		t.Fatal("docs/openapi.yaml has no paths")
	}
	return doc, raw
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// openAPIPath turns a Gin route path into an OpenAPI path template:
// /teams/:id → /teams/{id}, /dev-idp/*path → /dev-idp/{path}.
func openAPIPath(ginPath string) string { return ginParam.ReplaceAllString(ginPath, "{$1}") }

// anyMethod reports whether the path item is documented as accepting every
// method (a Gin Any route, such as the development identity provider).
func anyMethod(item map[string]any) bool {
	v, _ := item["x-plein-any-method"].(bool)
	return v
}

// TestOpenAPIDescribesEveryRoute fails when the engine serves a route that
// docs/openapi.yaml lacks, or the document lists an operation no route serves.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	doc, _ := loadOpenAPI(t)
	srv := apptest.Start(t)

	served := map[string]bool{} // "METHOD /openapi/{path}"
	for _, r := range srv.App.Engine.Routes() {
		p := openAPIPath(r.Path)
		served[r.Method+" "+p] = true
		item, ok := doc.Paths[p]
		if !ok {
			t.Errorf("route %s %s: docs/openapi.yaml has no path %q", r.Method, r.Path, p)
			continue
		}
		if _, ok := item[strings.ToLower(r.Method)]; !ok && !anyMethod(item) {
			t.Errorf("route %s %s: docs/openapi.yaml path %q has no %s operation", r.Method, r.Path, p, strings.ToLower(r.Method))
		}
	}
	if len(served) < 10 {
		t.Fatalf("only %d routes registered; is the app wired?", len(served))
	}

	var paths []string
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		item := doc.Paths[p]
		n := 0
		for _, m := range openAPIMethods {
			if _, ok := item[m]; !ok {
				continue
			}
			n++
			if !served[strings.ToUpper(m)+" "+p] {
				t.Errorf("docs/openapi.yaml lists %s %s, but no route serves it", strings.ToUpper(m), p)
			}
		}
		if n == 0 {
			t.Errorf("docs/openapi.yaml path %s has no operations", p)
		}
	}
}

// TestOpenAPIOperationsAreComplete checks what a reader relies on in each
// operation: declared path parameters, responses, and for every write under
// /api/v1 the roles that may call it, the CSRF requirement and (with a body)
// a strict request schema.
func TestOpenAPIOperationsAreComplete(t *testing.T) {
	t.Parallel()
	doc, raw := loadOpenAPI(t)
	resolve := func(v any) map[string]any {
		m, _ := v.(map[string]any)
		for i := 0; i < 5 && m != nil; i++ {
			ref, ok := m["$ref"].(string)
			if !ok {
				break
			}
			m = lookupRef(raw, ref)
			if m == nil {
				t.Errorf("unresolvable $ref %q", ref)
			}
		}
		return m
	}
	pathParams := func(list any) []string {
		var names []string
		items, _ := list.([]any)
		for _, it := range items {
			if p := resolve(it); p != nil && p["in"] == "path" {
				names = append(names, p["name"].(string))
			}
		}
		return names
	}
	templ := regexp.MustCompile(`\{([^}]+)\}`)

	for p, item := range doc.Paths {
		declared := pathParams(item["parameters"])
		for _, m := range openAPIMethods {
			opv, ok := item[m]
			if !ok {
				continue
			}
			op, _ := opv.(map[string]any)
			name := strings.ToUpper(m) + " " + p
			all := append(slices.Clone(declared), pathParams(op["parameters"])...)
			for _, want := range templ.FindAllStringSubmatch(p, -1) {
				if !slices.Contains(all, want[1]) {
					t.Errorf("%s: path parameter %q is not declared", name, want[1])
				}
			}
			if rs, _ := op["responses"].(map[string]any); len(rs) == 0 {
				t.Errorf("%s: no responses", name)
			}
			if !strings.HasPrefix(p, "/api/v1/") {
				continue
			}
			if _, ok := op["x-plein-roles"].([]any); !ok {
				t.Errorf("%s: no x-plein-roles", name)
			}
			if m == "get" {
				continue
			}
			if !requiresCSRF(op["security"]) {
				t.Errorf("%s: security does not require the csrfToken scheme", name)
			}
			if rb := resolve(op["requestBody"]); rb != nil {
				content, _ := rb["content"].(map[string]any)
				media := resolve(content["application/json"])
				if media == nil && content["multipart/form-data"] != nil {
					continue // an upload: a form, not a JSON object
				}
				schema := resolve(media["schema"])
				if schema == nil || schema["additionalProperties"] != false {
					t.Errorf("%s: request body schema lacks additionalProperties: false", name)
				}
			}
		}
	}

	problem := resolve(map[string]any{"$ref": "#/components/schemas/Problem"})
	props, _ := problem["properties"].(map[string]any)
	errs := resolve(props["errors"])
	fe := resolve(errs["items"])
	feProps, _ := fe["properties"].(map[string]any)
	if feProps["field"] == nil || feProps["message"] == nil {
		t.Errorf("Problem schema lacks errors[{field, message}]: %v", problem)
	}
}

func requiresCSRF(sec any) bool {
	reqs, _ := sec.([]any)
	if len(reqs) == 0 {
		return false
	}
	for _, r := range reqs {
		m, _ := r.(map[string]any)
		if _, ok := m["csrfToken"]; !ok {
			return false // an alternative without the token would let it through
		}
	}
	return true
}

func lookupRef(raw map[string]any, ref string) map[string]any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var cur any = raw
	for _, part := range strings.Split(ref[2:], "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]
	}
	m, _ := cur.(map[string]any)
	return m
}
