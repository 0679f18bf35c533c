package api

import (
	"bytes"
	"encoding/json"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// The answers that are rarely asked for (catalogs, examples, errors) are
// built as Go values and written by encoding/json. These value types keep
// the numbers and strings in the same form as the hand-written encoders of
// the hot paths, so a value reads the same in every answer.

// marshalJSON writes v as one line of JSON, leaving <, > and & readable:
// every answer is JSON, never HTML.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil // Encode ends the line
}

// jsNumber is a number as the run spec writes it (runspec.AppendNumber,
// JavaScript's form), for values a client may copy into a spec.
type jsNumber float64

func (v jsNumber) MarshalJSON() ([]byte, error) { return runspec.AppendNumber(nil, float64(v)), nil }

// jsNumbers converts a list of numbers written as the run spec writes them.
func jsNumbers(v ...float64) []jsNumber {
	out := make([]jsNumber, len(v))
	for i, x := range v {
		out[i] = jsNumber(x)
	}
	return out
}

// coord is a computed coordinate or value, written as the result encoders
// write them (appendFloat); a non-finite one is refused.
type coord float64

func (v coord) MarshalJSON() ([]byte, error) {
	if !finite(float64(v)) {
		return nil, errNonFinite
	}
	return appendFloat(nil, float64(v)), nil
}

// maybe is a computed number that may not be finite (an inspected step
// that overflowed), written as a number or null.
type maybe float64

func (v maybe) MarshalJSON() ([]byte, error) {
	if !finite(float64(v)) {
		return []byte("null"), nil
	}
	return appendFloat(nil, float64(v)), nil
}

// text is a string that may quote a client's input, written exactly as
// runspec.AppendJSONString writes it, as the hot paths do.
type text string

func (s text) MarshalJSON() ([]byte, error) { return s.appendTo(nil), nil }

func (s text) appendTo(b []byte) []byte { return runspec.AppendJSONString(b, string(s)) }

// resolvedJSON is a resolved optimizer or schedule (appendOptimizerJSON).
type resolvedJSON struct{ o *runspec.Resolved }

func (r resolvedJSON) MarshalJSON() ([]byte, error) { return appendOptimizerJSON(nil, r.o), nil }

// reachedJSON is a critical point a run reached, with its kind
// (appendCriticalJSON).
type reachedJSON landscape.CriticalPoint

func (c *reachedJSON) MarshalJSON() ([]byte, error) {
	return appendCriticalJSON(nil, landscape.CriticalPoint(*c), true)
}

// paramValue is a hyperparameter value by its kind (appendValueJSON).
type paramValue struct {
	kind optim.Kind
	v    []float64
}

func (p paramValue) MarshalJSON() ([]byte, error) { return appendValueJSON(nil, p.kind, p.v), nil }

// errorJSON is the error object shared by REST answers and websocket error
// messages: "error", and "field" and "pos" when known. An error that is not
// the client's is internal and is written as a generic message; the caller
// logs the detail.
type errorJSON struct {
	Error text `json:"error"`
	Field text `json:"field,omitempty"`
	Pos   *int `json:"pos,omitempty"`
}

func newErrorJSON(err error) errorJSON {
	e, ok := asClientError(err)
	if !ok {
		return errorJSON{Error: "internal error"}
	}
	out := errorJSON{Error: text(e.Msg), Field: text(e.Field)}
	if e.Pos >= 0 {
		out.Pos = &e.Pos
	}
	return out
}
