// Package runspec is Basin's run-spec language: what a client asks to
// compute, as a JSON spec (a POST body, a websocket message) or as a
// permalink query, decoded and validated in one place with errors that name
// the field and the allowed range, resolved to runnable configurations
// (Plan) with every default filled in, and computed (Compute). It knows
// nothing of HTTP: internal/api carries specs over the network, and tests
// and tools use the same language directly.
package runspec

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/basin-dev/basin/internal/optim"
)

// Spec is one request for trajectories. The same value is decoded from a
// POST body, a websocket run message and a permalink query, and validated in
// one place (Resolver.Resolve). Nil pointers and slices mean "not given" and take the
// documented defaults; an explicit 0 stays 0 and is validated as such.
type Spec struct {
	Function   string          // preset id; exclusive with Expr
	Expr       string          // custom expression; exclusive with Function
	Domain     []float64       // xmin, xmax, ymin, ymax
	Start      []float64       // x0, y0
	Steps      *int64          // step budget
	Seed       *int64          // noise seed
	Noise      *float64        // gradient-noise standard deviation
	ClipNorm   *float64        // gradient-norm clipping, 0 = off
	LR         *float64        // the shared learning rate
	Optimizers []OptimizerSpec // in request order
	// Schedule is the learning-rate schedule applied to every optimizer's
	// own lr (nil: constant). It has the optimizers' shape: a name
	// (optim.Schedules) and its parameters.
	Schedule *OptimizerSpec
}

// OptimizerSpec is one optimizer of a run as the client wrote it: a name and
// the hyperparameters given, in the order given, so that a permalink written
// from it reads the way the user wrote it and round-trips exactly.
type OptimizerSpec struct {
	Name   string
	Params []ParamSpec
}

// ParamSpec is one given hyperparameter. Kind records how it was written
// (number, true/false or a pair); Resolve checks it against the optimizer's
// declared kind.
type ParamSpec struct {
	Name  string
	Kind  optim.Kind
	Value [2]float64 // Number: [0]; Bool: [0] is 0 or 1; Pair: both
}

// specFields are the JSON names of Spec, in the order they are written.
var specFields = []string{"function", "expr", "domain", "start", "steps", "seed",
	"noise", "clip_norm", "lr", "schedule", "optimizers"}

// Member is one name/value pair of a JSON object, kept in document order.
type Member struct {
	Name  string
	Value json.RawMessage
}

// decodeObject splits a JSON object into its members in document order
// (checking the whole document with json.Valid at the top level, field ""), rejecting duplicates (which encoding/json
// would silently resolve to the last) so that what the user wrote is what
// runs.
func decodeObject(field string, raw []byte) ([]Member, error) {
	if field == "" && !json.Valid(raw) { // nested objects come from checked input
		return nil, SyntaxError(raw)
	}
	ms, ok := ObjectMembers(raw)
	if !ok {
		if field == "" {
			return nil, Errorf("", "the run spec must be a JSON object")
		}
		return nil, Errorf(field, "%s must be an object", field)
	}
	for i, m := range ms {
		for _, prev := range ms[:i] {
			if prev.Name == m.Name {
				return nil, Errorf(join(field, m.Name), "duplicate field %q", join(field, m.Name))
			}
		}
	}
	return ms, nil
}

// join builds a field path.
func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// SyntaxError describes malformed JSON by its offset, as an Error.
func SyntaxError(raw []byte) error {
	var v any
	err := json.Unmarshal(raw, &v)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se) && se.Error() == "unexpected end of JSON input":
		return Errorf("", "malformed JSON: unexpected end of input")
	case errors.As(err, &se):
		return Errorf("", "malformed JSON at offset %d: %s", se.Offset, se.Error())
	}
	return Errorf("", "malformed JSON: %v", err)
}

