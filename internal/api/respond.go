package api

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/basin-dev/basin/internal/runspec"
)

// errInternal is what a client sees of a failure that is not its fault;
// the detail goes to the log.
var errInternal = errors.New("internal error")

// writeError answers with the error object and the status err asks for,
// with Retry-After on a refusal the client may retry (429, 503).
func writeError(w http.ResponseWriter, err error) {
	if ra := retryAfterFor(status(err)); ra != "" {
		w.Header().Set("Retry-After", ra)
	}
	b, _ := marshalJSON(newErrorJSON(err)) // strings only: cannot fail
	writeBody(w, status(err), "application/json", b)
}

// fail answers err, logging it when it is the server's fault.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if status(err) >= 500 {
		h.log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	writeError(w, err)
}

// answerJSON answers 200 with v written by encoding/json: the answers that
// are rarely asked for, where clarity matters more than speed.
func (h *Handler) answerJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeBody(w, http.StatusOK, "application/json", b)
}

// writeBody writes a complete, already encoded body.
func writeBody(w http.ResponseWriter, code int, contentType string, b []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(code)
	w.Write(b)
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// readBody reads a POST body of at most BodyBytesLimit bytes, counting
// the bytes against the memory budget while it reads (a body the client
// sends slowly is held that long).
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return h.readBodyLimit(w, r, BodyBytesLimit)
}

// readBodyLimit is readBody for a body of at most limit bytes (a training
// request's is larger).
func (h *Handler) readBodyLimit(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	size := limit
	if r.ContentLength >= 0 && r.ContentLength < size {
		size = r.ContentLength
	}
	release, err := h.reserve(r.Context(), size)
	if err != nil {
		return nil, err
	}
	defer release()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, runspec.Errorf("", "request body must be at most %d bytes", limit)
		}
		return nil, runspec.Errorf("", "reading the request body: %v", err)
	}
	return body, nil
}
