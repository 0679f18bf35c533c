package runspec

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/train"
)

// TrainBytesLimit bounds a training request's body and websocket message:
// 10,000 rows of three numbers, written with every digit, and their
// batches fit; the 64 KiB of other requests do not.
const TrainBytesLimit = 4 << 20

// TrainSpec is a request to train models on data (POST /api/v1/train, the
// websocket's train job, a training permalink). Like Spec it keeps what
// the client wrote: nil pointers and slices are "not given" and take the
// engine's documented defaults (internal/train), an explicit 0 stays 0,
// and optimizers keep their parameters in the order given so a permalink
// reads as written.
type TrainSpec struct {
	Dataset        TrainDataset
	Standardize    *bool
	Validation     *float64
	ValidationSeed *int64
	Model          TrainModel
	Init           TrainInit
	Batches        [][]int
	Steps          *int64
	Epochs         *int64
	BatchSize      *int64
	ShuffleSeed    *int64
	LR             *float64
	Optimizers     []OptimizerSpec
	Schedule       *OptimizerSpec
	ClipNorm       *float64
	Slice          TrainSlice
	Grid           *int64
	// Box is "box", the landscape's [amin, amax, bmin, bmax]; nil when
	// not given.
	Box  []float64
	Line *int64
}

// TrainDataset is "dataset": a generator's name with its settings, a real
// dataset's name alone, given points or CSV text.
type TrainDataset struct {
	Name  string
	N     *int64
	Noise *float64
	Seed  *int64
	// Params are the generator's own settings ("separation"), in the
	// order given.
	Params []ParamSpec
	Points [][]float64
	CSV    string
}

// TrainModel is "model".
type TrainModel struct {
	Kind       string
	Hidden     []int
	Activation string
}

// TrainInit is "init": a seed for PyTorch's default initialization, or the
// parameters themselves.
type TrainInit struct {
	Seed   *int64
	Params []float64
}

// TrainSlice is "slice": the plane the landscape is drawn on.
type TrainSlice struct {
	Kind      string
	Optimizer *int64
	Seed      *int64
}

// Field names of a training request, in the order they are written.
var (
	trainFields   = []string{"dataset", "standardize", "validation", "validation_seed", "model", "init", "batches", "steps", "epochs", "batch_size", "shuffle_seed", "lr", "schedule", "optimizers", "clip_norm", "slice", "grid", "box", "line"}
	datasetFields = []string{"name", "n", "noise", "seed", "points", "csv"}
	modelFields   = []string{"kind", "hidden", "activation"}
	initFields    = []string{"seed", "params"}
	sliceFields   = []string{"kind", "optimizer", "seed"}
)

// intLimit bounds the integers a training request may write before the
// engine checks their own ranges: far beyond every limit, so the engine's
// message (which states the range) is the one a user sees, and small
// enough that no conversion overflows.
const intLimit = 1 << 53

// DecodeTrain decodes a JSON training request. Unknown, duplicate and
// mistyped fields, integers that are not integers, numbers out of float64's
// range and data rows of the wrong shape are errors naming the field
// ("dataset.points[17][1]"); the engine checks the ranges when the spec is
// resolved (Train), with messages that name the field and the range.
func DecodeTrain(raw []byte) (TrainSpec, error) {
	s, _, err := DecodeTrainJob(raw, nil)
	return s, err
}

