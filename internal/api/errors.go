package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/basin-dev/basin/internal/runspec"
)

// statusErr is a client-facing error answered with a status of its own
// rather than the 400 of a mistake in the request.
type statusErr struct {
	status int
	err    *runspec.Error
}

func (e *statusErr) Error() string { return e.err.Msg }
func (e *statusErr) Unwrap() error { return e.err }

// statusError builds an error about the whole request, answered with
// status: a refusal that names no field (404, 405, 403, 429, 503).
func statusError(status int, msg string) error {
	return &statusErr{status: status, err: &runspec.Error{Msg: msg, Pos: -1}}
}

// withStatus answers err, a client's mistake, with status instead of 400.
func withStatus(status int, err *runspec.Error) error {
	return &statusErr{status: status, err: err}
}

// status returns the HTTP status for err: its own, 400 for a client's
// mistake, 422 for a valid request too costly to answer, else 500.
func status(err error) int {
	var se *statusErr
	if errors.As(err, &se) {
		return se.status
	}
	var e *runspec.Error
	switch {
	case errors.As(err, &e) && e.TooCostly:
		return http.StatusUnprocessableEntity
	case e != nil:
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// isClientError reports whether err is the client's to fix, which is not
// logged as a failure.
func isClientError(err error) bool { return errors.As(err, new(*runspec.Error)) }

// appendErrorJSON appends the error object shared by REST answers and
// websocket error messages: "error", and "field" and "pos" when known.
// Errors that are not the client's are internal and are written as a
// generic message; the caller logs the detail.
func appendErrorJSON(b []byte, err error) []byte {
	var e *runspec.Error
	if !errors.As(err, &e) {
		return append(b, `"error":"internal error"`...)
	}
	b = append(b, `"error":`...)
	b = runspec.AppendJSONString(b, e.Msg)
	if e.Field != "" {
		b = append(b, `,"field":`...)
		b = runspec.AppendJSONString(b, e.Field)
	}
	if e.Pos >= 0 {
		b = append(b, `,"pos":`...)
		b = strconv.AppendInt(b, int64(e.Pos), 10)
	}
	return b
}
