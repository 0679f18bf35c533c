package runspec

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/basin-dev/basin/internal/optim"
)

// PermalinkVersion is the version of the query encoding written in "v". A
// query without "v" is read as version 1, the first one. When the encoding
// changes, bump this and keep reading the old versions so old links keep
// working.
const PermalinkVersion = 1

// ViewParams are carried by the page's permalink for its own view state and
// accepted and ignored by the API (docs/DESIGN.md). Any other parameter not
// in the spec is an error, so a typo in a hand-written link does not pass
// silently.
var ViewParams = []string{"lang", "view", "speed", "instant", "mode", "t", "panel"}

// QueryParams are the query parameters of a spec, in the order written.
var QueryParams = []string{"v", "f", "expr", "domain", "start", "lr", "steps", "seed", "noise", "clip", "sched", "opt"}

// EncodeQuery writes spec as a permalink query (without the leading "?"):
// parameters in the documented order, given fields only, numbers in the
// shortest round-trip form, optimizer parameters in the order given.
func EncodeQuery(s Spec) string {
	var b []byte
	add := func(name string) {
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(b, name...)
		b = append(b, '=')
	}
	add("v")
	b = strconv.AppendInt(b, PermalinkVersion, 10)
	if s.Function != "" {
		add("f")
		b = appendEscaped(b, s.Function)
	}
	if s.Expr != "" {
		add("expr")
		b = appendEscaped(b, s.Expr)
	}
	if s.Domain != nil {
		add("domain")
		b = appendList(b, s.Domain, ',')
	}
	if s.Start != nil {
		add("start")
		b = appendList(b, s.Start, ',')
	}
	if s.LR != nil {
		add("lr")
		b = appendEscapedNumber(b, *s.LR)
	}
	if s.Steps != nil {
		add("steps")
		b = strconv.AppendInt(b, *s.Steps, 10)
	}
	if s.Seed != nil {
		add("seed")
		b = strconv.AppendInt(b, *s.Seed, 10)
	}
	if s.Noise != nil {
		add("noise")
		b = appendEscapedNumber(b, *s.Noise)
	}
	if s.ClipNorm != nil {
		add("clip")
		b = appendEscapedNumber(b, *s.ClipNorm)
	}
	if s.Schedule != nil {
		add("sched")
		b = s.Schedule.appendQuery(b)
	}
	for _, o := range s.Optimizers {
		add("opt")
		b = o.appendQuery(b)
	}
	return string(b)
}

// EncodeOptimizer writes one optimizer (or schedule) as its opt= (sched=)
// value: name(param=value,...), or the bare name.
func EncodeOptimizer(o OptimizerSpec) string { return string(o.appendQuery(nil)) }

// appendQuery writes name(param=value,...), or the bare name.
func (o OptimizerSpec) appendQuery(b []byte) []byte {
	b = appendEscaped(b, o.Name)
	if len(o.Params) == 0 {
		return b
	}
	b = append(b, '(')
	for i, p := range o.Params {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendEscaped(b, p.Name)
		b = append(b, '=')
		switch p.Kind {
		case optim.Bool:
			b = strconv.AppendBool(b, p.Value[0] != 0)
		case optim.Pair:
			b = appendList(b, p.Value[:], '/')
		default:
			b = appendEscapedNumber(b, p.Value[0])
		}
	}
	return append(b, ')')
}

func appendList(b []byte, v []float64, sep byte) []byte {
	for i, x := range v {
		if i > 0 {
			b = append(b, sep)
		}
		b = appendEscapedNumber(b, x)
	}
	return b
}

// appendEscapedNumber writes a number; only the exponent's '+' needs escaping.
func appendEscapedNumber(b []byte, v float64) []byte {
	var tmp [32]byte
	return appendEscaped(b, string(AppendNumber(tmp[:0], v)))
}

// appendEscaped percent-encodes every byte except A-Z a-z 0-9 and
// -_.~()*,/:= (docs/DESIGN.md), which keeps links readable
// ("opt=adam(lr=0.05,betas=0.9/0.999)") while '&', '+', '#', '%', spaces and
// non-ASCII are escaped. JavaScript: encodeURIComponent, then unescape
// %2C %2F %3A %3D and escape ! and '.
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			strings.IndexByte("-_.~()*,/:=", c) >= 0 {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return b
}

// numberSyntax is the number form accepted in a query: JSON's, so that the
// page and the server agree on what is a number (no hex, no "Infinity").
var numberSyntax = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// intSyntax is the integer form accepted in a query, JSON's too: "+10" and
// "010" are not integers (strconv would take them), so a link means the
// same to the page, to JSON clients and to the server.
var intSyntax = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// optSyntax is name(params) or a bare name.
var optSyntax = regexp.MustCompile(`^([A-Za-z0-9_-]+)(?:\((.*)\))?$`)

// ParseQuery reads a raw permalink query (without the leading "?"). A
// malformed query is an error rather than silently dropped pairs, as
// url.URL.Query would do.
func ParseQuery(raw string) (Spec, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return Spec{}, Errorf("", "malformed query: %v", err)
	}
	return DecodeQuery(q)
}

