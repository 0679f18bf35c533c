package optim

import "github.com/basin-dev/basin/internal/landscape"

// VecStateVar is one named quantity of a vector optimizer's state, with
// the Name, Label and Kind its 2-D twin's StateVar has. A StateScalar has
// one value; every other kind has one value per parameter.
type VecStateVar struct {
	Name   string
	Label  string
	Kind   StateKind
	Values []float64
}

// VecInspector is implemented by every VecOptimizer NewVec builds, so a
// training step can be shown from inside the optimizer as a step on a
// function is.
type VecInspector interface {
	// StateVec returns the state as it stands after the latest StepVec, in
	// freshly allocated slices: the list, names and formulas of the 2-D
	// twin's State, coordinate by coordinate.
	StateVec() []VecStateVar
}

// vecState builds a vector optimizer's state from its 2-D twin's State:
// load puts coordinates i and j of the vector state into the twin's X and
// Y, so every derived quantity (effective_lr, velocity) comes from the
// formula the 2-D State documents and is tested with. The twin's own
// vectors are not used by StepVec; they are zeroed again afterwards.
func vecState(dim int, twin Inspector, load func(i, j int)) []VecStateVar {
	var out []VecStateVar
	buf := make([]StateVar, 0, MaxStateVars)
	for i := 0; i < dim; i += 2 {
		j := min(i+1, dim-1)
		load(i, j)
		buf = twin.State(buf)
		if out == nil {
			out = make([]VecStateVar, len(buf))
			for k, v := range buf {
				out[k] = VecStateVar{Name: v.Name, Label: v.Label, Kind: v.Kind}
				if v.Kind == StateScalar {
					out[k].Values = []float64{v.Value.X}
				} else {
					out[k].Values = make([]float64, dim)
				}
			}
		}
		for k, v := range buf {
			if v.Kind != StateScalar {
				out[k].Values[i], out[k].Values[j] = v.Value.X, v.Value.Y
			}
		}
	}
	load(-1, -1)
	return out
}

// pair reads coordinates i and j of s as a Vec; i < 0 gives zero.
func pair(s []float64, i, j int) landscape.Vec {
	if i < 0 {
		return landscape.Vec{}
	}
	return landscape.Vec{X: s[i], Y: s[j]}
}

func (o *sgdVec) StateVec() []VecStateVar {
	return vecState(len(o.buf), o.sgd, func(i, j int) { o.sgd.buf = pair(o.buf, i, j) })
}

func (o *rmspropVec) StateVec() []VecStateVar {
	return vecState(len(o.sq), o.rmsprop, func(i, j int) {
		o.rmsprop.sq, o.rmsprop.avg, o.rmsprop.buf = pair(o.sq, i, j), pair(o.avg, i, j), pair(o.buf, i, j)
	})
}

func (o *adagradVec) StateVec() []VecStateVar {
	init := o.adagrad.sum // initial_accumulator_value, which NewVec copied
	return vecState(len(o.sum), o.adagrad, func(i, j int) {
		if i < 0 {
			o.adagrad.sum = init
			return
		}
		o.adagrad.sum = pair(o.sum, i, j)
	})
}

func (o *adamVec) StateVec() []VecStateVar {
	return vecState(len(o.m), o.adam, func(i, j int) {
		o.adam.m, o.adam.v, o.adam.vmax = pair(o.m, i, j), pair(o.v, i, j), pair(o.vmax, i, j)
	})
}

func (o *nadamVec) StateVec() []VecStateVar {
	return vecState(len(o.m), o.nadam, func(i, j int) { o.nadam.m, o.nadam.v = pair(o.m, i, j), pair(o.v, i, j) })
}

func (o *adamaxVec) StateVec() []VecStateVar {
	return vecState(len(o.m), o.adamax, func(i, j int) { o.adamax.m, o.adamax.u = pair(o.m, i, j), pair(o.u, i, j) })
}

func (o *adadeltaVec) StateVec() []VecStateVar {
	return vecState(len(o.v), o.adadelta, func(i, j int) { o.adadelta.v, o.adadelta.a = pair(o.v, i, j), pair(o.a, i, j) })
}

func (o *lionVec) StateVec() []VecStateVar {
	return vecState(len(o.m), o.lion, func(i, j int) { o.lion.m = pair(o.m, i, j) })
}
