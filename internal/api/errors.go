package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Error is a client mistake with a message that is safe to show: it names the
// field path and the allowed range, so a user can fix the request without
// reading the source. Internal failures never become an Error; they are logged
// and answered with a generic message.
type Error struct {
	// Field is the path of the offending field in the JSON spec, e.g.
	// "optimizers[1].lr"; empty when the whole request is at fault.
	Field string
	// Msg is the full message, including Field when there is one.
	Msg string
	// Pos is the 1-based character (code point) position in an expression,
	// as the expr package counts it, or -1 when not an expression error.
	Pos int
	// Status is the HTTP status to answer with; 0 means 400.
	Status int
}

func (e *Error) Error() string { return e.Msg }

// errorf builds a 400 Error about field.
func errorf(field, format string, args ...any) *Error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...), Pos: -1}
}

// statusError builds an Error about the whole request, answered with
// status: a refusal that names no field (404, 405, 403, 429, 503).
func statusError(status int, msg string) *Error {
	return &Error{Msg: msg, Pos: -1, Status: status}
}

// status returns the HTTP status for err: the Error's own, else 500.
func status(err error) int {
	var e *Error
	if errors.As(err, &e) {
		if e.Status != 0 {
			return e.Status
		}
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// appendErrorJSON appends the error object shared by REST answers and
// websocket error messages: "error", and "field" and "pos" when known.
// Errors that are not *Error are internal and are written as a generic
// message; the caller logs the detail.
func appendErrorJSON(b []byte, err error) []byte {
	var e *Error
	if !errors.As(err, &e) {
		return append(b, `"error":"internal error"`...)
	}
	b = append(b, `"error":`...)
	b = appendJSONString(b, e.Msg)
	if e.Field != "" {
		b = append(b, `,"field":`...)
		b = appendJSONString(b, e.Field)
	}
	if e.Pos >= 0 {
		b = append(b, `,"pos":`...)
		b = strconv.AppendInt(b, int64(e.Pos), 10)
	}
	return b
}

// appendJSONString appends s as a JSON string. Messages quote user input,
// so this escapes exactly what JSON requires (strconv.Quote would write Go
// escapes), but, unlike encoding/json, leaves <, > and & readable: every
// response is application/json, never HTML.
func appendJSONString(b []byte, s string) []byte {
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
