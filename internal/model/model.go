// Package model holds the models Basin trains on data: linear regression,
// logistic regression without bias, and small multilayer perceptrons, with
// PyTorch's parameter order, initialization and mean losses, and exact
// gradients by backpropagation written for them. A model is a description;
// the memory a forward and backward pass needs lives in a Workspace, so a
// training step allocates nothing.
package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/basin-dev/basin/internal/data"
)

// Limits of an MLP.
const (
	// MaxHiddenLayers and MaxUnits bound a network: 3 layers of 32 units
	// (2,241 parameters on two features) train live and still slice in
	// well under a second.
	MaxHiddenLayers = 3
	MaxUnits        = 32
	MinUnits        = 1
)

// Kinds of model.
const (
	Linear   = "linear"   // y = w*x + b, mean squared error; parameters w, b
	Logistic = "logistic" // p = sigmoid(w1*x1 + w2*x2), no bias, BCE with logits; parameters w1, w2
	MLP      = "mlp"      // hidden layers, one output: a logit (BCE) or a value (MSE)
)

// Activations of an MLP's hidden layers.
const (
	Tanh    = "tanh"
	ReLU    = "relu"
	Sigmoid = "sigmoid"
)

// Spec describes a model as a training request names it.
type Spec struct {
	Kind       string // Linear, Logistic or MLP
	Hidden     []int  // MLP only: 1 to MaxHiddenLayers widths of MinUnits to MaxUnits
	Activation string // MLP only: Tanh, ReLU or Sigmoid
}

// FieldError is an invalid model setting. Field is relative to "model"
// (e.g. "hidden[1]"), and Msg names it and the allowed range.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Msg }

func fieldErrorf(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: field + " " + fmt.Sprintf(format, args...)}
}

type activation int

const (
	identity activation = iota
	tanhAct
	reluAct
	sigmoidAct
)

// Model is a validated model for one task. It holds no parameters: they are
// a flat vector in PyTorch's order (each nn.Linear in turn: weight, out x
// in, row-major, then bias), passed to every method.
type Model struct {
	kind   string
	task   data.Task
	sizes  []int // widths: features, hidden..., 1
	bias   bool
	act    activation
	layers []layer
	params int
}

// layer locates one nn.Linear in the parameter vector.
type layer struct {
	in, out int
	w, b    int // offsets of the weight and the bias (b < 0: no bias)
}

// New validates spec for a dataset of the given task. Errors are
// *FieldError.
func New(spec Spec, task data.Task) (*Model, error) {
	m := &Model{kind: spec.Kind, task: task, bias: true}
	switch spec.Kind {
	case Linear, Logistic:
		want := data.Regression
		if spec.Kind == Logistic {
			want = data.Classification
			m.bias = false
		}
		if task != want {
			return nil, &FieldError{Field: "kind", Msg: fmt.Sprintf("kind %s needs %s data (%d columns), the dataset is %s data", spec.Kind, want, want.Features()+1, task)}
		}
		if spec.Hidden != nil {
			return nil, &FieldError{Field: "hidden", Msg: "hidden is for kind mlp only, got kind " + spec.Kind}
		}
		if spec.Activation != "" {
			return nil, &FieldError{Field: "activation", Msg: "activation is for kind mlp only, got kind " + spec.Kind}
		}
		m.sizes = []int{task.Features(), 1}
	case MLP:
		if len(spec.Hidden) < 1 || len(spec.Hidden) > MaxHiddenLayers {
			return nil, fieldErrorf("hidden", "must list 1 to %d layer widths, got %d", MaxHiddenLayers, len(spec.Hidden))
		}
		m.sizes = []int{task.Features()}
		for i, h := range spec.Hidden {
			if h < MinUnits || h > MaxUnits {
				return nil, fieldErrorf("hidden["+strconv.Itoa(i)+"]", "must be in [%d, %d], got %d", MinUnits, MaxUnits, h)
			}
			m.sizes = append(m.sizes, h)
		}
		m.sizes = append(m.sizes, 1)
		switch spec.Activation {
		case Tanh:
			m.act = tanhAct
		case ReLU:
			m.act = reluAct
		case Sigmoid:
			m.act = sigmoidAct
		default:
			return nil, &FieldError{Field: "activation", Msg: "activation must be tanh, relu or sigmoid, got " + strconv.Quote(spec.Activation)}
		}
	default:
		return nil, &FieldError{Field: "kind", Msg: "kind must be linear, logistic or mlp, got " + strconv.Quote(spec.Kind)}
	}
	off := 0
	for l := 1; l < len(m.sizes); l++ {
		ly := layer{in: m.sizes[l-1], out: m.sizes[l], w: off, b: -1}
		off += ly.in * ly.out
		if m.bias {
			ly.b = off
			off += ly.out
		}
		m.layers = append(m.layers, ly)
	}
	m.params = off
	return m, nil
}

