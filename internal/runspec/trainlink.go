package runspec

import (
	"errors"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/basin-dev/basin/internal/optim"
)

// TrainPermalinkVersion is the version of the training permalink, written
// as its first parameter, "train" (which also tells a training link from a
// function's). When the encoding changes, bump it and keep reading the old
// versions.
const TrainPermalinkVersion = 1

// PermalinkDataLimit bounds the numbers a training permalink carries in
// "points", "params" and "batches" together: 2,000 numbers keep a link
// under about 16 KB, which browsers, servers and chat tools pass on. Larger
// given data do not fit a link (EncodeTrainQuery says so with
// ErrTooLargeForLink): the page offers the request as a JSON file instead.
const PermalinkDataLimit = 2000

// ErrTooLargeForLink is EncodeTrainQuery's answer for a request whose given
// data (points, params, batches or CSV text) a link cannot carry.
var ErrTooLargeForLink = errors.New("the request's given data are too large for a link: download it as JSON")

// TrainQueryParams are the training permalink's parameters, in the order
// written (docs/API.md):
//
//	train=1                                   version
//	data=moons(n=200,noise=0.1,seed=1,...)    a generator, its settings in the order given; data=penguins for real data
//	points=x,y/x,y/...  or  x1,x2,l/...       given rows (instead of data)
//	std=true  val=0.2  vseed=3                standardize, validation fraction and seed
//	model=mlp  hidden=8,8  act=tanh           the model
//	init=7  or  params=0.1,-0.2,...           an initialization seed, or the parameters
//	batches=0,1,2/3,4/...                     explicit batches (instead of steps, epochs, bs, shuffle)
//	steps=100  epochs=20  bs=32  shuffle=1    minibatching
//	lr=0.05  sched=step(step_size=10)  clip=1 shared learning rate, schedule, gradient clipping
//	opt=adam(betas=0.9/0.999)  opt=sgd ...    optimizers, as in run permalinks
//	slice=pca(optimizer=0,seed=2)  grid=64    the landscape
//	box=-1,2,-0.5,1.5                         the landscape's box
//	line=40                                   each run's straight line from start to end
var TrainQueryParams = []string{"train", "data", "points", "std", "val", "vseed", "model", "hidden", "act",
	"init", "params", "batches", "steps", "epochs", "bs", "shuffle", "lr", "sched", "clip", "opt", "slice", "grid", "box", "line"}

// EncodeTrainQuery writes s as a training permalink query (without "?"):
// given fields only, in TrainQueryParams' order, numbers in the shortest
// form that reads back to the same float64. A request whose given data
// exceed PermalinkDataLimit, or that carries CSV text, gives
// ErrTooLargeForLink.
func EncodeTrainQuery(s TrainSpec) (string, error) {
	carried := len(s.Init.Params)
	for _, r := range s.Dataset.Points {
		carried += len(r)
	}
	for _, bt := range s.Batches {
		carried += max(1, len(bt))
	}
	if carried > PermalinkDataLimit || s.Dataset.CSV != "" {
		return "", ErrTooLargeForLink
	}
	for i, r := range s.Dataset.Points {
		if len(r) == 0 {
			return "", Errorf("dataset.points["+strconv.Itoa(i)+"]", "dataset.points[%d] is empty and has no form in a link", i)
		}
	}
	for i, bt := range s.Batches {
		if len(bt) == 0 {
			return "", Errorf("batches["+strconv.Itoa(i)+"]", "batches[%d] is empty and has no form in a link", i)
		}
	}
	if err := s.linkNames(); err != nil {
		return "", err
	}
	var b []byte
	add := func(name string) {
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(b, name...)
		b = append(b, '=')
	}
	addInt := func(name string, v *int64) {
		if v != nil {
			add(name)
			b = strconv.AppendInt(b, *v, 10)
		}
	}
	addNumber := func(name string, v *float64) {
		if v != nil {
			add(name)
			b = appendEscapedNumber(b, *v)
		}
	}
	add("train")
	b = strconv.AppendInt(b, TrainPermalinkVersion, 10)
	d := s.Dataset
	if d.Name != "" || d.N != nil || d.Noise != nil || d.Seed != nil || len(d.Params) > 0 {
		add("data")
		b = d.appendQuery(b)
	}
	if len(d.Points) > 0 {
		add("points")
		for i, r := range d.Points {
			if i > 0 {
				b = append(b, '/')
			}
			b = appendList(b, r, ',')
		}
	}
	if s.Standardize != nil {
		add("std")
		b = strconv.AppendBool(b, *s.Standardize)
	}
	addNumber("val", s.Validation)
	addInt("vseed", s.ValidationSeed)
	if s.Model.Kind != "" {
		add("model")
		b = appendEscaped(b, s.Model.Kind)
	}
	if len(s.Model.Hidden) > 0 {
		add("hidden")
		for i, h := range s.Model.Hidden {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(h), 10)
		}
	}
	if s.Model.Activation != "" {
		add("act")
		b = appendEscaped(b, s.Model.Activation)
	}
	addInt("init", s.Init.Seed)
	if len(s.Init.Params) > 0 {
		add("params")
		b = appendList(b, s.Init.Params, ',')
	}
	if s.Batches != nil {
		add("batches")
		for i, bt := range s.Batches {
			if i > 0 {
				b = append(b, '/')
			}
			for j, r := range bt {
				if j > 0 {
					b = append(b, ',')
				}
				b = strconv.AppendInt(b, int64(r), 10)
			}
		}
	}
	addInt("steps", s.Steps)
	addInt("epochs", s.Epochs)
	addInt("bs", s.BatchSize)
	addInt("shuffle", s.ShuffleSeed)
	addNumber("lr", s.LR)
	if s.Schedule != nil {
		add("sched")
		b = s.Schedule.appendQuery(b)
	}
	addNumber("clip", s.ClipNorm)
	for _, o := range s.Optimizers {
		add("opt")
		b = o.appendQuery(b)
	}
	if sl := s.Slice; sl.Kind != "" || sl.Optimizer != nil || sl.Seed != nil {
		add("slice")
		b = appendEscaped(b, sl.Kind)
		sep := byte('(')
		for _, f := range []struct {
			name string
			v    *int64
		}{{"optimizer", sl.Optimizer}, {"seed", sl.Seed}} {
			if f.v != nil {
				b = append(b, sep)
				sep = ','
				b = append(b, f.name...)
				b = append(b, '=')
				b = strconv.AppendInt(b, *f.v, 10)
			}
		}
		if sep == ',' {
			b = append(b, ')')
		}
	}
	addInt("grid", s.Grid)
	if s.Box != nil {
		add("box")
		b = appendList(b, s.Box, ',')
	}
	addInt("line", s.Line)
	return string(b), nil
}

