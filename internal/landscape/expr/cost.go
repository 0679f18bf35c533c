package expr

// Cost units: one unit is about one nanosecond of one core of the
// reference machine (docs/BENCHMARKS.md) for one value-and-gradient
// evaluation. The figures are fixed, never measured at run time, so every
// replica prices the same expression the same way and admits the same jobs.
// They are rounded up from BenchmarkValueGrad and BenchmarkVsPreset, so an
// estimate errs on the high side.
const (
	// CostCall is the price of one compiled closure: a call and the
	// dual-number bookkeeping around it.
	CostCall = 2
	// CostBase is the fixed price of an evaluation: the call into
	// ValueGrad and the root's own operation.
	CostBase = 2
)

// opCost is the price of one operation of the folded tree on dual numbers
// (value and both partial derivatives), in cost units. Variables and
// numbers cost nothing: their parent computes them inline. Powers are
// priced by their exponent in cost(): a constant 2 or 3 is a few products,
// any other exponent is math.Pow.
var opCost = [opCount]float64{
	opNeg: 1, opAdd: 1, opSub: 1, opMul: 2, opDiv: 6,
	opSin: 20, opCos: 20, opTan: 25,
	opAsin: 25, opAcos: 25, opAtan: 20, opAtan2: 25,
	opSinh: 25, opCosh: 25, opTanh: 25,
	opExp: 12, opLog: 12, opLog10: 14, opSqrt: 6,
	opAbs: 1, opMin: 1, opMax: 1, opSigmoid: 15,
}

// Prices of powers, which opCost leaves to the exponent.
const (
	costSquare   = 2  // x^2: two products
	costCube     = 3  // x^3
	costPowConst = 60 // x^c for another constant c: two math.Pow
	costPowVar   = 90 // x^y: two math.Pow and a math.Log
)

// treeCost sums the price of every operation of the folded tree n.
func treeCost(n *node) float64 {
	if n.isLeaf() {
		return 0
	}
	c := opCost[n.op]
	if n.op == opPow {
		switch {
		case constExp(n) && n.b.val == 2:
			c = costSquare
		case constExp(n) && n.b.val == 3:
			c = costCube
		case constExp(n):
			c = costPowConst
		default:
			c = costPowVar
		}
	}
	c += treeCost(n.a)
	if n.b != nil {
		c += treeCost(n.b)
	}
	return c
}

// EvalCost is the estimated cost of one evaluation of f's value and
// gradient, in cost units (about a nanosecond of one core of the reference
// machine): CostBase, plus CostCall per compiled closure, plus the price of
// every operation of the constant-folded tree from a fixed table. It
// depends only on the expression, never on timing, so admission decisions
// built on it are the same on every replica. It implements
// landscape.EvalCoster.
func (f *Func) EvalCost() float64 { return f.cost }