// DecodeTrainJob is DecodeTrain for the jobs that take a training request
// plus fields of their own (named in extra, returned apart): a sweep's
// lr_min, a basin map's grid. A name in extra is the job's even where the
// training request has a field of that name.
func DecodeTrainJob(raw []byte, extra []string) (TrainSpec, JobFields, error) {
	var s TrainSpec
	own := JobFields{}
	if len(raw) > TrainBytesLimit {
		return s, nil, Errorf("", "a training request must be at most %d bytes", TrainBytesLimit)
	}
	if !json.Valid(raw) {
		// Python's json module, NumPy and R write NaN and Infinity as bare
		// words. Read as strings they fail where they stand, so the error
		// names the row and column rather than a byte offset.
		quoted, ok := quoteNonFinite(raw)
		if !ok || !json.Valid(quoted) {
			return s, nil, SyntaxError(raw)
		}
		raw = quoted
	}
	ms, ok := ObjectMembers(raw)
	if !ok {
		return s, nil, Errorf("", "the training request must be a JSON object")
	}
	if err := noDuplicates("", ms); err != nil {
		return s, nil, err
	}
	for _, m := range ms {
		if slices.Contains(extra, m.Name) {
			own[m.Name] = m.Value
			continue
		}
		var err error
		switch m.Name {
		case "dataset":
			s.Dataset, err = decodeDataset(m.Value)
		case "standardize":
			s.Standardize, err = decodeBool("standardize", m.Value)
		case "validation":
			s.Validation, err = numberAt("validation", m.Value)
		case "validation_seed":
			s.ValidationSeed, err = seedAt("validation_seed", m.Value)
		case "model":
			s.Model, err = decodeModel(m.Value)
		case "init":
			s.Init, err = decodeInit(m.Value)
		case "batches":
			s.Batches, err = decodeBatches(m.Value)
		case "steps":
			s.Steps, err = intAt("steps", m.Value)
		case "epochs":
			s.Epochs, err = intAt("epochs", m.Value)
		case "batch_size":
			s.BatchSize, err = intAt("batch_size", m.Value)
		case "shuffle_seed":
			s.ShuffleSeed, err = seedAt("shuffle_seed", m.Value)
		case "lr":
			s.LR, err = numberAt("lr", m.Value)
		case "clip_norm":
			s.ClipNorm, err = numberAt("clip_norm", m.Value)
		case "optimizers":
			s.Optimizers, err = decodeTrainOptimizers(m.Value)
		case "schedule":
			if !isNull(m.Value) {
				var o OptimizerSpec
				o, err = decodeNamed("schedule", m.Value)
				s.Schedule = &o
			}
		case "slice":
			s.Slice, err = decodeSlice(m.Value)
		case "grid":
			s.Grid, err = intAt("grid", m.Value)
		case "box":
			if !isNull(m.Value) {
				s.Box, err = decodeNumbers(m, 4, "[amin, amax, bmin, bmax] of the landscape's two coordinates")
			}
		case "line":
			s.Line, err = intAt("line", m.Value)
		default:
			err = unknownField("", m.Name, append(slices.Clone(extra), trainFields...))
		}
		if err != nil {
			return s, nil, err
		}
	}
	return s, own, nil
}

// noDuplicates refuses a repeated member, which encoding/json would
// silently resolve to the last.
func noDuplicates(field string, ms []Member) error {
	for i, m := range ms {
		for _, prev := range ms[:i] {
			if prev.Name == m.Name {
				return Errorf(join(field, m.Name), "duplicate field %q", join(field, m.Name))
			}
		}
	}
	return nil
}

// members splits the object at path, refusing duplicates; null gives none.
func members(path string, raw json.RawMessage) ([]Member, error) {
	if isNull(raw) {
		return nil, nil
	}
	ms, ok := ObjectMembers(raw)
	if !ok {
		return nil, Errorf(path, "%s must be an object", path)
	}
	return ms, noDuplicates(path, ms)
}

func decodeDataset(raw json.RawMessage) (TrainDataset, error) {
	var d TrainDataset
	ms, err := members("dataset", raw)
	if err != nil {
		return d, err
	}
	var generator []Member // names not of datasetFields: a generator's own settings
	for _, m := range ms {
		path := "dataset." + m.Name
		switch m.Name {
		case "name":
			d.Name, err = stringAt(path, m.Value)
		case "n":
			d.N, err = intAt(path, m.Value)
		case "noise":
			d.Noise, err = numberAt(path, m.Value)
		case "seed":
			d.Seed, err = seedAt(path, m.Value)
		case "points":
			d.Points, err = decodePoints(m.Value)
		case "csv":
			d.CSV, err = stringAt(path, m.Value)
		default:
			generator = append(generator, m)
		}
		if err != nil {
			return d, err
		}
	}
	own := generatorParams(d.Name)
	for _, m := range generator {
		path := "dataset." + m.Name
		if !slices.Contains(own, m.Name) {
			return d, unknownField("dataset", m.Name, append(slices.Clone(datasetFields), own...))
		}
		v, err := numberAt(path, m.Value)
		if err != nil {
			return d, err
		}
		if v != nil {
			d.Params = append(d.Params, ParamSpec{Name: m.Name, Kind: optim.Number, Value: [2]float64{*v}})
		}
	}
	return d, nil
}

// generatorParams names the settings of generator name beyond n, noise
// and seed (none for another name).
func generatorParams(name string) []string {
	var out []string
	for _, g := range data.Generators() {
		if g.Name == name {
			for _, p := range g.Params {
				out = append(out, p.Name)
			}
		}
	}
	return out
}