// appendQuery writes name(n=...,noise=...,seed=...,own=...), or the bare
// name.
func (d TrainDataset) appendQuery(b []byte) []byte {
	b = appendEscaped(b, d.Name)
	sep := byte('(')
	next := func(name string) {
		b = append(b, sep)
		sep = ','
		b = append(b, name...)
		b = append(b, '=')
	}
	if d.N != nil {
		next("n")
		b = strconv.AppendInt(b, *d.N, 10)
	}
	if d.Noise != nil {
		next("noise")
		b = appendEscapedNumber(b, *d.Noise)
	}
	if d.Seed != nil {
		next("seed")
		b = strconv.AppendInt(b, *d.Seed, 10)
	}
	for _, p := range d.Params {
		next(p.Name)
		b = appendEscapedNumber(b, p.Value[0])
	}
	if sep == ',' {
		b = append(b, ')')
	}
	return b
}

// IsTrainQuery reports whether a permalink query is a training link.
func IsTrainQuery(q url.Values) bool { return q.Has("train") }

// DecodeTrainQuery reads a training permalink. View parameters are
// ignored; an unknown or repeated parameter (other than opt) or a
// malformed value is an error naming the request field it stands for.
func DecodeTrainQuery(q url.Values) (TrainSpec, error) {
	var s TrainSpec
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "opt" || name == "format" || IsViewParam(name) {
			continue
		}
		if !slices.Contains(TrainQueryParams, name) {
			if sg := Suggest(name, append(slices.Clone(TrainQueryParams), ViewParams...)); sg != "" {
				return s, Errorf(name, "unknown query parameter %q (did you mean %s?)", name, sg)
			}
			return s, Errorf(name, "unknown query parameter %q", name)
		}
		if len(q[name]) > 1 {
			return s, Errorf(name, "query parameter %q given %d times", name, len(q[name]))
		}
	}
	if v := q.Get("train"); v != strconv.Itoa(TrainPermalinkVersion) {
		return s, Errorf("train", "unsupported training permalink version train=%s (this server reads train=%d)", v, TrainPermalinkVersion)
	}
	var err error
	if q.Has("data") {
		if s.Dataset, err = parseDataQuery(q.Get("data")); err != nil {
			return s, err
		}
	}
	if q.Has("points") {
		if s.Dataset.Points, err = parseRows(q.Get("points"), "dataset.points", "points", parseNumber); err != nil {
			return s, err
		}
	}
	if q.Has("std") {
		switch v := q.Get("std"); v {
		case "true", "false":
			b := v == "true"
			s.Standardize = &b
		default:
			return s, Errorf("standardize", "std must be true or false, got %q", v)
		}
	}
	if s.Validation, err = queryNumber(q, "val", "validation"); err != nil {
		return s, err
	}
	if s.ValidationSeed, err = querySeed(q, "vseed", "validation_seed"); err != nil {
		return s, err
	}
	s.Model.Kind = q.Get("model")
	s.Model.Activation = q.Get("act")
	if q.Has("hidden") {
		for i, h := range strings.Split(q.Get("hidden"), ",") {
			v, err := strconv.Atoi(h)
			if err != nil {
				return s, Errorf("model.hidden["+strconv.Itoa(i)+"]", "hidden must be layer widths (integers) separated by commas, got %q", q.Get("hidden"))
			}
			s.Model.Hidden = append(s.Model.Hidden, v)
		}
	}
	if s.Init.Seed, err = querySeed(q, "init", "init.seed"); err != nil {
		return s, err
	}
	if q.Has("params") {
		rows, err := parseRows(q.Get("params"), "init.params", "params", parseNumber)
		if err != nil {
			return s, err
		}
		if len(rows) != 1 {
			return s, Errorf("init.params", "params must be numbers separated by commas")
		}
		s.Init.Params = rows[0]
	}
	if q.Has("batches") && q.Get("batches") == "" {
		s.Batches = [][]int{} // no steps at all, which differs from no batches
	} else if q.Has("batches") {
		rows, err := parseRows(q.Get("batches"), "batches", "batches", parseIndex)
		if err != nil {
			return s, err
		}
		s.Batches = make([][]int, len(rows))
		for i, r := range rows {
			s.Batches[i] = make([]int, len(r))
			for j, v := range r {
				s.Batches[i][j] = int(v)
			}
		}
	}
	for _, f := range []struct {
		param, field string
		dst          **int64
	}{{"steps", "steps", &s.Steps}, {"epochs", "epochs", &s.Epochs}, {"bs", "batch_size", &s.BatchSize}, {"grid", "grid", &s.Grid}, {"line", "line", &s.Line}} {
		if *f.dst, err = queryInt(q, f.param, f.field); err != nil {
			return s, err
		}
	}
	if q.Has("box") {
		parts := strings.Split(q.Get("box"), ",")
		if len(parts) != 4 {
			return s, Errorf("box", "box must be 4 numbers amin,amax,bmin,bmax separated by commas, got %q", q.Get("box"))
		}
		s.Box = make([]float64, 4)
		for i, p := range parts {
			if s.Box[i], err = parseNumber("box["+strconv.Itoa(i)+"]", p); err != nil {
				return s, err
			}
		}
	}
	if s.ShuffleSeed, err = querySeed(q, "shuffle", "shuffle_seed"); err != nil {
		return s, err
	}
	if s.LR, err = queryNumber(q, "lr", "lr"); err != nil {
		return s, err
	}
	if s.ClipNorm, err = queryNumber(q, "clip", "clip_norm"); err != nil {
		return s, err
	}
	if q.Has("sched") {
		o, err := parseNamed("schedule", "sched", q.Get("sched"))
		if err != nil {
			return s, err
		}
		s.Schedule = &o
	}
	opts := q["opt"]
	if len(opts) > OptimizersLimit {
		return s, Errorf("optimizers", "optimizers must list 1 to %d optimizers, got %d", OptimizersLimit, len(opts))
	}
	for i, raw := range opts {
		o, err := parseNamed("optimizers["+strconv.Itoa(i)+"]", "opt", raw)
		if err != nil {
			return s, err
		}
		s.Optimizers = append(s.Optimizers, o)
	}
	if q.Has("slice") {
		if s.Slice, err = parseSliceQuery(q.Get("slice")); err != nil {
			return s, err
		}
	}
	return s, nil
}

