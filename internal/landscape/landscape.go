// Package landscape holds the 2D loss functions Basin draws: their values,
// exact gradients, domains and known critical points. It knows nothing of
// HTTP, JSON or optimizers.
package landscape

import "math"

// Vec is a point or a gradient in the plane. It is a two-field value type so
// that passing and returning it never allocates.
type Vec struct{ X, Y float64 }

// Add returns v+w.
func (v Vec) Add(w Vec) Vec { return Vec{v.X + w.X, v.Y + w.Y} }

// Scale returns s*v.
func (v Vec) Scale(s float64) Vec { return Vec{s * v.X, s * v.Y} }

// Norm returns the Euclidean length of v.
func (v Vec) Norm() float64 { return math.Hypot(v.X, v.Y) }

// IsFinite reports whether both coordinates are finite.
func (v Vec) IsFinite() bool {
	return !math.IsNaN(v.X) && !math.IsInf(v.X, 0) && !math.IsNaN(v.Y) && !math.IsInf(v.Y, 0)
}

// Function is a differentiable function of two variables.
//
// Implementations must not allocate and must be safe for concurrent use:
// grid sampling calls Value from every core at once.
type Function interface {
	// Value returns f(p). It may return NaN where f is undefined.
	Value(p Vec) float64
	// ValueGrad returns f(p) and its exact gradient at p.
	ValueGrad(p Vec) (float64, Vec)
}

// Domain is the axis-aligned box [XMin, XMax] x [YMin, YMax].
type Domain struct{ XMin, XMax, YMin, YMax float64 }

// Contains reports whether p lies in the closed box.
func (d Domain) Contains(p Vec) bool {
	return p.X >= d.XMin && p.X <= d.XMax && p.Y >= d.YMin && p.Y <= d.YMax
}

// Kind tells what sort of critical point a CriticalPoint is.
type Kind int

const (
	Minimum Kind = iota
	Saddle
	Maximum
)

func (k Kind) String() string {
	switch k {
	case Minimum:
		return "minimum"
	case Saddle:
		return "saddle"
	case Maximum:
		return "maximum"
	}
	return "unknown"
}

// CriticalPoint is a point where the gradient vanishes, or a minimum of
// the function restricted to a box (on an edge, or at a kink).
type CriticalPoint struct {
	Kind  Kind
	At    Vec
	Value float64
	// Global is set on every minimum whose value ties the lowest value of
	// the function on the box.
	Global bool
	// Edge is set on a point of the box's boundary: a minimum there is a
	// minimum of the function restricted to the box, where the gradient
	// need not vanish (it points into the box).
	Edge bool
}

// Preset is a named function with everything the page needs to open it:
// a domain to draw, an instructive start and learning rate, and its known
// critical points.
type Preset struct {
	ID          string // stable identifier used in URLs, e.g. "himmelblau"
	Name        string // display name, e.g. "Himmelblau"
	Formula     string // plain-text formula
	Description string // one paragraph for the page
	Func        Function
	Domain      Domain
	Start       Vec
	LR          float64 // instructive default learning rate
	// Critical lists every known minimum in Domain (and saddles and maxima
	// where known); minima come first, global ones flagged.
	Critical []CriticalPoint
}