// DecodeQuery reads a permalink query into a spec. View parameters are
// ignored; any other unknown parameter, a repeated parameter (other than
// opt) or a malformed value is an error naming the parameter.
func DecodeQuery(q url.Values) (Spec, error) {
	var s Spec
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names) // the same error for the same query every time
	for _, name := range names {
		vals := q[name]
		if name == "opt" || name == "format" || IsViewParam(name) {
			continue
		}
		known := false
		for _, p := range QueryParams {
			known = known || p == name
		}
		if !known {
			if sg := Suggest(name, append(append([]string{}, QueryParams...), ViewParams...)); sg != "" {
				return s, Errorf(name, "unknown query parameter %q (did you mean %s?)", name, sg)
			}
			return s, Errorf(name, "unknown query parameter %q", name)
		}
		if len(vals) > 1 {
			return s, Errorf(name, "query parameter %q given %d times", name, len(vals))
		}
	}
	if v := q.Get("v"); q.Has("v") && v != strconv.Itoa(PermalinkVersion) {
		return s, Errorf("v", "unsupported permalink version v=%s (this server reads v=%d)", v, PermalinkVersion)
	}
	s.Function = q.Get("f")
	s.Expr = q.Get("expr")
	var err error
	if s.Domain, err = queryList(q, "domain", "domain", ",", 4, "xmin,xmax,ymin,ymax"); err != nil {
		return s, err
	}
	if s.Start, err = queryList(q, "start", "start", ",", 2, "x,y"); err != nil {
		return s, err
	}
	if s.Steps, err = queryInt(q, "steps", "steps"); err != nil {
		return s, err
	}
	if s.Seed, err = queryInt(q, "seed", "seed"); err != nil {
		return s, err
	}
	if s.LR, err = queryNumber(q, "lr", "lr"); err != nil {
		return s, err
	}
	if s.Noise, err = queryNumber(q, "noise", "noise"); err != nil {
		return s, err
	}
	if s.ClipNorm, err = queryNumber(q, "clip", "clip_norm"); err != nil {
		return s, err
	}
	opts := q["opt"]
	if len(opts) > OptimizersLimit {
		return s, Errorf("optimizers", "optimizers must list 1 to %d optimizers, got %d", OptimizersLimit, len(opts))
	}
	if q.Has("sched") {
		o, err := parseNamed("schedule", "sched", q.Get("sched"))
		if err != nil {
			return s, err
		}
		s.Schedule = &o
	}
	for i, raw := range opts {
		o, err := parseNamed("optimizers["+strconv.Itoa(i)+"]", "opt", raw)
		if err != nil {
			return s, err
		}
		s.Optimizers = append(s.Optimizers, o)
	}
	return s, nil
}

// IsViewParam reports whether name is one of ViewParams.
func IsViewParam(name string) bool {
	for _, v := range ViewParams {
		if v == name {
			return true
		}
	}
	return false
}

func parseNumber(field, s string) (float64, error) {
	if !numberSyntax.MatchString(s) {
		return 0, Errorf(field, "%s must be a number, got %q", field, s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, Errorf(field, "%s must be a finite number, got %q", field, s)
	}
	return v, nil
}

func queryNumber(q url.Values, param, field string) (*float64, error) {
	if !q.Has(param) {
		return nil, nil
	}
	v, err := parseNumber(field, q.Get(param))
	return &v, err
}

func queryInt(q url.Values, param, field string) (*int64, error) {
	if !q.Has(param) {
		return nil, nil
	}
	v, err := strconv.ParseInt(q.Get(param), 10, 64)
	if err != nil || !intSyntax.MatchString(q.Get(param)) {
		return nil, Errorf(field, "%s must be an integer, got %q", field, q.Get(param))
	}
	return &v, nil
}

func queryList(q url.Values, param, field, sep string, n int, shape string) ([]float64, error) {
	if !q.Has(param) {
		return nil, nil
	}
	parts := strings.Split(q.Get(param), sep)
	if len(parts) != n {
		return nil, Errorf(field, "%s must be %d numbers %s, got %q", field, n, shape, q.Get(param))
	}
	v := make([]float64, n)
	for i, p := range parts {
		x, err := parseNumber(field+"["+strconv.Itoa(i)+"]", p)
		if err != nil {
			return nil, err
		}
		v[i] = x
	}
	return v, nil
}

// parseNamed reads one "name(k=v,...)" value of param (opt or sched).
func parseNamed(field, param, raw string) (OptimizerSpec, error) {
	m := optSyntax.FindStringSubmatch(raw)
	if m == nil {
		return OptimizerSpec{}, Errorf(field, "%s %q must be name or name(param=value,...)", param, raw)
	}
	o := OptimizerSpec{Name: m[1]}
	if m[2] == "" {
		return o, nil
	}
	for _, kv := range strings.Split(m[2], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return o, Errorf(field, "%s %q: %q must be param=value", param, raw, kv)
		}
		path := join(field, k)
		for _, p := range o.Params {
			if p.Name == k {
				return o, Errorf(path, "duplicate field %q", path)
			}
		}
		p := ParamSpec{Name: k}
		switch {
		case v == "true":
			p.Kind, p.Value[0] = optim.Bool, 1
		case v == "false":
			p.Kind = optim.Bool
		case strings.Contains(v, "/"):
			a, b, _ := strings.Cut(v, "/")
			x, err := parseNumber(path+"[0]", a)
			if err != nil {
				return o, err
			}
			y, err := parseNumber(path+"[1]", b)
			if err != nil {
				return o, err
			}
			p.Kind, p.Value = optim.Pair, [2]float64{x, y}
		default:
			x, err := parseNumber(path, v)
			if err != nil {
				return o, err
			}
			p.Kind, p.Value[0] = optim.Number, x
		}
		o.Params = append(o.Params, p)
	}
	return o, nil
}
