package api

import (
	"math"
	"strconv"
	"strings"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/basin-dev/basin/internal/train"
)

// A training answer can reach tens of megabytes (train.MaxRecorded), so it
// is streamed as it is encoded (stream.go). Every value but the
// landscape's is finite by the engine's contract; that is checked before
// the first byte goes out (trainFinite), so a broken result is a 500,
// never a truncated body.

// spillAt hands b to out, when there is one, at a point where the answer
// may be written out.
func spillAt(b []byte, out spill) []byte {
	if out == nil {
		return b
	}
	return out(b)
}

// trainAnswerBytes is what a computed training holds until its answer is
// written: its recorded values, points and landscape (8 bytes each), and
// the stream's buffer.
func trainAnswerBytes(res *runspec.TrainResult) int64 {
	n := 0
	for i := range res.Runs {
		r := &res.Runs[i]
		n += len(r.Params) + len(r.Loss) + len(r.BatchLoss) + len(r.Accuracy) + len(r.ValLoss) + 3*len(r.Points) + len(r.Distance)
		if ln := r.Line; ln != nil {
			n += len(ln.T) + len(ln.Loss) + len(ln.ValLoss)
		}
	}
	if res.Landscape != nil {
		n += len(res.Landscape.Values)
	}
	// The data's rows are written into the header in one piece.
	n += 4 * dataValues(res)
	return 8*int64(n) + 2*streamChunk
}

// trainFinite reports whether every number the answer writes as a number
// is finite (the landscape writes null for an overflowed loss).
func trainFinite(res *runspec.TrainResult) bool {
	all := func(v []float64) bool {
		for _, x := range v {
			if !finite(x) {
				return false
			}
		}
		return true
	}
	ok := all(res.Init) && all(res.Slice.Origin) && all(res.Slice.D1) && all(res.Slice.D2) && all(res.Slice.Explained[:])
	if res.Scaling != nil {
		ok = ok && all(res.Scaling.Mean) && all(res.Scaling.Std)
	}
	for _, set := range []*data.Set{res.Train, res.Val} {
		if set != nil {
			ok = ok && all(set.X) && all(set.Y)
		}
	}
	for i := range res.Runs {
		r := &res.Runs[i]
		for _, e := range r.Ends {
			ok = ok && all(e)
		}
		ok = ok && all(r.Params) && all(r.Loss) && all(r.BatchLoss) && all(r.Accuracy) && all(r.ValLoss) && all(r.Distance)
		for _, p := range r.Points {
			ok = ok && finite(p.X) && finite(p.Y) && finite(p.Loss)
		}
	}
	for _, c := range res.Critical {
		ok = ok && finite(c.At.X) && finite(c.At.Y) && finite(c.Value)
	}
	return ok
}

