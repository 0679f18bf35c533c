// Package expr is Basin's expression language: the custom 2D functions people
// type, such as "(1-x)^2 + 100(y-x^2)^2". Parse turns text into a checked
// syntax tree or an *Error that points at the mistake; Compile turns it into a
// landscape.Function that evaluates a tree of closures with forward-mode
// automatic differentiation, so gradients are exact and evaluation neither
// allocates nor shares mutable state.
//
// The language, its ambiguous forms and its limits are documented in
// docs/EXPRESSIONS.md.
package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on what a person may type. They bound parse time and the depth of
// recursion in parsing, compiling and evaluating (a closure per node), so
// nothing typed can exhaust the server.
const (
	// MaxLength is the longest expression accepted, in characters.
	MaxLength = 500
	// MaxDepth bounds nesting: parentheses, function calls, unary signs and
	// exponents each take a level. It bounds the parser's recursion.
	MaxDepth = 64
	// MaxNodes bounds the size of the syntax tree (numbers, names,
	// operators and calls, including implicit multiplications). It is below
	// 2*MaxLength so that it binds: "xyxy…" makes two nodes per character.
	MaxNodes = 600
)

// Expr is a parsed expression: a syntax tree that is known to be well formed
// and within the limits.
type Expr struct {
	root *node
}

// String gives the canonical form: explicit operators, lower-case names,
// parentheses only where needed. It parses back to an equal Expr, within
// MaxLength: the canonical form can be longer than the text typed, so keep
// the typed text (not String) where it must be parsed again, as permalinks do.
func (e *Expr) String() string {
	var sb strings.Builder
	write(&sb, e.root)
	return sb.String()
}

// Equal reports whether two expressions have the same tree (numbers compared
// bit for bit), however they were written.
func (e *Expr) Equal(f *Expr) bool { return equal(e.root, f.root) }

// Parse checks src and builds its syntax tree. Errors are *Error values with
// a position.
func Parse(src string) (*Expr, error) {
	e, err := parse(src)
	if err != nil {
		return nil, err
	}
	return e, nil
}

// parse is Parse with the concrete error type, so callers inside the package
// avoid the nil-interface trap.
func parse(src string) (*Expr, *Error) { return parseLimit(src, MaxLength) }

// parseLimit parses with a given length limit. The canonical form of an
// expression can be longer than what was typed (explicit *, spaces, numbers
// written out), while its depth and node count are the same or smaller; tests
// re-parse it with a larger limit.
func parseLimit(src string, maxLength int) (*Expr, *Error) {
	if !utf8.ValidString(src) {
		i := 0
		for _, r := range src {
			if r == utf8.RuneError {
				break
			}
			i++
		}
		return nil, &Error{Pos: i + 1, Msg: "invalid UTF-8 text", Src: strings.ToValidUTF8(src, "\uFFFD")}
	}
	if n := utf8.RuneCountInString(src); n > maxLength {
		cut, k := src, 0
		for i := range src {
			if k == maxLength {
				cut = src[:i]
				break
			}
			k++
		}
		return nil, &Error{Pos: maxLength + 1, Src: cut,
			Msg: "expression too long: " + strconv.Itoa(n) + " characters, at most " + strconv.Itoa(maxLength)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tokEOF {
		return nil, &Error{Pos: 1, Msg: "empty expression", Src: src, Hint: "try x^2 + y^2"}
	}
	p := &parser{toks: toks, src: src}
	root, err := p.sum()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.unexpected(t)
	}
	return &Expr{root: root}, nil
}

// parser is a recursive-descent parser over the token slice. The grammar:
//
//	sum     = product { ("+" | "-") product }
//	product = unary { ("*" | "/") unary | power }   // juxtaposition multiplies
//	unary   = ("-" | "+") unary | power
//	power   = primary [ ("^" | "**") unary ]        // right-associative
//	primary = number | name | name "(" args ")" | "(" sum ")"
//
// An implicit product needs its right factor to start with a name or "(";
// a number there is an error, so "x 2" and "x2" are rejected, not guessed.
type parser struct {
	toks  []token
	i     int
	src   string
	depth int
	nodes int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(pos int, msg, hint string) *Error {
	return &Error{Pos: pos, Msg: msg, Src: p.src, Hint: hint}
}

// unexpected reports a token that cannot stand where it is.
func (p *parser) unexpected(t token) *Error {
	switch t.kind {
	case tokEOF:
		return p.errAt(t.pos, "unexpected end of expression", "")
	case tokRParen:
		return p.errAt(t.pos, `unexpected ")"`, "")
	case tokNum:
		return p.errAt(t.pos, "missing operator before "+t.text, "")
	case tokName:
		return p.errAt(t.pos, "missing operator before "+t.text, "")
	case tokComma:
		return p.errAt(t.pos, `unexpected ","`, "commas separate the arguments of min, max, atan2 and pow")
	}
	return p.errAt(t.pos, strconv.Quote(t.text)+" needs a value before it", "")
}

func (p *parser) newNode(o op, pos int, a, b *node) (*node, *Error) {
	p.nodes++
	if p.nodes > MaxNodes {
		return nil, p.errAt(pos, "expression too large", "at most "+strconv.Itoa(MaxNodes)+" numbers, names and operations")
	}
	return &node{op: o, pos: pos, a: a, b: b}, nil
}

func (p *parser) sum() (*node, *Error) {
	l, err := p.product()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tokPlus && t.kind != tokMinus {
			return l, nil
		}
		p.next()
		r, err := p.product()
		if err != nil {
			return nil, err
		}
		o := opAdd
		if t.kind == tokMinus {
			o = opSub
		}
		if l, err = p.newNode(o, t.pos, l, r); err != nil {
			return nil, err
		}
	}
}

func (p *parser) product() (*node, *Error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		var r *node
		o := opMul
		switch t.kind {
		case tokStar, tokSlash:
			p.next()
			if r, err = p.unary(); err != nil {
				return nil, err
			}
			if t.kind == tokSlash {
				o = opDiv
			}
		case tokName, tokLParen:
			if r, err = p.power(); err != nil {
				return nil, err
			}
		case tokNum:
			return nil, p.errAt(t.pos, "missing operator before "+t.text, "a number must come first in a product: write 2x or x*2")
		default:
			return l, nil
		}
		if l, err = p.newNode(o, t.pos, l, r); err != nil {
			return nil, err
		}
	}
}

