package expr

import (
	"math"
	"strconv"
	"strings"
)

// op is the kind of an AST node. Functions are ops too, so a call is a node
// with one or two children like an operator.
type op uint8

const (
	opNum op = iota
	opX
	opY
	opPi
	opE
	opNeg
	opAdd
	opSub
	opMul
	opDiv
	opPow
	// functions of one argument
	opSin
	opCos
	opTan
	opAsin
	opAcos
	opAtan
	opSinh
	opCosh
	opTanh
	opExp
	opLog
	opLog10
	opSqrt
	opAbs
	opSigmoid
	// functions of two arguments
	opAtan2
	opMin
	opMax
	opCount
)

// fnInfo describes one callable name.
type fnInfo struct {
	name  string
	arity int
	op    op
}

// functions lists every callable name in the order suggestions prefer them.
// pow is an alias of ^ and ln of log: they parse to the same node, so the
// canonical form prints ^ and log.
var functions = []fnInfo{
	{"sin", 1, opSin}, {"cos", 1, opCos}, {"tan", 1, opTan},
	{"asin", 1, opAsin}, {"acos", 1, opAcos}, {"atan", 1, opAtan}, {"atan2", 2, opAtan2},
	{"sinh", 1, opSinh}, {"cosh", 1, opCosh}, {"tanh", 1, opTanh},
	{"exp", 1, opExp}, {"log", 1, opLog}, {"ln", 1, opLog}, {"log10", 1, opLog10},
	{"sqrt", 1, opSqrt}, {"abs", 1, opAbs}, {"min", 2, opMin}, {"max", 2, opMax},
	{"pow", 2, opPow}, {"sigmoid", 1, opSigmoid},
}

// lookupFunc finds a function by its lower-case name.
func lookupFunc(name string) (fnInfo, bool) {
	for _, f := range functions {
		if f.name == name {
			return f, true
		}
	}
	return fnInfo{}, false
}

// opName is the canonical printed name of a function op.
func opName(o op) string {
	for _, f := range functions {
		if f.op == o && f.name != "ln" && f.name != "pow" {
			return f.name
		}
	}
	return "?"
}

// node is one AST node. Leaves (numbers, x, y, pi, e) have no children;
// unary nodes use a; binary nodes use a and b.
type node struct {
	op   op
	val  float64 // for opNum
	a, b *node
	pos  int // 1-based rune column of the token that made the node
}

func (n *node) isLeaf() bool { return n.op <= opE }

func (n *node) arity() int {
	switch {
	case n.isLeaf():
		return 0
	case n.op == opNeg || (n.op >= opSin && n.op <= opSigmoid):
		return 1
	}
	return 2
}

// equal compares two trees by structure and by the exact bits of their
// numbers; positions are ignored.
func equal(p, q *node) bool {
	if p == nil || q == nil {
		return p == q
	}
	if p.op != q.op {
		return false
	}
	if p.op == opNum && math.Float64bits(p.val) != math.Float64bits(q.val) {
		return false
	}
	return equal(p.a, q.a) && equal(p.b, q.b)
}

// Printing precedence: higher binds tighter.
const (
	precSum   = 1
	precProd  = 2
	precUnary = 3
	precPow   = 4
	precAtom  = 5
)

func prec(n *node) int {
	switch n.op {
	case opAdd, opSub:
		return precSum
	case opMul, opDiv:
		return precProd
	case opNeg:
		return precUnary
	case opPow:
		return precPow
	}
	return precAtom
}

// write prints n in canonical form: explicit operators, parentheses only
// where the grammar needs them, so that the text re-parses to the same tree.
func write(sb *strings.Builder, n *node) {
	paren := func(c *node, need bool) {
		if need {
			sb.WriteByte('(')
			write(sb, c)
			sb.WriteByte(')')
			return
		}
		write(sb, c)
	}
	switch n.op {
	case opNum:
		sb.WriteString(strconv.FormatFloat(n.val, 'g', -1, 64))
	case opX:
		sb.WriteByte('x')
	case opY:
		sb.WriteByte('y')
	case opPi:
		sb.WriteString("pi")
	case opE:
		sb.WriteByte('e')
	case opNeg:
		sb.WriteByte('-')
		paren(n.a, prec(n.a) < precUnary)
	case opAdd, opSub:
		paren(n.a, false)
		if n.op == opAdd {
			sb.WriteString(" + ")
		} else {
			sb.WriteString(" - ")
		}
		paren(n.b, prec(n.b) <= precSum)
	case opMul, opDiv:
		paren(n.a, prec(n.a) < precProd)
		if n.op == opMul {
			sb.WriteByte('*')
		} else {
			sb.WriteByte('/')
		}
		paren(n.b, prec(n.b) <= precProd)
	case opPow:
		paren(n.a, prec(n.a) <= precPow)
		sb.WriteByte('^')
		paren(n.b, prec(n.b) < precUnary)
	default:
		sb.WriteString(opName(n.op))
		sb.WriteByte('(')
		write(sb, n.a)
		if n.b != nil {
			sb.WriteString(", ")
			write(sb, n.b)
		}
		sb.WriteByte(')')
	}
}
