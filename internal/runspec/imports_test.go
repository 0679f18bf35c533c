package runspec

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/basin-dev/basin/"

// imports lists the packages the non-test files in dir import.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out = append(out, p)
		}
	}
	return out
}

// TestNoTransport lists everything the run-spec language imports, directly
// or through Basin's own packages, and requires none of it to be HTTP or
// websocket code: the language is used by the server, by tests and by
// tools alike, and the transport stays in internal/api.
func TestNoTransport(t *testing.T) {
	seen := map[string]bool{}
	var all []string
	var walk func(dir string)
	walk = func(dir string) {
		for _, p := range imports(t, dir) {
			if seen[p] {
				continue
			}
			seen[p] = true
			all = append(all, p)
			if rel, ok := strings.CutPrefix(p, module); ok {
				walk(filepath.Join("..", "..", rel))
			}
		}
	}
	walk(".")
	slices.Sort(all)
	t.Logf("imports: %s", strings.Join(all, " "))
	for _, p := range all {
		if p == "net/http" || strings.HasPrefix(p, "net/http/") || strings.Contains(p, "websocket") ||
			strings.Contains(p, "go-chi") || p == module+"internal/api" {
			t.Errorf("the run-spec language imports %s", p)
		}
	}
}
