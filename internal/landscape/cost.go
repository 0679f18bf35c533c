package landscape

// EvalCoster is the optional ability of a Function to price one evaluation
// of its value and gradient, in cost units: about one nanosecond of one core
// of the reference machine (docs/BENCHMARKS.md). The price is a fixed
// estimate, never a timing, so that every replica prices, and so admits,
// the same work. Compiled expressions (expr.Func) and every preset
// implement it.
type EvalCoster interface {
	EvalCost() float64
}

// UnknownEvalCost is the price CostOf gives a Function that does not
// implement EvalCoster: as much as a long typed expression, so that an
// unpriced function is never admitted more cheaply than it may cost.
const UnknownEvalCost = 2000

// CostOf returns f's price per evaluation of value and gradient, in cost
// units (see EvalCoster).
func CostOf(f Function) float64 {
	if c, ok := f.(EvalCoster); ok {
		return c.EvalCost()
	}
	return UnknownEvalCost
}

// The presets' prices are those of their Formula compiled as an expression
// (TestPresetCostsMatchFormulas keeps them equal): the same table prices
// both, and since a hand-written preset evaluates 1.5–3 times faster than
// its typed form (docs/BENCHMARKS.md), the estimate errs on the high side.

func (Quadratic) EvalCost() float64      { return 13 }
func (Elliptic) EvalCost() float64       { return 17 }
func (Rosenbrock) EvalCost() float64     { return 15 }
func (Himmelblau) EvalCost() float64     { return 19 }
func (DoubleWell) EvalCost() float64     { return 83 }
func (Rastrigin) EvalCost() float64      { return 78 }
func (Ackley) EvalCost() float64         { return 125 }
func (Beale) EvalCost() float64          { return 45 }
func (Booth) EvalCost() float64          { return 19 }
func (Matyas) EvalCost() float64         { return 20 }
func (GoldsteinPrice) EvalCost() float64 { return 105 }
func (SixHumpCamel) EvalCost() float64   { return 115 }
func (ThreeHumpCamel) EvalCost() float64 { return 164 }
func (StyblinskiTang) EvalCost() float64 { return 165 }
func (Levy13) EvalCost() float64         { return 116 }
func (McCormick) EvalCost() float64      { return 48 }
func (SaddleFunc) EvalCost() float64     { return 9 }
