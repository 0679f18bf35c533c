package api

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strconv"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// The encoders here are hand-written because results are mostly floats:
// appending each with strconv is several times faster than encoding/json on
// [][]float64 and allocates nothing per point (docs/BENCHMARKS.md); the
// answers that are rarely asked for are written by encoding/json instead
// (jsonvalues.go), and encode_agree_test.go holds every JSON encoder here
// to what encoding/json writes for the same values. Every
// encoder refuses a non-finite number with errNonFinite instead of writing
// invalid JSON; the engine never produces one (docs/DESIGN.md), so this is
// a guard, not a code path.

var errNonFinite = errors.New("api: non-finite number in a result")

// finite reports whether v is neither NaN nor ±Inf, in one subtraction
// (Inf-Inf and NaN-NaN are NaN), since the encoders check every value.
func finite(v float64) bool { return v-v == 0 }

// appendFloat appends a finite float64 as its shortest round-trip decimal.
func appendFloat(b []byte, v float64) []byte {
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendPointsJSON appends [[x,y,loss],...].
func appendPointsJSON(b []byte, pts []optim.Point) ([]byte, error) {
	return appendPointsSpill(b, pts, nil)
}

// appendPointsSpill is appendPointsJSON handing b to out every pointsBatch
// points.
func appendPointsSpill(b []byte, pts []optim.Point, out spill) ([]byte, error) {
	b = append(b, '[')
	for i, p := range pts {
		if !finite(p.X) || !finite(p.Y) || !finite(p.Loss) {
			return b, errNonFinite
		}
		if i > 0 {
			b = append(b, ',')
			if out != nil && i%pointsBatch == 0 {
				b = out(b)
			}
		}
		b = append(b, '[')
		b = appendFloat(b, p.X)
		b = append(b, ',')
		b = appendFloat(b, p.Y)
		b = append(b, ',')
		b = appendFloat(b, p.Loss)
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// appendOutcomeJSON appends {"status","step","reached"?,"hover"?,"between"?,
// "outside_box"?,"below_global"?}: hover for a noisy converged run, between
// for a wandering one; the two flags are written only when true.
func appendOutcomeJSON(b []byte, o optim.Outcome) ([]byte, error) {
	b = append(b, `{"status":"`...)
	b = append(b, o.Status.String()...)
	b = append(b, `","step":`...)
	b = strconv.AppendInt(b, int64(o.Step), 10)
	var err error
	if r := o.Reached; r != nil {
		b = append(b, `,"reached":`...)
		if b, err = appendCriticalJSON(b, *r, true); err != nil {
			return b, err
		}
	}
	if o.Hover > 0 {
		if !finite(o.Hover) {
			return b, errNonFinite
		}
		b = append(b, `,"hover":`...)
		b = appendFloat(b, o.Hover)
	}
	if len(o.Between) > 0 {
		b = append(b, `,"between":[`...)
		for i, c := range o.Between {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendCriticalJSON(b, *c, true); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	if o.OutsideBox {
		b = append(b, `,"outside_box":true`...)
	}
	if o.BelowGlobal {
		b = append(b, `,"below_global":true`...)
	}
	return append(b, '}'), nil
}

// appendCriticalJSON appends {"kind"?,"x","y","value","global"?,"edge"?};
// kind is written for reached points, global for minima, edge only when
// the point lies on the box's edge.
func appendCriticalJSON(b []byte, c landscape.CriticalPoint, withKind bool) ([]byte, error) {
	if !finite(c.At.X) || !finite(c.At.Y) || !finite(c.Value) {
		return b, errNonFinite
	}
	b = append(b, '{')
	if withKind {
		b = append(b, `"kind":"`...)
		b = append(b, c.Kind.String()...)
		b = append(b, `",`...)
	}
	b = append(b, `"x":`...)
	b = appendFloat(b, c.At.X)
	b = append(b, `,"y":`...)
	b = appendFloat(b, c.At.Y)
	b = append(b, `,"value":`...)
	b = appendFloat(b, c.Value)
	if c.Kind == landscape.Minimum {
		b = append(b, `,"global":`...)
		b = strconv.AppendBool(b, c.Global)
	}
	if c.Edge {
		b = append(b, `,"edge":true`...)
	}
	return append(b, '}'), nil
}

// appendOptimizerJSON appends the resolved optimizer: name, display and
// every hyperparameter in the optimizer's declared order.
func appendOptimizerJSON(b []byte, o *runspec.Resolved) []byte {
	b = append(b, `{"name":`...)
	b = runspec.AppendJSONString(b, o.Info.Name)
	b = append(b, `,"display":`...)
	b = runspec.AppendJSONString(b, o.Display)
	for _, p := range o.Info.Params {
		b = append(b, ',')
		b = runspec.AppendJSONString(b, p.Name)
		b = append(b, ':')
		b = appendValueJSON(b, p.Kind, o.Values[p.Name])
	}
	return append(b, '}')
}

// appendRunsJSON appends {"runs":[{"optimizer","points","outcome"},...]},
// with "schedule" (resolved, like the optimizers) when the spec has one,
// handing b to out as it grows when out is not nil.
func appendRunsJSON(b []byte, sched *runspec.Resolved, rs []runspec.Result, out spill) ([]byte, error) {
	b = append(b, '{')
	if sched != nil {
		b = append(b, `"schedule":`...)
		b = appendOptimizerJSON(b, sched)
		b = append(b, ',')
	}
	b = append(b, `"runs":[`...)
	for i := range rs {
		var err error
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"optimizer":`...)
		b = appendOptimizerJSON(b, rs[i].Optimizer)
		b = append(b, `,"points":`...)
		if b, err = appendPointsSpill(b, rs[i].Points, out); err != nil {
			return b, err
		}
		b = append(b, `,"outcome":`...)
		if b, err = appendOutcomeJSON(b, rs[i].Outcome); err != nil {
			return b, err
		}
		b = append(b, '}')
	}
	return append(b, "]}\n"...), nil
}

// appendRunsCSV appends optimizer,step,x,y,loss rows. The optimizer column
// is the name, with " #i" (1-based position in the spec) added when a name
// occurs more than once, so rows of two Adam runs stay apart. b goes to
// out as it grows when out is not nil.
func appendRunsCSV(b []byte, rs []runspec.Result, out spill) ([]byte, error) {
	b = append(b, "optimizer,step,x,y,loss\n"...)
	count := map[string]int{}
	for i := range rs {
		count[rs[i].Optimizer.Info.Name]++
	}
	for i := range rs {
		label := rs[i].Optimizer.Info.Name
		if count[label] > 1 {
			label += " #" + strconv.Itoa(i+1)
		}
		for k, p := range rs[i].Points {
			if !finite(p.X) || !finite(p.Y) || !finite(p.Loss) {
				return b, errNonFinite
			}
			b = append(b, label...)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(k), 10)
			b = append(b, ',')
			b = appendFloat(b, p.X)
			b = append(b, ',')
			b = appendFloat(b, p.Y)
			b = append(b, ',')
			b = appendFloat(b, p.Loss)
			b = append(b, '\n')
			if out != nil && k%pointsBatch == pointsBatch-1 {
				b = out(b)
			}
		}
	}
	return b, nil
}

// Binary point frames (docs/DESIGN.md): a header padded to a multiple of 8
// bytes, then float64 triples, so the page views the payload as a
// Float64Array without copying.
const (
	frameTypePoints = 1
	frameHeaderLen  = 16
)

// frameHeader is the header every binary frame shares (docs/DESIGN.md):
// the frame type, a reserved zero byte, the id's length and three uint32
// whose meaning depends on the type, then the id, zero-padded to a multiple
// of 8 bytes so the payload after it is aligned for typed views.
type frameHeader struct {
	typ uint8
	id  string
	// fields are the type's three numbers: for points the optimizer's
	// index, the first step and the number of points; for a basin row the
	// row, the cells in it and the rows done.
	fields [3]int
}

func (h frameHeader) appendTo(b []byte) []byte {
	le := binary.LittleEndian
	b = append(b, h.typ, 0)
	b = le.AppendUint16(b, uint16(len(h.id)))
	for _, v := range h.fields {
		b = le.AppendUint32(b, uint32(v))
	}
	b = append(b, h.id...)
	for pad := (8 - len(h.id)%8) % 8; pad > 0; pad-- {
		b = append(b, 0)
	}
	return b
}

// frameLen is the size of a binary points frame.
func frameLen(idLen, count int) int {
	return frameHeaderLen + (idLen+7)/8*8 + 24*count
}

// appendPointsFrame appends one binary points frame for request id: the
// points of optimizer opt (its index in the spec) from step from on.
func appendPointsFrame(b []byte, id string, opt, from int, pts []optim.Point) ([]byte, error) {
	b = slices.Grow(b, frameLen(len(id), len(pts)))
	b = frameHeader{typ: frameTypePoints, id: id, fields: [3]int{opt, from, len(pts)}}.appendTo(b)
	n := len(b)
	b = b[:n+24*len(pts)]
	for i, p := range pts {
		if !finite(p.X) || !finite(p.Y) || !finite(p.Loss) {
			return b[:n], errNonFinite
		}
		o := b[n+24*i : n+24*i+24]
		binary.LittleEndian.PutUint64(o[0:], math.Float64bits(p.X))
		binary.LittleEndian.PutUint64(o[8:], math.Float64bits(p.Y))
		binary.LittleEndian.PutUint64(o[16:], math.Float64bits(p.Loss))
	}
	return b, nil
}

// appendPointsMessage appends the JSON form of a points batch:
// {"type":"points","id":...,"run":i,"from":k,"points":[[x,y,loss],...]}.
func appendPointsMessage(b []byte, id string, opt, from int, pts []optim.Point) ([]byte, error) {
	b = append(b, `{"type":"points","id":`...)
	b = runspec.AppendJSONString(b, id)
	b = append(b, `,"run":`...)
	b = strconv.AppendInt(b, int64(opt), 10)
	b = append(b, `,"from":`...)
	b = strconv.AppendInt(b, int64(from), 10)
	b = append(b, `,"points":`...)
	b, err := appendPointsJSON(b, pts)
	return append(b, '}'), err
}

// appendInt appends an integer.
func appendInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

// appendValueJSON appends a hyperparameter value by its kind: a bool, an
// [a, b] pair or a number, and null for a value that does not fit its kind
// (a missing default). Catalog defaults, preset values and resolved
// optimizers are all written by it, so they read the same.
func appendValueJSON(b []byte, k optim.Kind, v []float64) []byte {
	switch {
	case k == optim.Bool && len(v) == 1:
		return strconv.AppendBool(b, v[0] != 0)
	case k == optim.Pair && len(v) == 2:
		return runspec.AppendNumbers(b, v)
	case len(v) == 1:
		return runspec.AppendNumber(b, v[0])
	}
	return append(b, "null"...)
}
