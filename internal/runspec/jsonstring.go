package runspec

import "unicode/utf8"

// AppendJSONString appends s as a JSON string, the way the canonical spec
// and every answer write strings. Messages quote user input, so this
// escapes exactly what JSON requires (strconv.Quote would write Go escapes),
// but, unlike encoding/json, leaves <, > and & readable: every answer is
// JSON, never HTML.
func AppendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029': // valid JSON, but not JavaScript source
				b = append(b, `\u202`...)
				b = append(b, hex[r&15])
			default:
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}
