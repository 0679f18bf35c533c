package runspec

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// A minimal scanner over JSON already checked by json.Valid. Decoding a spec
// field by field with it keeps document order, sees duplicate names and
// costs a few microseconds, where json.Decoder's Token API cost about 20 µs
// per spec (a fifth of a slider-drag request's server time). It never
// validates: callers run json.Valid on the whole document first. The
// websocket's message decoder (internal/api) reads messages with it too.

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	i = min(i, len(b))
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// valueEnd returns the index just after the value starting at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(b) && !isSpace(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' {
		i++
	}
	return i
}

// stringEnd returns the index just after the string starting at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return min(i, len(b))
}

// ObjectMembers splits a valid JSON object into its members in order; ok is
// false when raw is not an object.
func ObjectMembers(raw []byte) (ms []Member, ok bool) {
	i := skipSpace(raw, 0)
	if i == len(raw) || raw[i] != '{' {
		return nil, false
	}
	i = skipSpace(raw, i+1)
	for i < len(raw) && raw[i] != '}' {
		end := stringEnd(raw, i)
		if raw[i] != '"' || end-i < 2 {
			return nil, false // not valid JSON: callers check first
		}
		name := Unquote(raw[i:end])
		i = skipSpace(raw, end)
		i = skipSpace(raw, i+1) // past ':'
		end = valueEnd(raw, i)
		if end == i {
			return nil, false
		}
		ms = append(ms, Member{name, raw[i:end]})
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return ms, true
}

// arrayItems splits a valid JSON array into its items; ok is false when raw
// is not an array.
func arrayItems(raw []byte) (items []json.RawMessage, ok bool) {
	i := skipSpace(raw, 0)
	if i == len(raw) || raw[i] != '[' {
		return nil, false
	}
	i = skipSpace(raw, i+1)
	for i < len(raw) && raw[i] != ']' {
		end := valueEnd(raw, i)
		if end == i {
			return nil, false
		}
		items = append(items, raw[i:end])
		i = skipSpace(raw, end)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return items, true
}

// Unquote decodes a valid JSON string literal; like encoding/json it turns
// invalid UTF-8 into U+FFFD.
func Unquote(lit []byte) string {
	plain := true
	for _, c := range lit[1 : len(lit)-1] {
		if c == '\\' {
			plain = false
			break
		}
	}
	if plain && utf8.Valid(lit) {
		return string(lit[1 : len(lit)-1])
	}
	if lit[len(lit)-1] != '"' {
		return ""
	}
	var s string
	json.Unmarshal(lit, &s) // valid by the caller's json.Valid
	return s
}

// jsonNumber parses a valid JSON value as a finite float64; ok is false
// when it is not a number or out of float64's range.
func jsonNumber(raw []byte) (float64, bool) {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	return v, err == nil
}