// Kind is the model's kind: Linear, Logistic or MLP.
func (m *Model) Kind() string { return m.kind }

// Task is the task the model was built for.
func (m *Model) Task() data.Task { return m.task }

// NumParams is the length of the parameter vector.
func (m *Model) NumParams() int { return m.params }

// Sizes are the layer widths from the features to the single output.
func (m *Model) Sizes() []int { return append([]int(nil), m.sizes...) }

// Names names each parameter in order. Linear's are "w" and "b", logistic's
// "w1" and "w2", as the formulas write them; an MLP's are PyTorch's
// state_dict names with the index in brackets, counted from 0 and layers
// from 1: "layer1.weight[3,1]" is the weight from input 1 to unit 3 of the
// first hidden layer, "layer2.bias[0]" the bias of unit 0 of the second.
func (m *Model) Names() []string {
	switch m.kind {
	case Linear:
		return []string{"w", "b"}
	case Logistic:
		return []string{"w1", "w2"}
	}
	names := make([]string, 0, m.params)
	for l, ly := range m.layers {
		prefix := "layer" + strconv.Itoa(l+1)
		for j := range ly.out {
			for k := range ly.in {
				names = append(names, prefix+".weight["+strconv.Itoa(j)+","+strconv.Itoa(k)+"]")
			}
		}
		for j := range ly.out {
			names = append(names, prefix+".bias["+strconv.Itoa(j)+"]")
		}
	}
	return names
}

// initStream is the PCG stream word of parameter initialization.
const initStream = 0x62617369_6e696e69 // "basinini"

// Init draws parameters as PyTorch's nn.Linear initializes them by default:
// every weight and bias uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)), layer
// by layer in parameter order, from Basin's seeded generator (so the values
// are Basin's, the distribution PyTorch's).
func (m *Model) Init(seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, initStream))
	p := make([]float64, m.params)
	for _, ly := range m.layers {
		bound := 1 / math.Sqrt(float64(ly.in))
		end := ly.w + ly.in*ly.out
		if ly.b >= 0 {
			end = ly.b + ly.out
		}
		for i := ly.w; i < end; i++ {
			p[i] = (2*r.Float64() - 1) * bound
		}
	}
	return p
}

// CheckParams validates an explicit parameter vector. Errors are
// *FieldError with Field "params" or "params[i]", relative to "init".
func (m *Model) CheckParams(p []float64) error {
	if len(p) != m.params {
		return fieldErrorf("params", "must have %d values (%s), got %d", m.params, m.describe(), len(p))
	}
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fieldErrorf("params["+strconv.Itoa(i)+"]", "must be a finite number, got %g", v)
		}
	}
	return nil
}

func (m *Model) describe() string {
	switch m.kind {
	case Linear:
		return "w, b"
	case Logistic:
		return "w1, w2"
	}
	parts := make([]string, len(m.sizes))
	for i, s := range m.sizes {
		parts[i] = strconv.Itoa(s)
	}
	return "a " + strings.Join(parts, "-") + " network"
}
