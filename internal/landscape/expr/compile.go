package expr

import (
	"math"
	"strconv"

	"github.com/basin-dev/basin/internal/landscape"
)

// code is one instruction's operation. The machine has an accumulator A (a
// dual number) and a small stack; leaves (x, y, constants) are operands of
// instructions rather than pushed values, which keeps the list short.
type code uint8

const (
	iLoadX code = iota
	iLoadY
	iLoadC
	iLinX // A = k*x + c, the fused form of x+c, c-x, k*x+c
	iLinY
	iAxpyP // A = pop + k*A, the fused form of mulC then addP
	iPush
	iNeg
	iSq
	iCube
	iPowC
	// one-argument functions, in op order from opSin
	iSin
	iCos
	iTan
	iAsin
	iAcos
	iAtan
	iSinh
	iCosh
	iTanh
	iExp
	iLog
	iLog10
	iSqrt
	iAbs
	iSigmoid
	// A = A op operand, operand x, y, constant or popped
	iAddX
	iAddY
	iAddC
	iAddP
	iSubX
	iSubY
	iSubC
	iSubP
	iRsubX // A = x - A
	iRsubY
	iRsubC
	iRsubP
	iMulX
	iMulY
	iMulC
	iMulP
	iDivX
	iDivY
	iDivC
	iDivP
	iRdivX // A = x / A
	iRdivY
	iRdivC
	iRdivP
	// the remaining two-argument operations, decoded from instr.fn,
	// instr.mode and instr.rev
	iBin
)

// operand modes, in the order the specialised codes use them
const (
	modeX = iota
	modeY
	modeC
	modeP
)

// instr is one instruction; k is the constant operand or exponent.
type instr struct {
	code code
	fn   op    // for iBin
	mode uint8 // for iBin
	rev  bool  // for iBin: A = fn(operand, A) instead of fn(A, operand)
	push bool  // on loads: push A before loading (a fused iPush)
	sq   bool  // square A after the operation (a fused iSq)
	k    float64
	c    float64 // for iLinX, iLinY
}

// Stack sizes the evaluator can use. Evaluation order follows Sethi–Ullman
// numbering, so the stack needed grows with log2 of the tree size: a tree of
// MaxNodes nodes needs at most 10 slots.
const (
	smallStack = 4
	largeStack = 16
)

// Func is a compiled expression. It implements landscape.Function: Value
// and ValueGrad allocate nothing and keep all scratch on the caller's
// goroutine stack, so one Func is safe for concurrent use.
type Func struct {
	prog  []instr
	stack int // slots needed
	expr  *Expr
}

var _ landscape.Function = (*Func)(nil)

// Compile parses and compiles src in one step.
func Compile(src string) (*Func, error) {
	e, err := parse(src)
	if err != nil {
		return nil, err
	}
	return e.Compile()
}

// Compile folds constant sub-expressions and emits the instruction list.
func (e *Expr) Compile() (*Func, error) {
	root := fold(e.root)
	f := &Func{expr: e, stack: setNeed(root)}
	if f.stack > largeStack {
		// Unreachable within MaxNodes; kept so a future limit change fails
		// loudly instead of indexing past the stack.
		return nil, &Error{Pos: 1, Msg: "expression too complex", Src: e.String(),
			Hint: "needs " + strconv.Itoa(f.stack) + " stack slots"}
	}
	f.prog = fuse(emit(nil, root))
	return f, nil
}

// String gives the canonical form of the source expression.
func (f *Func) String() string { return f.expr.String() }

// fold returns a copy of n with every sub-tree that does not depend on x or
// y replaced by its value, computed with the same arithmetic as at run time.
// It does no algebra (0*x stays, as it is NaN when x is), so folding never
// changes a result.
func fold(n *node) *node {
	switch n.op {
	case opPi:
		return &node{op: opNum, val: math.Pi, pos: n.pos}
	case opE:
		return &node{op: opNum, val: math.E, pos: n.pos}
	}
	if n.isLeaf() {
		return n
	}
	c := *n
	c.a = fold(n.a)
	if n.b != nil {
		c.b = fold(n.b)
	}
	if c.a.op == opNum && (c.b == nil || c.b.op == opNum) {
		var b dual
		if c.b != nil {
			b = dual{v: c.b.val}
		}
		return &node{op: opNum, val: apply(c.op, dual{v: c.a.val}, b).v, pos: n.pos}
	}
	return &c
}

// isOperand reports whether n can be an instruction operand (after folding
// the leaves are x, y and numbers).
func isOperand(n *node) bool { return n.op == opX || n.op == opY || n.op == opNum }

// constExp reports whether n is x^k or similar with a constant exponent,
// compiled as a one-operand power.
func constExp(n *node) bool { return n.op == opPow && n.b.op == opNum }

// setNeed records in every interior node of a folded tree the number of
// stack slots evaluating it takes, bottom-up, so emit reads it in constant
// time. Leaves need none and are left alone: they are shared with the
// parsed tree, which compiling must not write.
func setNeed(n *node) int {
	if isOperand(n) {
		return 0
	}
	l := setNeed(n.a)
	r := 0
	if n.b != nil {
		r = setNeed(n.b)
	}
	switch {
	case n.b == nil || constExp(n) || isOperand(n.b):
		n.need = l
	case isOperand(n.a):
		n.need = r
	case l == r:
		n.need = l + 1
	default:
		n.need = max(l, r)
	}
	return n.need
}

