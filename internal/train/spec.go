// Package train trains models on data with Basin's optimizers, minibatch by
// minibatch, records every step, and computes the landscape the paths are
// drawn on: the exact loss over the two parameters of linear and logistic
// regression, or a 2D slice of a network's parameter space. It is the
// engine below the API: it knows no HTTP or JSON, and its errors name the
// fields of the JSON training request.
package train

import (
	"fmt"
	"strings"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/model"
	"github.com/basin-dev/basin/internal/optim"
)

// Limits of a training request, besides those of its dataset
// (data.MaxRows and friends) and model (model.MaxHiddenLayers and
// model.MaxUnits).
const (
	// MaxSteps bounds the steps of one run, as for runs on functions.
	MaxSteps = optim.MaxSteps
	// MaxRecorded bounds the values recorded over all runs: rows x
	// (parameters + 4 per-row series). 4,000,000 float64 are 32 MB in
	// memory and about 80 MB of JSON, the most a page can take.
	MaxRecorded = 4_000_000
	// MaxOptimizers bounds the runs of one request.
	MaxOptimizers = 8
	// MinGrid and MaxGrid bound "grid": nodes per side of the landscape.
	MinGrid = 2
	MaxGrid = 256
	// MaxRequestBytes is the body and message limit a transport should
	// apply to training requests: 10,000 rows of given data and a
	// network's explicit initial parameters do not fit the 64 KiB of a run
	// request.
	MaxRequestBytes = 4 << 20
	// MaxEpochs bounds "epochs"; the steps they make are bounded by
	// MaxSteps too.
	MaxEpochs = 10_000
)

// Defaults of a training request.
const (
	// DefaultEpochs is the number of epochs when neither epochs, steps nor
	// batches is given.
	DefaultEpochs = 20
	// DefaultLR is the shared learning rate when neither lr nor an
	// optimizer's own lr is given: PyTorch's defaults (Adam's 0.001) are
	// tuned for large networks and barely move a small model in the steps
	// a page shows.
	DefaultLR = 0.05
)

// Slice kinds.
const (
	SliceParams = "params" // the two parameters themselves (linear, logistic)
	SlicePCA    = "pca"    // the plane of the paths' two principal directions
	SliceRandom = "random" // two filter-normalised random directions
)

// Spec is one training request. It mirrors the JSON contract field by
// field; nil pointers mean "not given" and take the documented default,
// an explicit 0 stays 0.
type Spec struct {
	Dataset     Dataset
	Standardize bool    // "standardize": scale each feature to mean 0, std 1
	Validation  float64 // "validation": fraction of rows held out, 0 = none
	SplitSeed   uint64  // "validation_seed": seeds which rows are held out
	Model       model.Spec
	Init        Init
	Batches     [][]int  // "batches": explicit row indices per step
	BatchSize   *int     // "batch_size": 1..rows; nil = every row (full batch)
	Epochs      *int     // "epochs": 1..MaxEpochs; nil = DefaultEpochs unless steps is given
	Steps       *int     // "steps": 0..MaxSteps, exclusive with epochs
	ShuffleSeed *uint64  // "shuffle_seed": nil = 0
	LR          *float64 // "lr": shared learning rate, for optimizers without their own
	Optimizers  []Optimizer
	Schedule    *Schedule // "schedule": nil = constant
	ClipNorm    float64   // "clip_norm": 0 = off
	Slice       Slice
	Grid        int // "grid": 0 = no landscape, else MinGrid..MaxGrid
	// Box is "box": the landscape's [amin, amax, bmin, bmax] on the
	// slice's plane (needs a grid); nil frames every run's path and the
	// critical points.
	Box *[4]float64
	// Line is "line": 0 = none, else the intervals per unit of the
	// straight line from each run's start to its end (MinLine..MaxLine).
	Line int
	// Judge, when not nil, makes the judge of each run's outcome (see
	// Judge); nil uses RestJudge for full-batch training and the noisy-run
	// rule for minibatch training.
	Judge func() Judge
	// Progress, when not nil, is called from Run's goroutine after every
	// progressEvery steps with the steps done over all runs and their
	// total, so a long request can show progress.
	Progress func(done, total int)
}

// Dataset names a dataset: a generator's (Name plus its settings), a real
// one's (Name alone) or given rows (Points, or CSV text).
type Dataset struct {
	Name   string
	N      *int
	Noise  *float64
	Seed   uint64
	Params map[string]float64 // a generator's own settings, e.g. "separation"
	Points [][]float64
	CSV    string
}

// Init gives the initial parameters: drawn from Seed (PyTorch's default
// nn.Linear distribution) or explicit Params, never both.
type Init struct {
	Seed   *uint64
	Params []float64
}

// Optimizer is one run's optimizer: a registry name (optim.List) and the
// hyperparameters given.
type Optimizer struct {
	Name   string
	Values optim.Values
}

// Schedule is a learning-rate schedule (optim.Schedules) and its settings.
type Schedule struct {
	Name   string
	Values optim.Values
}

// Slice chooses the landscape's plane. Kind "" takes SliceParams for the
// two-parameter models and SlicePCA for networks.
type Slice struct {
	Kind      string
	Optimizer int    // "slice.optimizer": the run whose final parameters are the origin
	Seed      uint64 // "slice.seed": the random directions' seed
}

// FieldError is an invalid request field. Field is its path in the JSON
// request ("model.hidden[1]", "optimizers[0].lr", "dataset.points[3][2]")
// and Msg says what is allowed, starting with the path.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Msg }

func fieldErrorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Msg: field + " " + fmt.Sprintf(format, args...)}
}

// prefixed re-homes a package's field error under a request path. A
// message that does not start with its field gets the full path in front.
func prefixed(prefix, field, msg string) *FieldError {
	if strings.HasPrefix(msg, field) {
		return &FieldError{Field: prefix + "." + field, Msg: prefix + "." + msg}
	}
	return &FieldError{Field: prefix + "." + field, Msg: prefix + "." + field + ": " + msg}
}

// loadDataset builds the dataset a spec names. Errors are *FieldError.
func loadDataset(d Dataset) (*data.Set, error) {
	given := 0
	for _, b := range []bool{d.Name != "", d.Points != nil, d.CSV != ""} {
		if b {
			given++
		}
	}
	if given != 1 {
		return nil, &FieldError{Field: "dataset", Msg: "dataset must have exactly one of name, points or csv"}
	}
	var s *data.Set
	var err error
	switch {
	case d.Points != nil:
		s, err = data.FromPoints(d.Points)
	case d.CSV != "":
		s, err = data.ParseCSV(d.CSV)
		if re, ok := err.(*data.RowError); ok {
			return nil, &FieldError{Field: "dataset.csv", Msg: "dataset.csv: " + re.Error()}
		}
	case data.IsReal(d.Name):
		if d.N != nil || d.Noise != nil || d.Seed != 0 || len(d.Params) > 0 {
			return nil, &FieldError{Field: "dataset", Msg: "dataset " + d.Name + " is real data: it takes no n, noise, seed or generator settings"}
		}
		s, err = data.Real(d.Name)
	default:
		s, err = data.Generate(data.Generated{Name: d.Name, N: d.N, Noise: d.Noise, Seed: d.Seed, Params: d.Params})
	}
	if fe, ok := err.(*data.FieldError); ok {
		return nil, prefixed("dataset", fe.Field, fe.Msg)
	}
	return s, err
}
