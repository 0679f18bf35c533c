package train

import (
	"math"

	"github.com/basin-dev/basin/internal/optim"
)

// Judge decides how a run that spent its whole budget ended (diverged runs
// are judged by Run itself). Run calls Observe after every recorded step
// with the parameters, the full-data loss and the full-data gradient there
// (not the minibatch's: the question is whether the model is at rest on
// its landscape, not whether one batch is), then Outcome once. A Judge
// belongs to one run.
type Judge interface {
	Observe(step int, params, grad []float64, loss float64)
	// Outcome returns Converged (with the step it came to rest or
	// settled), Wandering (minibatch runs that move between basins) or
	// NotConverged (with Step = steps run). Run fills in Reached when the
	// judge leaves it nil and names no settled point.
	Outcome(steps int) optim.Outcome
}

// RestJudge is the default Judge: a run is at rest at a step when the
// full-data gradient's norm is at most optim.GradTol, and has converged
// when it was at rest at every step of a final stretch, which began at
// Outcome.Step. It is the noise-free rule of runs on functions applied to
// the full-data gradient; minibatch noise can keep the parameters moving
// while the full gradient is tiny, so the step length is not tested.
func RestJudge() Judge { return &restJudge{settled: -1} }

type restJudge struct{ settled int }

func (j *restJudge) Observe(step int, _, grad []float64, _ float64) {
	s := 0.0
	for _, g := range grad {
		s += g * g
	}
	if math.Sqrt(s) <= optim.GradTol {
		if j.settled < 0 {
			j.settled = step
		}
	} else {
		j.settled = -1
	}
}

func (j *restJudge) Outcome(steps int) optim.Outcome {
	if j.settled >= 0 {
		return optim.Outcome{Status: optim.Converged, Step: j.settled}
	}
	return optim.Outcome{Status: optim.NotConverged, Step: steps}
}
