package runspec

import "fmt"

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
}

func (e *Error) Error() string { return e.Msg }

// Errorf builds an Error about field.
func Errorf(field, format string, args ...any) *Error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...), Pos: -1}
}
