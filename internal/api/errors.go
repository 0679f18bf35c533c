package api

import (
	"errors"
	"net/http"

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
// mistake, else 500.
func status(err error) int {
	var se *statusErr
	if errors.As(err, &se) {
		return se.status
	}
	if errors.As(err, new(*runspec.Error)) {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// isClientError reports whether err is the client's to fix, which is not
// logged as a failure.
func isClientError(err error) bool { return errors.As(err, new(*runspec.Error)) }

// asClientError finds the client's mistake in err, if it is one.
func asClientError(err error) (*runspec.Error, bool) {
	var e *runspec.Error
	return e, errors.As(err, &e)
}