// parseDataQuery reads data=name(k=v,...): n and seed are integers, noise
// a number, and every other setting a generator's own.
func parseDataQuery(raw string) (TrainDataset, error) {
	var d TrainDataset
	o, err := parseNamedOptional("dataset", "data", raw)
	if err != nil {
		return d, err
	}
	d.Name = o.Name
	for _, p := range o.Params {
		path := "dataset." + p.Name
		if p.Kind != optim.Number {
			return d, Errorf(path, "%s must be a number", path)
		}
		v := p.Value[0]
		switch p.Name {
		case "n", "seed":
			if v != math.Trunc(v) || math.Abs(v) > intLimit {
				return d, Errorf(path, "%s must be an integer, got %s", path, FormatNumber(v))
			}
			n := int64(v)
			if p.Name == "n" {
				d.N = &n
			} else {
				if n < 0 || n > SeedLimit {
					return d, Errorf(path, "%s must be an integer in [0, %d], got %d", path, int64(SeedLimit), n)
				}
				d.Seed = &n
			}
		case "noise":
			d.Noise = &v
		case "points", "csv", "name":
			return d, Errorf(path, "%s cannot be given inside data=(...)", path)
		default:
			d.Params = append(d.Params, p)
		}
	}
	return d, nil
}

// parseSliceQuery reads slice=kind(optimizer=i,seed=s).
func parseSliceQuery(raw string) (TrainSlice, error) {
	var sl TrainSlice
	o, err := parseNamedOptional("slice", "slice", raw)
	if err != nil {
		return sl, err
	}
	sl.Kind = o.Name
	for _, p := range o.Params {
		path := "slice." + p.Name
		v := p.Value[0]
		if p.Kind != optim.Number || v != math.Trunc(v) || math.Abs(v) > intLimit {
			return sl, Errorf(path, "%s must be an integer", path)
		}
		n := int64(v)
		switch p.Name {
		case "optimizer":
			sl.Optimizer = &n
		case "seed":
			if n < 0 || n > SeedLimit {
				return sl, Errorf(path, "%s must be an integer in [0, %d], got %d", path, int64(SeedLimit), n)
			}
			sl.Seed = &n
		default:
			return sl, unknownField("slice", p.Name, sliceFields[1:])
		}
	}
	return sl, nil
}

