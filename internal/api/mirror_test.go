package api

import (
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/basin-dev/basin/internal/train"
	"github.com/basin-dev/basin/web"
)

// jsConstRE finds `export const NAME = value;` in a page module.
var jsConstRE = regexp.MustCompile(`(?m)^export const ([A-Z0-9_]+) = ([^;]+);`)

// jsConsts reads the exported constants of a page module as numbers: plain
// numbers, a ** b, and arrays of numbers.
func jsConsts(t *testing.T, file string) map[string][]float64 {
	t.Helper()
	src, err := fs.ReadFile(web.Files, file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, m := range jsConstRE.FindAllStringSubmatch(string(src), -1) {
		text := strings.TrimSpace(m[2])
		var parts []string
		if strings.HasPrefix(text, "[") && strings.HasSuffix(text, "]") {
			parts = strings.Split(strings.Trim(text, "[]"), ",")
		} else {
			parts = []string{text}
		}
		var vals []float64
		for _, p := range parts {
			v, ok := jsLiteral(strings.TrimSpace(p))
			if !ok {
				vals = nil
				break
			}
			vals = append(vals, v)
		}
		if vals != nil {
			out[m[1]] = vals
		}
	}
	return out
}

func jsLiteral(s string) (float64, bool) {
	if base, exp, ok := strings.Cut(s, "**"); ok {
		b, err1 := strconv.ParseFloat(strings.TrimSpace(base), 64)
		e, err2 := strconv.Atoi(strings.TrimSpace(exp))
		if err1 != nil || err2 != nil {
			return 0, false
		}
		v := 1.0
		for range e {
			v *= b
		}
		return v, true
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	return v, err == nil
}

// TestPageMirrorsServerLimits: the page's copies of the server's limits
// and defaults (named in the modules that use them, so a control offers
// what the server takes) are the server's, and the choices it offers lie
// within the server's ranges.
func TestPageMirrorsServerLimits(t *testing.T) {
	equal := []struct {
		file, name string
		want       float64
	}{
		{"js/model/csv.js", "CSV_MIN_ROWS", data.MinRows},
		{"js/model/csv.js", "CSV_MAX_ROWS", data.MaxRows},
		{"js/model/modelstate.js", "PERMALINK_DATA_LIMIT", runspec.PermalinkDataLimit},
		{"js/model/modelstate.js", "TRAIN_VERSION", runspec.TrainPermalinkVersion},
		{"js/model/panel.js", "MAX_HIDDEN_LAYERS", model.MaxHiddenLayers},
		{"js/model/panel.js", "MAX_UNITS", model.MaxUnits},
		{"js/model/startmap.js", "START_GRID_DEFAULT", runspec.TrainBasinGridDefault},
		{"js/model/lrsweep.js", "SWEEP_FROM", runspec.TrainSweepLRMinDefault},
		{"js/model/lrsweep.js", "SWEEP_TO", runspec.TrainSweepLRMaxDefault},
		{"js/model/lrsweep.js", "SWEEP_COUNT", runspec.TrainSweepCountDefault},
		{"js/model/lrsweep.js", "SWEEP_COUNT_MIN", basin.SweepCountMin},
		{"js/model/lrsweep.js", "SWEEP_COUNT_MAX", runspec.TrainSweepCountLimit},
		{"js/compare.js", "OPTIMIZERS_LIMIT", runspec.OptimizersLimit},
		{"js/api.js", "GRID_HEADER", landscapeHeaderLen},
		{"js/api.js", "GRID_QUANT_MAX", gridQuantMax},
		{"js/api.js", "GRID_QUANT_RANGE", gridQuantRange},
	}
	within := []struct {
		file, name string
		lo, hi     float64
	}{
		{"js/model/startmap.js", "START_GRIDS", train.MinStartGrid, train.MaxStartGrid},
		{"js/model/modelstate.js", "DEFAULT_GRID", train.MinGrid, train.MaxGrid},
		{"js/basins.js", "BASIN_GRIDS", basin.GridMin, runspec.BasinGridLimit},
		{"js/basins.js", "BASIN_GRID_DEFAULT", basin.GridMin, runspec.BasinGridLimit},
		{"js/sweep.js", "SWEEP_COUNTS", basin.SweepCountMin, runspec.SweepCountLimit},
		{"js/sweep.js", "SWEEP_COUNT", basin.SweepCountMin, runspec.SweepCountLimit},
		{"js/compare.js", "MAX_COMPARE", 2, runspec.OptimizersLimit},
	}
	consts := map[string]map[string][]float64{}
	get := func(file, name string) []float64 {
		if consts[file] == nil {
			consts[file] = jsConsts(t, file)
		}
		v, ok := consts[file][name]
		if !ok {
			t.Fatalf("%s exports no number %s", file, name)
		}
		return v
	}
	for _, c := range equal {
		if v := get(c.file, c.name); len(v) != 1 || v[0] != c.want {
			t.Errorf("%s: %s = %v, the server's is %v", c.file, c.name, v, c.want)
		}
	}
	for _, c := range within {
		for _, v := range get(c.file, c.name) {
			if v < c.lo || v > c.hi || v != float64(int(v)) {
				t.Errorf("%s: %s offers %v, the server takes integers in [%v, %v]", c.file, c.name, v, c.lo, c.hi)
			}
		}
	}
}
