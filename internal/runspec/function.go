package runspec

import (
	"errors"
	"math"
	"net/url"
	"strconv"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/landscape/expr"
)

// DefaultExprStart is the start of a custom expression given without one:
// three quarters of the way up and right in its domain, off the centre
// where simple bowls have their minimum, so a first run has somewhere to go.
func DefaultExprStart(d landscape.Domain) landscape.Vec {
	return landscape.Vec{X: d.XMin + 0.75*(d.XMax-d.XMin), Y: d.YMin + 0.75*(d.YMax-d.YMin)}
}

func checkDomain(v []float64) (landscape.Domain, error) {
	for i, x := range v {
		if !(math.Abs(x) <= CoordLimit) {
			return landscape.Domain{}, Errorf("domain["+strconv.Itoa(i)+"]", "domain[%d] must be finite with |v| <= 1e6, got %s", i, FormatNumber(x))
		}
	}
	if !(v[0] < v[1]) || !(v[2] < v[3]) {
		return landscape.Domain{}, Errorf("domain", "domain must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax, got [%s, %s, %s, %s]",
			FormatNumber(v[0]), FormatNumber(v[1]), FormatNumber(v[2]), FormatNumber(v[3]))
	}
	return landscape.Domain{XMin: v[0], XMax: v[1], YMin: v[2], YMax: v[3]}, nil
}

// UnknownFunction is the error for a preset id that names none, suggesting
// the closest.
func UnknownFunction(id string) *Error {
	var ids []string
	for _, p := range landscape.Presets() {
		ids = append(ids, p.ID)
	}
	if s := Suggest(id, ids); s != "" {
		return Errorf("function", "unknown function %q (did you mean %s?)", id, s)
	}
	return Errorf("function", "unknown function %q (GET /api/v1/functions lists them)", id)
}

// compileExpr compiles a custom expression, turning its error into one with
// the position.
func compileExpr(src string) (landscape.Function, error) {
	if len(src) > ExprBytesLimit {
		return nil, Errorf("expr", "expr must be at most %d bytes, got %d", ExprBytesLimit, len(src))
	}
	fn, err := expr.Compile(src)
	if err != nil {
		var e *expr.Error
		if errors.As(err, &e) {
			return nil, &Error{Field: "expr", Msg: "expr: " + e.Error(), Pos: e.Pos}
		}
		return nil, Errorf("expr", "expr: %v", err)
	}
	return fn, nil
}

// QueryFunction finds the function a query names by f (a preset id) or
// expr, and its domain: domain if given, else the function's own. With
// exprOnly, f is not accepted.
func QueryFunction(q url.Values, exprOnly bool) (landscape.Function, landscape.Domain, error) {
	var fn landscape.Function
	var d landscape.Domain
	switch {
	case q.Has("f") && q.Has("expr"):
		return nil, d, Errorf("expr", "give f or expr, not both")
	case q.Has("f") && !exprOnly:
		p, ok := landscape.Lookup(q.Get("f"))
		if !ok {
			return nil, d, UnknownFunction(q.Get("f"))
		}
		fn, d = p.Func, p.Domain
	case q.Has("expr"):
		var err error
		if fn, err = compileExpr(q.Get("expr")); err != nil {
			return nil, d, err
		}
		e := DefaultExprDomain
		d = landscape.Domain{XMin: e[0], XMax: e[1], YMin: e[2], YMax: e[3]}
	case exprOnly:
		return nil, d, Errorf("expr", "expr is required")
	default:
		return nil, d, Errorf("f", "f (a preset id) or expr is required")
	}
	if q.Has("domain") {
		v, err := queryList(q, "domain", "domain", ",", 4, "xmin,xmax,ymin,ymax")
		if err != nil {
			return nil, d, err
		}
		if d, err = checkDomain(v); err != nil {
			return nil, d, err
		}
	}
	return fn, d, nil
}