// parseRows reads rows separated by '/' of values separated by ',', each
// read by parse; errors name the value as field[i][j] (field[j] for one
// row of params).
func parseRows(raw, field, param string, parse func(field, s string) (float64, error)) ([][]float64, error) {
	var rows [][]float64
	count := 0
	for i, r := range strings.Split(raw, "/") {
		var row []float64
		if r == "" && param == "batches" {
			return nil, Errorf(field+"["+strconv.Itoa(i)+"]", "%s[%d] is empty: every step needs at least one row", field, i)
		}
		for j, v := range strings.Split(r, ",") {
			if count++; count > PermalinkDataLimit {
				return nil, Errorf(field, "%s carries more than %d numbers: a link holds at most that many", param, PermalinkDataLimit)
			}
			path := field + "[" + strconv.Itoa(i) + "][" + strconv.Itoa(j) + "]"
			if param == "params" {
				path = field + "[" + strconv.Itoa(j) + "]"
			}
			x, err := parse(path, v)
			if err != nil {
				return nil, err
			}
			row = append(row, x)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// parseIndex reads a row index of a batch.
func parseIndex(field, s string) (float64, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > 1<<30 {
		return 0, Errorf(field, "%s must be a row index (an integer >= 0), got %q", field, s)
	}
	return float64(v), nil
}

func querySeed(q url.Values, param, field string) (*int64, error) {
	v, err := queryInt(q, param, field)
	if err == nil && v != nil && (*v < 0 || *v > SeedLimit) {
		return nil, Errorf(field, "%s must be an integer in [0, %d], got %d", field, int64(SeedLimit), *v)
	}
	return v, err
}

// parseNamedOptional is parseNamed where the name may be left out,
// "(k=v,...)", as a request may give a dataset's or a slice's settings
// and leave its name to the default.
func parseNamedOptional(field, param, raw string) (OptimizerSpec, error) {
	if !strings.HasPrefix(raw, "(") {
		return parseNamed(field, param, raw)
	}
	o, err := parseNamed(field, param, "x"+raw)
	o.Name = ""
	return o, err
}

// linkName is what a name in name(k=v,...) may hold: every optimizer,
// schedule, dataset, slice kind and parameter Basin knows is such a name.
var linkName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// linkNames refuses names that name(k=v,...) cannot carry; none of them is
// a name Basin knows, so such a request would be refused anyway.
func (s TrainSpec) linkNames() error {
	bad := func(field, name string, optional bool) error {
		if (optional && name == "") || linkName.MatchString(name) {
			return nil
		}
		return Errorf(field, "%s %q has no form in a link", field, name)
	}
	check := func(field string, o OptimizerSpec) error {
		if err := bad(field+".name", o.Name, false); err != nil {
			return err
		}
		for _, p := range o.Params {
			if err := bad(field+"."+p.Name, p.Name, false); err != nil {
				return err
			}
		}
		return nil
	}
	errs := []error{bad("dataset.name", s.Dataset.Name, true), bad("slice.kind", s.Slice.Kind, true)}
	for _, p := range s.Dataset.Params {
		errs = append(errs, bad("dataset."+p.Name, p.Name, false))
	}
	for i, o := range s.Optimizers {
		errs = append(errs, check("optimizers["+strconv.Itoa(i)+"]", o))
	}
	if s.Schedule != nil {
		errs = append(errs, check("schedule", *s.Schedule))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