// decodePoints reads rows of numbers, naming the row and column of a value
// that is not a finite number.
func decodePoints(raw json.RawMessage) ([][]float64, error) {
	if isNull(raw) {
		return nil, nil
	}
	rows, ok := arrayItems(raw)
	if !ok {
		return nil, Errorf("dataset.points", "dataset.points must be an array of rows [x, y] or [x1, x2, label]")
	}
	if len(rows) > data.MaxRows {
		return nil, Errorf("dataset.points", "dataset.points must have %d to %d rows, got %d", data.MinRows, data.MaxRows, len(rows))
	}
	out := make([][]float64, len(rows))
	flat := make([]float64, 0, 3*len(rows))
	for i, r := range rows {
		path := "dataset.points[" + strconv.Itoa(i) + "]"
		vals, ok := arrayItems(r)
		if !ok || len(vals) > 3 {
			return nil, Errorf(path, "%s must be a row [x, y] or [x1, x2, label], got %s", path, clip(r))
		}
		start := len(flat)
		for j, v := range vals {
			x, ok := jsonNumber(v)
			if !ok {
				p := path + "[" + strconv.Itoa(j) + "]"
				return nil, Errorf(p, "%s (row %d, column %d) must be a finite number, got %s", p, i, j+1, clip(v))
			}
			flat = append(flat, x)
		}
		out[i] = flat[start:len(flat):len(flat)]
	}
	return out, nil
}

