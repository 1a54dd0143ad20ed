package arch_test

import (
	"go/parser"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/plein/plein/"

// chatMayUse are the server packages chat may import: libraries, no domain.
var chatMayUse = []string{"server/apperr", "server/benchkit", "server/httpapi", "server/identity", "server/identifiers", "server/photo", "server/plaintext", "server/richtext", "server/search", "server/store"}

// exceptions are today's known breaches of the rules, each with its way out
// (issue 13). An exception that no longer occurs fails the test: delete it.
var exceptions = map[string]string{}

type imp struct{ from, file, to string }

// imports lists every import of the module's non-test Go files.
func imports(t *testing.T) []imp {
	t.Helper()
	_, files := sources(t, parser.ImportsOnly)
	var out []imp
	for _, f := range files {
		for _, s := range f.AST.Imports {
			p, _ := strconv.Unquote(s.Path.Value)
			out = append(out, imp{from: f.Dir, file: path.Base(f.Path), to: p})
		}
	}
	if len(out) < 100 {
		t.Fatalf("found only %d imports: is the walk looking in the right place?", len(out))
	}
	return out
}

func under(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }

func TestImportsRunOneWay(t *testing.T) {
	seen := map[string]bool{}
	var breaches []string
	breach := func(key, msg string) {
		if _, ok := exceptions[key]; ok {
			seen[key] = true
			return
		}
		breaches = append(breaches, msg)
	}
	for _, i := range imports(t) {
		if i.to == "github.com/gin-gonic/gin" {
			http := strings.HasPrefix(i.file, "http")
			if !http && !under(i.from, "server/httpapi") && !under(i.from, "server/app") && !under(i.from, "server/cmd") {
				breach(i.from+" gin", i.from+"/"+i.file+" imports gin outside the HTTP layer (http*.go, httpapi, app, cmd)")
			}
			continue
		}
		if !strings.HasPrefix(i.to, module) {
			continue
		}
		to := strings.TrimPrefix(i.to, module)
		key := i.from + " -> " + to
		switch {
		case under(to, "server/app") && !under(i.from, "server/app") && !under(i.from, "server/cmd"):
			breach(key, i.from+" imports "+to+": only server/cmd wires the app")
		case under(to, "server/cmd"):
			breach(key, i.from+" imports "+to+": nothing imports a command")
		case under(to, "server/demo") && !under(i.from, "server/demo") && !under(i.from, "server/app"):
			breach(key, i.from+" imports "+to+": only server/app wires the demo data (development only); domains take it through their import entry points")
		case under(i.from, "server") && under(to, "chat") && !under(i.from, "server/app") && !under(i.from, "server/cmd"):
			breach(key, i.from+" imports "+to+": the server reaches chat only through app's wiring")
		case under(i.from, "chat") && under(to, "server"):
			ok := false
			for _, lib := range chatMayUse {
				ok = ok || under(to, lib)
			}
			if !ok {
				breach(key, i.from+" imports "+to+": chat uses only the server's libraries ("+strings.Join(chatMayUse, ", ")+")")
			}
		}
	}
	sort.Strings(breaches)
	for _, b := range dedupe(breaches) {
		t.Error(b)
	}
	for key, why := range exceptions {
		if !seen[key] {
			t.Errorf("exception %q (%s) no longer occurs: delete it from the list", key, why)
		}
	}
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// The walk must see this very repository (a moved test would pass vacuously).
func TestWalkSeesTheRepository(t *testing.T) {
	if _, err := os.Stat("../../go.mod"); err != nil {
		t.Fatalf("go.mod not two levels up: %v", err)
	}
}