func (p *parser) unary() (*node, *Error) {
	p.depth++
	defer func() { p.depth-- }()
	t := p.peek()
	if p.depth > MaxDepth {
		return nil, p.errAt(t.pos, "expression nested too deeply", "at most "+strconv.Itoa(MaxDepth)+" levels")
	}
	if t.kind == tokMinus || t.kind == tokPlus {
		p.next()
		a, err := p.unary()
		if err != nil {
			return nil, err
		}
		if t.kind == tokPlus {
			return a, nil
		}
		return p.newNode(opNeg, t.pos, a, nil)
	}
	return p.power()
}

func (p *parser) power() (*node, *Error) {
	base, err := p.primary()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tokPow {
		return base, nil
	}
	p.next()
	exp, err := p.unary()
	if err != nil {
		return nil, err
	}
	return p.newNode(opPow, t.pos, base, exp)
}

func (p *parser) primary() (*node, *Error) {
	t := p.next()
	switch t.kind {
	case tokNum:
		n, err := p.newNode(opNum, t.pos, nil, nil)
		if err != nil {
			return nil, err
		}
		n.val = t.val
		return n, nil
	case tokLParen:
		inner, err := p.sum()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tokRParen {
			return nil, p.missingParen(c, t)
		}
		p.next()
		return inner, nil
	case tokName:
		return p.name(t)
	}
	p.i-- // point at the token, not past it
	if t.kind == tokEOF {
		p.i++
	}
	return nil, p.unexpected(t)
}

func (p *parser) missingParen(at, open token) *Error {
	if at.kind == tokEOF || at.kind == tokRParen || at.kind == tokComma {
		return p.errAt(at.pos, `missing ")"`, `to close "(" at `+strconv.Itoa(open.pos))
	}
	return p.unexpected(at)
}

func (p *parser) name(t token) (*node, *Error) {
	switch t.text {
	case "x":
		return p.newNode(opX, t.pos, nil, nil)
	case "y":
		return p.newNode(opY, t.pos, nil, nil)
	case "pi":
		return p.newNode(opPi, t.pos, nil, nil)
	case "e":
		return p.newNode(opE, t.pos, nil, nil)
	}
	call := p.peek().kind == tokLParen
	f, ok := lookupFunc(t.text)
	if !ok {
		if call {
			return nil, p.errAt(t.pos, "unknown function "+strconv.Quote(t.text), hintFor(t.text, true))
		}
		return nil, p.errAt(t.pos, "unknown variable "+strconv.Quote(t.text), hintFor(t.text, false))
	}
	if !call {
		return nil, p.errAt(p.peek().pos, `missing "(" after `+t.text, "write "+t.text+"(x)")
	}
	open := p.next()
	var args [2]*node
	n := 0
	for {
		if n == 0 && p.peek().kind == tokRParen {
			break // f() is reported as an arity error below
		}
		a, err := p.sum()
		if err != nil {
			return nil, err
		}
		if n < len(args) {
			args[n] = a
		}
		n++
		c := p.peek()
		if c.kind == tokComma {
			p.next()
			continue
		}
		if c.kind != tokRParen {
			return nil, p.missingParen(c, open)
		}
		break
	}
	p.next()
	if n != f.arity {
		plural := "s"
		if f.arity == 1 {
			plural = ""
		}
		return nil, p.errAt(t.pos, t.text+" takes "+strconv.Itoa(f.arity)+" argument"+plural+", got "+strconv.Itoa(n), "")
	}
	return p.newNode(f.op, t.pos, args[0], args[1])
}
