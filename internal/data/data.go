// Package data holds the datasets models are trained on: seeded
// generators, small real datasets embedded with their sources, given points
// and CSV text, and the transformations a training spec asks for
// (standardization and a seeded validation split). It knows nothing of
// models or of HTTP.
package data

import (
	"fmt"
	"math"
	"slices"
)

// Task is what a dataset asks a model to do.
type Task int

const (
	// Regression: one feature x, a real target y; mean squared error.
	Regression Task = iota
	// Classification: two features x1, x2, a label 0 or 1; binary
	// cross-entropy.
	Classification
)

func (t Task) String() string {
	if t == Classification {
		return "classification"
	}
	return "regression"
}

// Features is the number of input columns a task has.
func (t Task) Features() int {
	if t == Classification {
		return 2
	}
	return 1
}

// Limits of a dataset.
const (
	// MaxRows bounds given data (points or CSV): 10,000 rows train a
	// network in well under a second per hundred full-data losses and fit
	// in a 4 MiB request.
	MaxRows = 10_000
	// MinRows is the fewest rows any dataset may have: a minibatch and a
	// validation split need something to cut.
	MinRows = 2
	// MinGenerated and MaxGenerated bound a generator's n: enough points to
	// show a shape, few enough to draw every one of them.
	MinGenerated = 10
	MaxGenerated = 2_000
	// MaxNoise bounds a generator's noise (a standard deviation in the
	// data's units, which are of order 1): beyond it every shape is a blur.
	MaxNoise = 10.0
	// MaxValidation is the largest validation fraction: at least half of
	// the rows stay for training.
	MaxValidation = 0.5
)

// Set is a dataset: Rows() examples of Task.Features() features each, with
// their targets (regression) or labels 0 and 1 (classification).
type Set struct {
	Task Task
	// X holds the features row-major: row i is X[i*F : (i+1)*F] with F =
	// Task.Features().
	X []float64
	// Y holds one target or label per row.
	Y []float64
	// Columns names the features and then the target, e.g. "x1", "x2",
	// "label", or a real dataset's own column names.
	Columns []string
}

// Rows is the number of examples.
func (s *Set) Rows() int { return len(s.Y) }

// Features is the number of features per row.
func (s *Set) Features() int { return s.Task.Features() }

// Row returns the features of row i (a view into X).
func (s *Set) Row(i int) []float64 {
	f := s.Features()
	return s.X[i*f : (i+1)*f : (i+1)*f]
}

// Subset returns the rows idx, in that order, as a new Set.
func (s *Set) Subset(idx []int) *Set {
	f := s.Features()
	out := &Set{Task: s.Task, X: make([]float64, 0, len(idx)*f), Y: make([]float64, 0, len(idx)), Columns: s.Columns}
	for _, i := range idx {
		out.X = append(out.X, s.Row(i)...)
		out.Y = append(out.Y, s.Y[i])
	}
	return out
}

// Clone returns a deep copy.
func (s *Set) Clone() *Set {
	return &Set{Task: s.Task, X: append([]float64(nil), s.X...), Y: append([]float64(nil), s.Y...), Columns: s.Columns}
}

// Separable reports whether a classification set's two classes can be
// split by a line through the origin (logistic regression without bias):
// then its mean loss has no minimum. It solves the question exactly in 2-D:
// the data are separable through the origin when the directions of the
// signed points (x for label 1, -x for label 0) all fit in an open half
// plane.
func (s *Set) Separable() bool {
	if s.Task != Classification || s.Rows() == 0 {
		return false
	}
	angles := make([]float64, 0, s.Rows())
	for i := range s.Rows() {
		x := s.Row(i)
		a, b := x[0], x[1]
		if s.Y[i] == 0 {
			a, b = -a, -b
		}
		if a == 0 && b == 0 {
			return false // a point at the origin has logit 0 for every w
		}
		angles = append(angles, math.Atan2(b, a))
	}
	return fitsHalfPlane(angles)
}

// fitsHalfPlane reports whether all angles lie strictly within an arc
// shorter than pi: sorted around the circle, some gap between neighbours
// must exceed pi.
func fitsHalfPlane(angles []float64) bool {
	slices.Sort(angles)
	n := len(angles)
	for i := range n {
		next := angles[(i+1)%n]
		if i == n-1 {
			next += 2 * math.Pi
		}
		if next-angles[i] > math.Pi {
			return true
		}
	}
	return false
}

// FieldError is an invalid dataset setting or value. Field names it as in
// the training spec, relative to "dataset" (e.g. "n", "points[3][2]"), and
// Msg says what is allowed, e.g. "n must be in [10, 2000], got 5".
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Msg }

func fieldErrorf(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: field + " " + fmt.Sprintf(format, args...)}
}
