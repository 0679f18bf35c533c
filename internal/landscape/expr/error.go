package expr

import (
	"strconv"
	"strings"
)

// Error is a parse or compile error meant to be shown to the person who typed
// the expression: what is wrong, where, and a cheap suggestion when there is
// one. Pos counts characters (Unicode code points, not bytes) from 1, like
// the column an editor shows; Pos = length+1 points just past the end.
type Error struct {
	Pos  int    // 1-based character position of the offending token
	Msg  string // what is wrong, e.g. `unknown function "sinn"`
	Src  string // the expression as typed (cut to MaxLength characters)
	Hint string // optional suggestion, e.g. "did you mean sin?"
}

// Error gives the message with its position and hint, e.g.
// `unknown function "sinn" at 5 (did you mean sin?)`.
func (e *Error) Error() string {
	s := e.Msg + " at " + strconv.Itoa(e.Pos)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Caret gives a two-line view for a terminal or a monospace box: the source
// (tabs and line breaks shown as spaces) and a ^ under the position.
func (e *Error) Caret() string {
	var sb strings.Builder
	for _, r := range e.Src {
		if r < ' ' || r == 0x7f {
			r = ' '
		}
		sb.WriteRune(r)
	}
	sb.WriteByte('\n')
	for i := 1; i < e.Pos; i++ {
		sb.WriteByte(' ')
	}
	sb.WriteByte('^')
	return sb.String()
}

// distance is the Levenshtein edit distance between two short ASCII names.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxSuggestDistance is how many edits a suggestion may be away: one for
// short names (so "z" does not become "x"), two from five letters on.
func maxSuggestDistance(name string) int {
	switch {
	case len(name) <= 2:
		return 0
	case len(name) <= 4:
		return 1
	}
	return 2
}

// hintFor suggests a fix for an unknown name; call says whether "(" follows.
func hintFor(name string, call bool) string {
	// "sinx": a function name followed by variables.
	for _, f := range functions {
		if !call && len(name) > len(f.name) && strings.HasPrefix(name, f.name) {
			if _, ok := splitNames(name[len(f.name):]); ok {
				return "did you mean " + f.name + "(" + name[len(f.name):] + ")?"
			}
		}
	}
	// "x2": letters then digits.
	if i := strings.IndexAny(name, "0123456789"); i > 0 && !call {
		if _, ok := splitNames(name[:i]); ok && strings.Trim(name[i:], "0123456789") == "" {
			return "write " + name[:i] + "*" + name[i:] + " for a product"
		}
	}
	best, bestD := "", maxSuggestDistance(name)+1
	if call {
		for _, f := range functions {
			if d := distance(name, f.name); d < bestD {
				best, bestD = f.name, d
			}
		}
	} else {
		for _, v := range []string{"pi"} {
			if d := distance(name, v); d < bestD {
				best, bestD = v, d
			}
		}
	}
	if best != "" {
		return "did you mean " + best + "?"
	}
	if !call {
		return "the variables are x and y"
	}
	return ""
}
