package expr

import (
	"strconv"
	"strings"
	"unicode"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokNum
	tokName
	tokPlus
	tokMinus
	tokStar
	tokSlash
	tokPow // ^ or **
	tokLParen
	tokRParen
	tokComma
)

// token is one lexical token. Names are lower-cased; pos is the 1-based
// character column of the token's first character.
type token struct {
	kind tokKind
	text string // as typed (lower-cased for names)
	val  float64
	pos  int
}

// unicodeOps maps the typographic operators people paste from documents to
// their ASCII meaning.
var unicodeOps = map[rune]tokKind{
	'−': tokMinus, '×': tokStar, '·': tokStar, '⋅': tokStar, '÷': tokSlash,
}

// lex splits src into tokens. It is a single pass; src is at most MaxLength
// characters, checked by the caller.
func lex(src string) ([]token, *Error) {
	rs := []rune(src)
	toks := make([]token, 0, len(rs)+1)
	errAt := func(i int, msg, hint string) *Error {
		return &Error{Pos: i + 1, Msg: msg, Src: src, Hint: hint}
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r >= '0' && r <= '9' || r == '.':
			j, t, err := lexNumber(rs, i, src)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = j
		case isLetter(r):
			j := i
			for j < len(rs) && (isLetter(rs[j]) || rs[j] >= '0' && rs[j] <= '9') {
				j++
			}
			name := strings.ToLower(string(rs[i:j]))
			toks = appendName(toks, name, i)
			i = j
		case r == 'π':
			toks = append(toks, token{kind: tokName, text: "pi", pos: i + 1})
			i++
		case r == '*' && i+1 < len(rs) && rs[i+1] == '*':
			toks = append(toks, token{kind: tokPow, text: "**", pos: i + 1})
			i += 2
		default:
			k, ok := punct(r)
			if !ok {
				hint := ""
				switch r {
				case '²':
					hint = "write ^2"
				case '³':
					hint = "write ^3"
				}
				return nil, errAt(i, "unexpected character "+strconv.QuoteRune(r), hint)
			}
			toks = append(toks, token{kind: k, text: string(r), pos: i + 1})
			i++
		}
	}
	toks = append(toks, token{kind: tokEOF, pos: len(rs) + 1})
	return toks, nil
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func punct(r rune) (tokKind, bool) {
	switch r {
	case '+':
		return tokPlus, true
	case '-':
		return tokMinus, true
	case '*':
		return tokStar, true
	case '/':
		return tokSlash, true
	case '^':
		return tokPow, true
	case '(':
		return tokLParen, true
	case ')':
		return tokRParen, true
	case ',':
		return tokComma, true
	}
	k, ok := unicodeOps[r]
	return k, ok
}

// lexNumber reads digits, an optional fraction and an optional exponent
// starting at rs[i]. The exponent is taken only when digits follow the e (or
// e+ / e-), so "2e" is 2 times e and "2e-x" is 2e - x.
func lexNumber(rs []rune, i int, src string) (int, token, *Error) {
	start := i
	digits := func() int {
		n := 0
		for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
			i++
			n++
		}
		return n
	}
	n := digits()
	if i < len(rs) && rs[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return 0, token{}, &Error{Pos: start + 1, Msg: `unexpected "."`, Src: src}
	}
	if i < len(rs) && (rs[i] == 'e' || rs[i] == 'E') {
		j := i + 1
		if j < len(rs) && (rs[j] == '+' || rs[j] == '-') {
			j++
		}
		if j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
			i = j
			digits()
		}
	}
	text := string(rs[start:i])
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, token{}, &Error{Pos: start + 1, Msg: "number " + text + " is too large", Src: src,
			Hint: "the largest is about 1.8e308"}
	}
	if v == 0 && strings.ContainsAny(mantissa(text), "123456789") {
		return 0, token{}, &Error{Pos: start + 1, Msg: "number " + text + " is too small", Src: src,
			Hint: "it would round to 0; the smallest is about 5e-324"}
	}
	return i, token{kind: tokNum, text: text, val: v, pos: start + 1}, nil
}

func mantissa(text string) string {
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		return text[:i]
	}
	return text
}

// appendName appends the tokens for one run of letters and digits starting
// at rune index i. A known name is one token. A run of letters that is not a
// known name but splits into x, y, e and pi ("xy", "pix") becomes one token
// per part, multiplied implicitly by the parser. Anything else stays one
// unknown name for the parser to report.
func appendName(toks []token, name string, i int) []token {
	if isKnownName(name) {
		return append(toks, token{kind: tokName, text: name, pos: i + 1})
	}
	parts, ok := splitNames(name)
	if !ok {
		return append(toks, token{kind: tokName, text: name, pos: i + 1})
	}
	for _, p := range parts {
		toks = append(toks, token{kind: tokName, text: p, pos: i + 1})
		i += len(p)
	}
	return toks
}

func isKnownName(name string) bool {
	switch name {
	case "x", "y", "e", "pi":
		return true
	}
	_, ok := lookupFunc(name)
	return ok
}

// splitNames splits a run of letters into the variables and constants x, y,
// e and pi, or reports that it cannot. The split is unique because no name
// is a prefix of another.
func splitNames(s string) ([]string, bool) {
	var parts []string
	for len(s) > 0 {
		switch {
		case s[0] == 'x' || s[0] == 'y' || s[0] == 'e':
			parts = append(parts, s[:1])
			s = s[1:]
		case strings.HasPrefix(s, "pi"):
			parts = append(parts, "pi")
			s = s[2:]
		default:
			return nil, false
		}
	}
	return parts, len(parts) > 0
}
