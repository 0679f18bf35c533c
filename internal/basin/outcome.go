package basin

import (
	"math"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// The fast engines never call optim.Run, so they apply its end-of-run rules
// themselves. These two functions restate optim's (unexported) stop and
// nearestCritical word for word; TestLockStepMatchesRun and its SIMD twin
// compare whole maps with optim.Run, so a change on either side that is not
// mirrored here fails there.

// stopStatus is optim.Run's stopping rule for a new point q with its loss:
// Diverged when a coordinate or the loss is not finite or |x|+|y| exceeds
// optim.DivergenceBound, LeftDomain when only the loss is NaN, and
// NotConverged to go on. keep reports whether Run records q although it
// stops (it crossed the bound at finite values).
func stopStatus(q landscape.Vec, loss float64) (st optim.Status, keep bool) {
	if !q.IsFinite() {
		return optim.Diverged, false
	}
	lossOK := !math.IsNaN(loss) && !math.IsInf(loss, 0)
	if math.Abs(q.X)+math.Abs(q.Y) > optim.DivergenceBound {
		return optim.Diverged, lossOK
	}
	switch {
	case math.IsNaN(loss):
		return optim.LeftDomain, false
	case !lossOK:
		return optim.Diverged, false
	}
	return optim.NotConverged, false
}

// nearestIndex is the index of the element of crit nearest to p within
// ReachTol (a noise-free run's reach radius), later ones winning ties, or
// -1: what optim.Run names as Outcome.Reached when it is a known point.
func nearestIndex(crit []landscape.CriticalPoint, p landscape.Vec) int32 {
	best, bestD := int32(-1), float64(optim.ReachTol)
	for i := range crit {
		dx, dy := p.X-crit[i].At.X, p.Y-crit[i].At.Y
		// Hypot is at least the larger of |dx| and |dy| (it rounds p·√(1+r²)
		// with p that one and the root at least 1), so a point farther than
		// bestD on either axis cannot win: skip the costly call. Presets
		// list hundreds of critical points, and a converged map asks once
		// per cell.
		if math.Abs(dx) > bestD || math.Abs(dy) > bestD {
			continue
		}
		if d := math.Hypot(dx, dy); d <= bestD {
			best, bestD = int32(i), d
		}
	}
	return best
}
