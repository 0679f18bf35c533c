package optim

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
)

// judgeEnd says where a run that spent its budget ended relative to the
// box the known critical points were searched on: OutsideBox when its end
// is outside cfg.Box, BelowGlobal when the loss there is lower than every
// known global minimum. The end is the last point p (with its loss), or,
// for a noisy run that settled, the point it hovers around (Reached), not
// its last noisy step. The list of known points is what was found on the
// box, so "global" means the lowest value on the box: a noise-free run that
// left the box describes its own end point (classified, never global)
// instead of being named after a known point, and no point outside the box
// that a noisy run reached or moved between is called global. Nothing here
// changes cfg.Critical: a run never feeds back into the list.
func judgeEnd(out *Outcome, cfg *Config, p landscape.Vec, loss float64) {
	if !boxGiven(cfg.Box) {
		return
	}
	noisy := cfg.Noise > 0
	if noisy && out.Status == Converged && out.Reached != nil {
		p, loss = out.Reached.At, out.Reached.Value
	}
	if !p.IsFinite() || math.IsNaN(loss) || math.IsInf(loss, 0) {
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
	switch {
	case out.OutsideBox && out.Reached != nil && !noisy:
		out.Reached = classify(cfg.Func, nil, p, loss)
	case out.Reached != nil && out.Reached.Global && !cfg.Box.Contains(out.Reached.At):
		out.Reached = notGlobal(out.Reached)
	}
	for i, c := range out.Between {
		if c != nil && c.Global && !cfg.Box.Contains(c.At) {
			out.Between[i] = notGlobal(c)
		}
	}
}

// notGlobal is a copy of c without the global flag: a point outside the
// box is not the lowest on it. A copy, because c may be an element of
// Config.Critical, which a run never changes.
func notGlobal(c *landscape.CriticalPoint) *landscape.CriticalPoint {
	cp := *c
	cp.Global = false
	return &cp
}

// boxGiven reports whether d is a box at all: its zero value is not, and
// leaves a run's outcome as it was before boxes were known.
func boxGiven(d landscape.Domain) bool { return d.XMin < d.XMax && d.YMin < d.YMax }