func decodeModel(raw json.RawMessage) (TrainModel, error) {
	var m TrainModel
	ms, err := members("model", raw)
	if err != nil {
		return m, err
	}
	for _, mb := range ms {
		path := "model." + mb.Name
		switch mb.Name {
		case "kind":
			m.Kind, err = stringAt(path, mb.Value)
		case "activation":
			m.Activation, err = stringAt(path, mb.Value)
		case "hidden":
			if isNull(mb.Value) {
				continue
			}
			items, ok := arrayItems(mb.Value)
			if !ok {
				return m, Errorf(path, "model.hidden must be an array of layer widths, got %s", clip(mb.Value))
			}
			if len(items) > model.MaxHiddenLayers {
				return m, Errorf(path, "model.hidden must list 1 to %d layer widths, got %d", model.MaxHiddenLayers, len(items))
			}
			m.Hidden = make([]int, len(items))
			for i, it := range items {
				v, err := intAt(path+"["+strconv.Itoa(i)+"]", it)
				if err != nil {
					return m, err
				}
				if v == nil {
					return m, Errorf(path+"["+strconv.Itoa(i)+"]", "%s[%d] must be an integer in [%d, %d]", path, i, model.MinUnits, model.MaxUnits)
				}
				m.Hidden[i] = int(*v)
			}
		default:
			err = unknownField("model", mb.Name, modelFields)
		}
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

func decodeInit(raw json.RawMessage) (TrainInit, error) {
	var in TrainInit
	ms, err := members("init", raw)
	if err != nil {
		return in, err
	}
	for _, m := range ms {
		switch m.Name {
		case "seed":
			in.Seed, err = seedAt("init.seed", m.Value)
		case "params":
			if isNull(m.Value) {
				continue
			}
			items, ok := arrayItems(m.Value)
			if !ok {
				return in, Errorf("init.params", "init.params must be an array of numbers")
			}
			in.Params = make([]float64, len(items))
			for i, it := range items {
				v, ok := jsonNumber(it)
				if !ok {
					p := "init.params[" + strconv.Itoa(i) + "]"
					return in, Errorf(p, "%s must be a finite number, got %s", p, clip(it))
				}
				in.Params[i] = v
			}
		default:
			err = unknownField("init", m.Name, initFields)
		}
		if err != nil {
			return in, err
		}
	}
	return in, nil
}

// decodeBatches reads the explicit batches: arrays of row indices.
func decodeBatches(raw json.RawMessage) ([][]int, error) {
	if isNull(raw) {
		return nil, nil
	}
	items, ok := arrayItems(raw)
	if !ok {
		return nil, Errorf("batches", "batches must be an array of batches, each an array of row indices")
	}
	if len(items) > train.MaxSteps {
		return nil, Errorf("batches", "batches must have at most %d batches (one per step), got %d", train.MaxSteps, len(items))
	}
	out := make([][]int, len(items))
	for i, it := range items {
		path := "batches[" + strconv.Itoa(i) + "]"
		idx, ok := arrayItems(it)
		if !ok {
			return nil, Errorf(path, "%s must be an array of row indices, got %s", path, clip(it))
		}
		out[i] = make([]int, len(idx))
		for j, x := range idx {
			v, err := strconv.ParseInt(string(x), 10, 64)
			if err != nil || v < 0 || v > data.MaxRows {
				p := path + "[" + strconv.Itoa(j) + "]"
				return nil, Errorf(p, "%s must be a row index, an integer in [0, %d], got %s", p, data.MaxRows-1, clip(x))
			}
			out[i][j] = int(v)
		}
	}
	return out, nil
}

func decodeSlice(raw json.RawMessage) (TrainSlice, error) {
	var sl TrainSlice
	ms, err := members("slice", raw)
	if err != nil {
		return sl, err
	}
	for _, m := range ms {
		switch m.Name {
		case "kind":
			sl.Kind, err = stringAt("slice.kind", m.Value)
		case "optimizer":
			sl.Optimizer, err = intAt("slice.optimizer", m.Value)
		case "seed":
			sl.Seed, err = seedAt("slice.seed", m.Value)
		default:
			err = unknownField("slice", m.Name, sliceFields)
		}
		if err != nil {
			return sl, err
		}
	}
	return sl, nil
}

func decodeTrainOptimizers(raw json.RawMessage) ([]OptimizerSpec, error) {
	if isNull(raw) {
		return nil, nil
	}
	items, ok := arrayItems(raw)
	if !ok {
		return nil, Errorf("optimizers", "optimizers must be an array of objects")
	}
	if len(items) > train.MaxOptimizers {
		return nil, Errorf("optimizers", "optimizers must list 1 to %d optimizers, got %d", train.MaxOptimizers, len(items))
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

func stringAt(path string, raw json.RawMessage) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	if raw[0] != '"' {
		return "", Errorf(path, "%s must be a string, got %s", path, clip(raw))
	}
	return Unquote(raw), nil
}

func decodeBool(path string, raw json.RawMessage) (*bool, error) {
	switch string(raw) {
	case "null":
		return nil, nil
	case "true", "false":
		v := string(raw) == "true"
		return &v, nil
	}
	return nil, Errorf(path, "%s must be true or false, got %s", path, clip(raw))
}

func numberAt(path string, raw json.RawMessage) (*float64, error) {
	if isNull(raw) {
		return nil, nil
	}
	v, ok := jsonNumber(raw)
	if !ok {
		return nil, Errorf(path, "%s must be a finite number, got %s", path, clip(raw))
	}
	return &v, nil
}

// intAt reads an integer; its range is the engine's to check, up to
// intLimit.
func intAt(path string, raw json.RawMessage) (*int64, error) {
	if isNull(raw) {
		return nil, nil
	}
	v, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil || v < -intLimit || v > intLimit {
		// An integer-valued number such as 32.0 or 1e2 is still refused:
		// the request says exactly what runs, and a count is written as one.
		return nil, Errorf(path, "%s must be an integer, got %s", path, clip(raw))
	}
	return &v, nil
}

// seedAt reads a seed: an integer in [0, SeedLimit], which JavaScript holds
// exactly.
func seedAt(path string, raw json.RawMessage) (*int64, error) {
	v, err := intAt(path, raw)
	if err == nil && v != nil && (*v < 0 || *v > SeedLimit) {
		return nil, Errorf(path, "%s must be an integer in [0, %d], got %d", path, int64(SeedLimit), *v)
	}
	return v, err
}

// quoteNonFinite returns raw with every bare NaN, Infinity and -Infinity
// outside strings turned into a string ("NaN"), and whether there was one.
func quoteNonFinite(raw []byte) ([]byte, bool) {
	out := make([]byte, 0, len(raw)+16)
	found := false
	for i := 0; i < len(raw); {
		c := raw[i]
		if c == '"' {
			end := stringEnd(raw, i)
			out = append(out, raw[i:end]...)
			i = end
			continue
		}
		matched := false
		for _, w := range []string{"NaN", "Infinity", "-Infinity"} {
			if len(raw)-i >= len(w) && string(raw[i:i+len(w)]) == w {
				out = append(out, '"')
				out = append(out, w...)
				out = append(out, '"')
				i += len(w)
				found, matched = true, true
				break
			}
		}
		if !matched {
			out = append(out, c)
			i++
		}
	}
	return out, found
}