// appendTrainHeader appends the members that describe a training result
// as a whole, shared by the REST answer and the websocket's train_start:
// task, names, rows, val_rows, steps, scaling (null without
// standardization), data, init, separable, optimizers, schedule (when
// given), slice and critical.
func appendTrainHeader(b []byte, res *runspec.TrainResult) []byte {
	b = append(b, `"task":"`...)
	b = append(b, res.Task.String()...)
	b = append(b, `","names":[`...)
	for i, n := range res.Names {
		if i > 0 {
			b = append(b, ',')
		}
		b = runspec.AppendJSONString(b, n)
	}
	b = append(b, `],"rows":`...)
	b = appendInt(b, res.Rows)
	b = append(b, `,"val_rows":`...)
	b = appendInt(b, res.ValRows)
	b = append(b, `,"steps":`...)
	b = appendInt(b, res.Steps)
	b = append(b, `,"scaling":`...)
	if sc := res.Scaling; sc != nil {
		b = append(b, `{"mean":`...)
		b = appendFloats(b, sc.Mean)
		b = append(b, `,"std":`...)
		b = appendFloats(b, sc.Std)
		b = append(b, '}')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"data":`...)
	b = appendTrainData(b, res)
	b = append(b, `,"init":`...)
	b = appendFloats(b, res.Init)
	b = append(b, `,"separable":`...)
	b = strconv.AppendBool(b, res.Separable)
	b = append(b, `,"optimizers":[`...)
	for i := range res.Optimizers {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendOptimizerJSON(b, &res.Optimizers[i])
	}
	b = append(b, ']')
	if res.Schedule != nil {
		b = append(b, `,"schedule":`...)
		b = appendOptimizerJSON(b, res.Schedule)
	}
	sl := res.Slice
	b = append(b, `,"slice":{"kind":`...)
	b = runspec.AppendJSONString(b, sl.Kind)
	b = append(b, `,"origin":`...)
	b = appendFloats(b, sl.Origin)
	b = append(b, `,"d1":`...)
	b = appendFloats(b, sl.D1)
	b = append(b, `,"d2":`...)
	b = appendFloats(b, sl.D2)
	b = append(b, `,"explained":`...)
	b = appendFloats(b, sl.Explained[:])
	b = append(b, `},"critical":[`...)
	for i, c := range res.Critical {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = appendCriticalJSON(b, c, true) // finite: trainFinite
	}
	return append(b, ']')
}

// dataValues is the number of values the data's rows hold.
func dataValues(res *runspec.TrainResult) int {
	n := 0
	for _, set := range []*data.Set{res.Train, res.Val} {
		if set != nil {
			n += len(set.X) + len(set.Y)
		}
	}
	return n
}

// appendTrainData appends the rows trained on, as the models saw them
// (after standardization), so a client can draw them beside the model:
// {"columns": [...], "rows": [[features..., target], ...]} and, with a
// validation split, "validation_rows" likewise. The engine bounds the rows
// (data.MaxRows), so the header stays a few hundred kilobytes at most.
func appendTrainData(b []byte, res *runspec.TrainResult) []byte {
	b = append(b, `{"columns":[`...)
	if res.Train != nil {
		for i, c := range res.Train.Columns {
			if i > 0 {
				b = append(b, ',')
			}
			b = runspec.AppendJSONString(b, c)
		}
	}
	b = append(b, `],"rows":`...)
	b = appendDataRows(b, res.Train)
	if res.Val != nil {
		b = append(b, `,"validation_rows":`...)
		b = appendDataRows(b, res.Val)
	}
	return append(b, '}')
}

// appendDataRows appends a set's rows, each its features then its target.
func appendDataRows(b []byte, set *data.Set) []byte {
	b = append(b, '[')
	if set == nil {
		return append(b, ']')
	}
	for i := range set.Rows() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for _, x := range set.Row(i) {
			b = appendFloat(b, x)
			b = append(b, ',')
		}
		b = appendFloat(b, set.Y[i])
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendEnds appends a run's settled points in parameter space (see
// train.RunResult.Ends), an array of parameter vectors.
func appendEnds(b []byte, ends [][]float64) []byte {
	b = append(b, '[')
	for i, e := range ends {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloats(b, e)
	}
	return append(b, ']')
}

// appendNumberOrNull appends v, or null where it is not finite (a value a
// row does not have, a landscape's overflowed loss).
func appendNumberOrNull(b []byte, v float64) []byte {
	if !finite(v) {
		return append(b, "null"...)
	}
	return appendFloat(b, v)
}

// appendFloats appends a JSON array of finite numbers.
func appendFloats(b []byte, v []float64) []byte {
	b = append(b, '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloat(b, x)
	}
	return append(b, ']')
}

// appendTrainJSON appends the answer of POST /api/v1/train: the header
// members, then "runs" (each with optimizer, params, loss, batch_loss with
// null at row 0, accuracy for classification, val_loss with a validation
// split, points, distance for a random slice, outcome, and ends for a
// minibatch run that settled or wanders, and line when one was asked),
// then
// "landscape" (null without a grid; null values where the loss overflows).
func appendTrainJSON(b []byte, res *runspec.TrainResult, out spill) []byte {
	s := &struct{ b []byte }{b}
	s.b = append(s.b, '{')
	s.b = appendTrainHeader(s.b, res)
	s.b = append(s.b, `,"runs":[`...)
	np := len(res.Names)
	for i := range res.Runs {
		r := &res.Runs[i]
		if i > 0 {
			s.b = append(s.b, ',')
		}
		s.b = append(s.b, `{"optimizer":`...)
		s.b = appendOptimizerJSON(s.b, &res.Optimizers[i])
		s.b = append(s.b, `,"params":[`...)
		for k := range r.Rows() {
			if k > 0 {
				s.b = append(s.b, ',')
			}
			s.b = appendFloats(s.b, r.Params[k*np:(k+1)*np])
			s.b = spillAt(s.b, out)
		}
		s.b = append(s.b, `],"loss":`...)
		s.b = appendFloats(s.b, r.Loss)
		s.b = append(s.b, `,"batch_loss":[`...)
		if r.Rows() > 0 { // row 0 has no minibatch
			s.b = append(s.b, "null"...)
		}
		for _, v := range r.BatchLoss {
			s.b = append(s.b, ',')
			s.b = appendFloat(s.b, v)
		}
		s.b = append(s.b, ']')
		if r.Accuracy != nil {
			s.b = append(s.b, `,"accuracy":`...)
			s.b = appendFloats(s.b, r.Accuracy)
		}
		if r.ValLoss != nil {
			s.b = append(s.b, `,"val_loss":`...)
			s.b = appendFloats(s.b, r.ValLoss)
		}
		s.b = spillAt(s.b, out)
		s.b = append(s.b, `,"points":`...)
		s.b, _ = appendPointsJSON(s.b, r.Points) // finite: trainFinite
		if r.Distance != nil {
			s.b = append(s.b, `,"distance":`...)
			s.b = appendFloats(s.b, r.Distance)
		}
		s.b = append(s.b, `,"outcome":`...)
		s.b, _ = appendOutcomeJSON(s.b, r.Outcome)
		if r.Ends != nil {
			s.b = append(s.b, `,"ends":`...)
			s.b = appendEnds(s.b, r.Ends)
		}
		if res.Line != 0 {
			s.b = append(s.b, `,"line":`...)
			s.b = appendLineJSON(s.b, r.Line)
		}
		s.b = append(s.b, '}')
		s.b = spillAt(s.b, out)
	}
	s.b = append(s.b, `],"landscape":`...)
	if g := res.Landscape; g != nil {
		s.b = append(s.b, `{"box":`...)
		s.b = appendFloats(s.b, g.Box[:])
		s.b = append(s.b, `,"nx":`...)
		s.b = appendInt(s.b, g.NX)
		s.b = append(s.b, `,"ny":`...)
		s.b = appendInt(s.b, g.NY)
		s.b = append(s.b, `,"values":[`...)
		for i, v := range g.Values {
			if i > 0 {
				s.b = append(s.b, ',')
			}
			s.b = appendNumberOrNull(s.b, v)
			if i%4096 == 4095 {
				s.b = spillAt(s.b, out)
			}
		}
		s.b = append(s.b, "]}"...)
	} else {
		s.b = append(s.b, "null"...)
	}
	return append(s.b, "}\n"...)
}

// appendLineJSON appends a run's straight line from start to end,
// {"t": [...], "loss": [...], "val_loss": [...]} (val_loss with a
// validation split; null for a loss that overflows), or null for a run
// that has none (it diverged).
func appendLineJSON(b []byte, ln *train.Line) []byte {
	if ln == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"t":`...)
	b = appendFloats(b, ln.T)
	for _, f := range []struct {
		name string
		v    []float64
	}{{`,"loss":[`, ln.Loss}, {`,"val_loss":[`, ln.ValLoss}} {
		if f.v == nil {
			continue
		}
		b = append(b, f.name...)
		for i, v := range f.v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendNumberOrNull(b, v)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// trainColumns are the per-row values of a training run before its
// parameters, in the order of the CSV and of the binary rows frame.
var trainColumns = []string{"loss", "batch_loss", "val_loss", "accuracy", "a", "b"}

// appendTrainCSV appends one row per recorded step of every run: optimizer,
// step, loss, batch_loss, val_loss, accuracy, a, b (the row on the
// landscape's plane), then each parameter by name. A value a row does not
// have (batch_loss at step 0, accuracy for regression, val_loss without a
// split) is an empty cell.
func appendTrainCSV(b []byte, res *runspec.TrainResult, out spill) []byte {
	s := &struct{ b []byte }{b}
	s.b = append(s.b, "optimizer,step"...)
	for _, c := range trainColumns {
		s.b = append(s.b, ',')
		s.b = append(s.b, c...)
	}
	for _, n := range res.Names {
		s.b = append(s.b, ',')
		s.b = appendCSVField(s.b, n)
	}
	s.b = append(s.b, '\n')
	count := map[string]int{}
	for i := range res.Runs {
		count[res.Runs[i].Optimizer]++
	}
	np := len(res.Names)
	for i := range res.Runs {
		r := &res.Runs[i]
		label := r.Optimizer
		if count[label] > 1 {
			label += " #" + strconv.Itoa(i+1)
		}
		for k := range r.Rows() {
			s.b = append(s.b, label...)
			s.b = append(s.b, ',')
			s.b = appendInt(s.b, k)
			for _, v := range trainRowValues(r, k) {
				s.b = append(s.b, ',')
				if !math.IsNaN(v) {
					s.b = appendFloat(s.b, v)
				}
			}
			for _, v := range r.Params[k*np : (k+1)*np] {
				s.b = append(s.b, ',')
				s.b = appendFloat(s.b, v)
			}
			s.b = append(s.b, '\n')
			s.b = spillAt(s.b, out)
		}
	}
	return s.b
}

// trainRowValues are row k's values in trainColumns' order, NaN for a
// value the row does not have.
func trainRowValues(r *train.RunResult, k int) [6]float64 {
	nan := math.NaN()
	v := [6]float64{r.Loss[k], nan, nan, nan, r.Points[k].X, r.Points[k].Y}
	if k > 0 {
		v[1] = r.BatchLoss[k-1]
	}
	if r.ValLoss != nil {
		v[2] = r.ValLoss[k]
	}
	if r.Accuracy != nil {
		v[3] = r.Accuracy[k]
	}
	return v
}

// appendCSVField quotes a field holding a comma or a quote, as RFC 4180
// asks ("layer1.weight[3,1]").
func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
