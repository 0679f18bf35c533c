package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// judgeEnd says where a run that spent its budget ended relative to the
// box the known critical points were searched on: OutsideBox when its end
// point p is outside cfg.Box, BelowGlobal when its loss is lower than
// every known global minimum. The list of known points is what was found
// on the box, so a run that left the box describes its own end point
// (classified, never global: "global" means the lowest value on the box)
// instead of being named after a known point. Nothing here changes
// cfg.Critical: a run never feeds back into the list.
func judgeEnd(out *Outcome, cfg *Config, p landscape.Vec, loss float64) {
	if !boxGiven(cfg.Box) || !p.IsFinite() || math.IsNaN(loss) || math.IsInf(loss, 0) {
		return
	}
	out.OutsideBox = !cfg.Box.Contains(p)
	lowest, known := math.Inf(1), false
	for _, c := range cfg.Critical {
		if c.Kind == landscape.Minimum && c.Global {
			lowest, known = min(lowest, c.Value), true
		}
	}
	out.BelowGlobal = known && loss < lowest-globalTol*max(1, math.Abs(lowest))
	if out.OutsideBox && out.Reached != nil {
		out.Reached = classify(cfg.Func, nil, p, loss)
	}
}

// boxGiven reports whether d is a box at all: its zero value is not, and
// leaves a run's outcome as it was before boxes were known.
func boxGiven(d landscape.Domain) bool { return d.XMin < d.XMax && d.YMin < d.YMax }