func modeOf(n *node) (uint8, float64) {
	switch n.op {
	case opX:
		return modeX, 0
	case opY:
		return modeY, 0
	}
	return modeC, n.val
}

// emit appends the instructions that leave n's value in the accumulator.
func emit(prog []instr, n *node) []instr {
	switch n.op {
	case opX:
		return append(prog, instr{code: iLoadX})
	case opY:
		return append(prog, instr{code: iLoadY})
	case opNum:
		return append(prog, instr{code: iLoadC, k: n.val})
	case opNeg:
		return append(emit(prog, n.a), instr{code: iNeg})
	}
	if n.b == nil {
		return append(emit(prog, n.a), instr{code: iSin + code(n.op-opSin)})
	}
	if constExp(n) {
		prog = emit(prog, n.a)
		switch k := n.b.val; k {
		case 2:
			return append(prog, instr{code: iSq})
		case 3:
			return append(prog, instr{code: iCube})
		default:
			return append(prog, instr{code: iPowC, k: k})
		}
	}
	// Choose which side goes to the accumulator first. An operand side is
	// never evaluated on its own; otherwise the side needing more stack goes
	// first (Sethi–Ullman), the other is computed with it pushed.
	var first, second *node
	rev := false // true when the operand (second value) is the left argument
	switch {
	case isOperand(n.b) && !(n.a.op == opNum && n.b.op != opNum):
		first, second = n.a, n.b
	case isOperand(n.b):
		// c op x: load x and apply the reversed op with c, which fuse
		// turns into one instruction for + and -.
		first, second, rev = n.b, n.a, true
	case isOperand(n.a):
		first, second, rev = n.b, n.a, true
	case n.b.need > n.a.need:
		prog = emit(prog, n.b)
		prog = append(prog, instr{code: iPush})
		return append(emit(prog, n.a), binary(n.op, modeP, false, 0))
	default:
		prog = emit(prog, n.a)
		prog = append(prog, instr{code: iPush})
		return append(emit(prog, n.b), binary(n.op, modeP, true, 0))
	}
	prog = emit(prog, first)
	mode, k := modeOf(second)
	return append(prog, binary(n.op, mode, rev, k))
}

// binary chooses the instruction for A = o(A, operand), or o(operand, A)
// when rev is set.
func binary(o op, mode uint8, rev bool, k float64) instr {
	m := code(mode)
	switch o {
	case opAdd:
		return instr{code: iAddX + m, k: k}
	case opMul:
		return instr{code: iMulX + m, k: k}
	case opSub:
		if rev {
			return instr{code: iRsubX + m, k: k}
		}
		return instr{code: iSubX + m, k: k}
	case opDiv:
		if rev {
			return instr{code: iRdivX + m, k: k}
		}
		return instr{code: iDivX + m, k: k}
	}
	return instr{code: iBin, fn: o, mode: mode, rev: rev, k: k}
}

// fuse merges common instruction pairs into one, because dispatch, not
// arithmetic, is most of an instruction's cost. Every fusion performs the
// same floating-point operations in the same order as the pair it replaces
// (c - x is computed as -x + c, which IEEE arithmetic rounds identically), so
// results do not change.
func fuse(prog []instr) []instr {
	out := prog[:0]
	for _, in := range prog {
		if len(out) == 0 {
			out = append(out, in)
			continue
		}
		last := &out[len(out)-1]
		isLoad := func(c code) bool { return c == iLoadX || c == iLoadY }
		switch {
		case last.code == iPush && isLeafStart(in.code):
			in.push = true
			*last = in
			continue
		case in.code == iSq && !last.sq && last.code != iPush:
			last.sq = true
			continue
		case isLoad(last.code) && !last.sq && (in.code == iAddC || in.code == iSubC || in.code == iRsubC):
			k, c := 1.0, in.k
			switch in.code {
			case iSubC:
				c = -in.k
			case iRsubC:
				k = -1
			}
			last.code = iLinX + (last.code - iLoadX)
			last.k, last.c = k, c
			continue
		case last.code == iMulC && !last.sq && len(out) >= 2 && isLoad(out[len(out)-2].code) &&
			!out[len(out)-2].sq && (in.code == iAddC || in.code == iSubC || in.code == iRsubC):
			// load, mulC k, addC c: k*x + c
			k, c := last.k, in.k
			switch in.code {
			case iSubC:
				c = -in.k
			case iRsubC:
				k = -k
			}
			out = out[:len(out)-1]
			load := &out[len(out)-1]
			load.code = iLinX + (load.code - iLoadX)
			load.k, load.c = k, c
			continue
		case last.code == iMulC && !last.sq && in.code == iAddP:
			last.code = iAxpyP
			continue
		}
		out = append(out, in)
	}
	return out
}

// isLeafStart reports whether an instruction starts a new value without
// reading A, so a preceding push can be fused into it.
func isLeafStart(c code) bool {
	return c == iLoadX || c == iLoadY || c == iLoadC || c == iLinX || c == iLinY
}