// Decode decodes a JSON run spec. Unknown fields, duplicate fields and
// values of the wrong type are errors naming the field; ranges are checked
// later by Resolve, so a permalink gets the same messages.
func Decode(raw []byte) (Spec, error) {
	var s Spec
	ms, err := decodeObject("", raw)
	if err != nil {
		return s, err
	}
	for _, m := range ms {
		var err error
		switch m.Name {
		case "function":
			err = decodeString(m, &s.Function)
		case "expr":
			err = decodeString(m, &s.Expr)
		case "domain":
			s.Domain, err = decodeNumbers(m, 4, "[xmin, xmax, ymin, ymax]")
		case "start":
			s.Start, err = decodeNumbers(m, 2, "[x, y]")
		case "steps":
			s.Steps, err = decodeInt(m)
		case "seed":
			s.Seed, err = decodeInt(m)
		case "noise":
			s.Noise, err = decodeNumber(m)
		case "clip_norm":
			s.ClipNorm, err = decodeNumber(m)
		case "lr":
			s.LR, err = decodeNumber(m)
		case "optimizers":
			s.Optimizers, err = decodeOptimizers(m.Value)
		case "schedule":
			var o OptimizerSpec
			o, err = decodeNamed("schedule", m.Value)
			s.Schedule = &o
		default:
			err = unknownField("", m.Name, specFields)
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

// unknownField names the field and, when one known name is close, suggests it.
func unknownField(parent, name string, known []string) error {
	path := join(parent, name)
	if s := Suggest(name, known); s != "" {
		return Errorf(path, "unknown field %q (did you mean %s?)", path, s)
	}
	return Errorf(path, "unknown field %q", path)
}

// isNull reports a JSON null. A null field is a value of the wrong type,
// an error like any other: leave a field out to take its default.
func isNull(raw json.RawMessage) bool { return string(raw) == "null" }

func decodeString(m Member, dst *string) error {
	if m.Value[0] != '"' {
		return Errorf(m.Name, "%s must be a string, got %s", m.Name, clip(m.Value))
	}
	*dst = Unquote(m.Value)
	return nil
}

func decodeNumber(m Member) (*float64, error) {
	v, ok := jsonNumber(m.Value)
	if !ok {
		return nil, Errorf(m.Name, "%s must be a finite number, got %s", m.Name, clip(m.Value))
	}
	return &v, nil
}

func decodeInt(m Member) (*int64, error) {
	v, err := strconv.ParseInt(string(m.Value), 10, 64)
	if err != nil {
		return nil, Errorf(m.Name, "%s must be an integer, got %s", m.Name, clip(m.Value))
	}
	return &v, nil
}

func decodeNumbers(m Member, n int, shape string) ([]float64, error) {
	items, ok := arrayItems(m.Value)
	if !ok || len(items) != n {
		return nil, Errorf(m.Name, "%s must be %d numbers %s, got %s", m.Name, n, shape, clip(m.Value))
	}
	v := make([]float64, n)
	for i, it := range items {
		if v[i], ok = jsonNumber(it); !ok {
			return nil, Errorf(m.Name, "%s must be %d numbers %s, got %s", m.Name, n, shape, clip(m.Value))
		}
	}
	return v, nil
}

// clip shortens a raw JSON value for quoting in an error message.
func clip(raw json.RawMessage) string {
	const most = 40
	s := string(bytes.TrimSpace(raw))
	if len(s) > most {
		return s[:most] + "..."
	}
	return s
}

func decodeOptimizers(raw json.RawMessage) ([]OptimizerSpec, error) {
	items, ok := arrayItems(raw)
	if !ok {
		return nil, Errorf("optimizers", "optimizers must be an array of objects")
	}
	if len(items) > OptimizersLimit {
		return nil, Errorf("optimizers", "optimizers must list 1 to %d optimizers, got %d", OptimizersLimit, len(items))
	}
	out := make([]OptimizerSpec, len(items))
	for i, item := range items {
		o, err := decodeNamed("optimizers["+strconv.Itoa(i)+"]", item)
		if err != nil {
			return nil, err
		}
		out[i] = o
	}
	return out, nil
}

// decodeNamed reads {"name": ..., param: value, ...}, the shape of an
// optimizer and of a schedule, keeping the parameters in the order given.
func decodeNamed(field string, raw json.RawMessage) (OptimizerSpec, error) {
	var o OptimizerSpec
	ms, err := decodeObject(field, raw)
	if err != nil {
		return o, err
	}
	for _, m := range ms {
		path := join(field, m.Name)
		if m.Name == "name" {
			if m.Value[0] != '"' {
				return o, Errorf(path, "%s must be a string", path)
			}
			o.Name = Unquote(m.Value)
			continue
		}
		p, err := decodeParam(path, m)
		if err != nil {
			return o, err
		}
		o.Params = append(o.Params, p)
	}
	if o.Name == "" {
		return o, Errorf(field+".name", "%s.name is required", field)
	}
	return o, nil
}

// decodeParam reads a hyperparameter written as a number, true/false or a
// two-number array.
func decodeParam(path string, m Member) (ParamSpec, error) {
	p := ParamSpec{Name: m.Name}
	v := m.Value
	switch {
	case string(v) == "true":
		p.Kind, p.Value[0] = optim.Bool, 1
	case string(v) == "false":
		p.Kind = optim.Bool
	case v[0] == '[':
		items, _ := arrayItems(v)
		ok := len(items) == 2
		for i := 0; ok && i < 2; i++ {
			p.Value[i], ok = jsonNumber(items[i])
		}
		if !ok {
			return p, Errorf(path, "%s must be a pair of numbers [a, b], got %s", path, clip(v))
		}
		p.Kind = optim.Pair
	default:
		var ok bool
		if p.Value[0], ok = jsonNumber(v); !ok {
			return p, Errorf(path, "%s must be a finite number, true/false or [a, b], got %s", path, clip(v))
		}
		p.Kind = optim.Number
	}
	return p, nil
}

// MarshalJSON writes the canonical JSON spec: given fields only, in the
// documented order, optimizer parameters in the order given. Permalink test
// vectors compare against it.
func (s Spec) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	sep := func(name string) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	if s.Function != "" {
		sep("function")
		b = AppendJSONString(b, s.Function)
	}
	if s.Expr != "" {
		sep("expr")
		b = AppendJSONString(b, s.Expr)
	}
	if s.Domain != nil {
		sep("domain")
		b = AppendNumbers(b, s.Domain)
	}
	if s.Start != nil {
		sep("start")
		b = AppendNumbers(b, s.Start)
	}
	for _, f := range []struct {
		name string
		v    *int64
	}{{"steps", s.Steps}, {"seed", s.Seed}} {
		if f.v != nil {
			sep(f.name)
			b = strconv.AppendInt(b, *f.v, 10)
		}
	}
	for _, f := range []struct {
		name string
		v    *float64
	}{{"noise", s.Noise}, {"clip_norm", s.ClipNorm}, {"lr", s.LR}} {
		if f.v != nil {
			sep(f.name)
			b = AppendNumber(b, *f.v)
		}
	}
	if s.Schedule != nil {
		sep("schedule")
		b = s.Schedule.appendJSON(b)
	}
	if s.Optimizers != nil {
		sep("optimizers")
		b = append(b, '[')
		for i, o := range s.Optimizers {
			if i > 0 {
				b = append(b, ',')
			}
			b = o.appendJSON(b)
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func (o OptimizerSpec) appendJSON(b []byte) []byte {
	b = append(b, `{"name":`...)
	b = AppendJSONString(b, o.Name)
	for _, p := range o.Params {
		b = append(b, ',')
		b = AppendJSONString(b, p.Name)
		b = append(b, ':')
		b = p.appendJSON(b)
	}
	return append(b, '}')
}

func (p ParamSpec) appendJSON(b []byte) []byte {
	switch p.Kind {
	case optim.Bool:
		return strconv.AppendBool(b, p.Value[0] != 0)
	case optim.Pair:
		return AppendNumbers(b, p.Value[:])
	}
	return AppendNumber(b, p.Value[0])
}

// AppendNumbers appends v as a JSON array of AppendNumber numbers.
func AppendNumbers(b []byte, v []float64) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendNumber(b, x)
	}
	return append(b, ']')
}

// String is for logs and test failures.
func (s Spec) String() string {
	b, _ := s.MarshalJSON()
	return string(b)
}
