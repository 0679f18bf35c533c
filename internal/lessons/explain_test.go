package lessons_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/optim"
)

// explainJS is the page's explanation module. It cannot import the Go
// registry, so this test holds the two together: every optimizer and
// hyperparameter of optim.List(), and every named preset of
// optim.Presets() that is not a registry name, is explained there, and
// nothing else is.
const explainJS = "../../web/js/explain.js"

// block returns the lines of the top-level object literal "export const
// name = {" up to its closing "};".
func block(t *testing.T, src, name string) []string {
	t.Helper()
	start := strings.Index(src, "\nexport const "+name+" = {\n")
	if start < 0 {
		t.Fatalf("%s: no export const %s = {", explainJS, name)
	}
	rest := src[start+1:]
	end := strings.Index(rest, "\n};\n")
	if end < 0 {
		t.Fatalf("%s: %s is never closed", explainJS, name)
	}
	return strings.Split(rest[:end], "\n")[1:]
}

var (
	// The layout explain.js documents at its top.
	entryLine  = regexp.MustCompile(`^  ([a-z_]+): \{$`)
	paramsLine = regexp.MustCompile(`^    params: \{$`)
	paramLine  = regexp.MustCompile(`^      ([a-z_]+): \{$`)
	closeLine  = regexp.MustCompile(`^    \},$`)
	optLine    = regexp.MustCompile(`^    optimizer: "([a-z_]+)",$`)
)

func readExplain(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(explainJS)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExplainCoversTheRegistry(t *testing.T) {
	src := readExplain(t)
	got := map[string][]string{} // optimizer -> params, in file order
	var order []string
	cur, inParams := "", false
	for _, line := range block(t, src, "OPTIMIZERS") {
		switch {
		case entryLine.MatchString(line):
			cur, inParams = entryLine.FindStringSubmatch(line)[1], false
			order = append(order, cur)
			got[cur] = []string{}
		case paramsLine.MatchString(line):
			inParams = true
		case inParams && closeLine.MatchString(line):
			inParams = false
		case inParams && paramLine.MatchString(line):
			got[cur] = append(got[cur], paramLine.FindStringSubmatch(line)[1])
		}
	}
	var want []string
	for _, info := range optim.List() {
		want = append(want, info.Name)
		var params []string
		for _, p := range info.Params {
			params = append(params, p.Name)
		}
		have, ok := got[info.Name]
		if !ok {
			t.Errorf("explain.js does not explain %s", info.Name)
			continue
		}
		if !slices.Equal(have, params) {
			t.Errorf("explain.js: %s explains %v, the registry has %v (same order)", info.Name, have, params)
		}
	}
	if !slices.Equal(order, want) {
		t.Errorf("explain.js explains %v, the registry lists %v (same order)", order, want)
	}
}

func TestExplainCoversThePresets(t *testing.T) {
	src := readExplain(t)
	got := map[string]string{} // preset id -> optimizer
	cur := ""
	for _, line := range block(t, src, "PRESETS") {
		if m := entryLine.FindStringSubmatch(line); m != nil {
			cur = m[1]
			got[cur] = ""
		}
		if m := optLine.FindStringSubmatch(line); m != nil && cur != "" {
			got[cur] = m[1]
		}
	}
	want := map[string]string{}
	for _, p := range optim.Presets() {
		if _, isRule := optim.Lookup(p.ID); !isRule {
			want[p.ID] = p.Optimizer
		}
	}
	if len(want) == 0 {
		t.Fatal("optim.Presets has no named settings: nothing to check")
	}
	for id, opt := range want {
		if got[id] != opt {
			t.Errorf("explain.js PRESETS.%s: optimizer %q, want %q", id, got[id], opt)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("explain.js explains preset %q, which optim.Presets does not have", id)
		}
	}
}
