// Package optim holds Basin's optimizers, which follow PyTorch's torch.optim
// update rules and hyperparameter names, and the run loop that drives them
// over a landscape.Function.
package optim

import "github.com/basin-dev/basin/internal/landscape"

// Optimizer is one stateful optimizer instance for one 2-element parameter.
// It never calls the function: the driver computes the gradient and passes it
// in, so optimizers are unit-tested with synthetic gradients. An instance
// belongs to exactly one run; never share one between runs or goroutines.
type Optimizer interface {
	// Step returns the parameter after one update from p with gradient g
	// (the gradient the optimizer sees: noisy and clipped if so configured).
	// It must not allocate.
	Step(p, g landscape.Vec) landscape.Vec
	// SetLR changes the learning rate for the following steps, as a
	// PyTorch scheduler writes param_group["lr"].
	SetLR(lr float64)
}

// Kind tells how a hyperparameter's value is written.
type Kind int

const (
	Number Kind = iota // one float64
	Bool               // 0 or 1 internally, true/false in JSON
	Pair               // two float64, e.g. betas
)

// Scale tells a client how to lay out a numeric control.
type Scale string

const (
	Linear Scale = "linear"
	Log    Scale = "log"
)

// Param describes one hyperparameter with its PyTorch name, default and
// allowed range, so clients can build controls and validation can name it.
type Param struct {
	Name    string    // PyTorch's name, e.g. "weight_decay"
	Kind    Kind      // Number, Bool or Pair
	Default []float64 // one value (two for Pair)
	Min     float64   // lower bound of each component
	Max     float64   // upper bound of each component (may be +Inf)
	MinOpen bool      // Min itself is not allowed
	MaxOpen bool      // Max itself is not allowed
	Scale   Scale
	Doc     string // what it does, one or two sentences
}

// Values holds given hyperparameters by name: one element for Number and
// Bool, two for Pair. A missing name means "not given" and takes the
// default; an explicit 0 stays 0.
type Values map[string][]float64

// Info describes an optimizer for clients and documentation.
type Info struct {
	Name    string // registry name, PyTorch's lower-cased class name, e.g. "adamw"
	Display string // e.g. "AdamW"
	Doc     string // one paragraph: what it does and when it helps
	Rule    string // the update rule in plain text
	Params  []Param
}

// ParamError is a hyperparameter that failed validation. Its message names
// the parameter and the allowed range, e.g. "lr must be > 0, got -0.1", so the
// API can prefix the field path ("optimizers[1].").
type ParamError struct {
	Param string // e.g. "betas[0]" or "lr"
	Msg   string // full message including Param
}

func (e *ParamError) Error() string { return e.Msg }
