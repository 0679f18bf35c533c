package optim

import (
	"context"
	"fmt"

	"github.com/basin-dev/basin/internal/landscape"
)

// Inspector is implemented by optimizers whose internal state can be shown,
// so a learner sees why a step went where it did (the velocity that carried
// it over a ridge, the second moment that shrank a steep coordinate's step).
// It is optional, found by type assertion; every optimizer in the registry
// implements it.
type Inspector interface {
	// State appends the optimizer's state, as it stands after the latest
	// Step, to dst[:0] and returns the result; it allocates nothing when
	// dst has room (MaxStateVars is always enough). The list holds
	// PyTorch's state names for that rule (optimizer.state[p] keys such as
	// "exp_avg") plus "lr" and derived quantities that teach, such as
	// "effective_lr"; each optimizer's State documents its own list.
	// Quantities that describe the latest step are left out before the
	// first step, and they use the current learning rate, so they describe
	// that step only until the next SetLR.
	State(dst []StateVar) []StateVar
}

// MaxStateVars bounds the length of any Inspector's State list, so callers
// can size a reusable buffer once.
const MaxStateVars = 8

// StateKind tells a client how to show a StateVar.
type StateKind int

const (
	// StateScalar is one number for the whole parameter (the step count,
	// the learning rate); Value.X and Value.Y both hold it.
	StateScalar StateKind = iota
	// StateGradient is a vector in the gradient's units (a running average
	// or buffer of gradients): draw it as an arrow scaled like the
	// gradient.
	StateGradient
	// StateDisplacement is a vector in the parameters' units (the move the
	// momentum alone makes per step): draw it as an arrow from the point.
	StateDisplacement
	// StatePerCoordinate is one non-negative magnitude per coordinate
	// (accumulated squared gradients, per-coordinate step sizes): not a
	// direction, so show it as two numbers or bars rather than an arrow.
	StatePerCoordinate
)

func (k StateKind) String() string {
	switch k {
	case StateScalar:
		return "scalar"
	case StateGradient:
		return "gradient"
	case StateDisplacement:
		return "displacement"
	case StatePerCoordinate:
		return "per_coordinate"
	}
	return "unknown"
}

// StateVar is one named quantity of an optimizer's state.
type StateVar struct {
	// Name is PyTorch's state key ("momentum_buffer", "sum", "square_avg",
	// "grad_avg", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "exp_inf",
	// "acc_delta", "mu_product", "step"), "lr", or a derived quantity
	// ("effective_lr", "velocity"). Clients key translations on it.
	Name string
	// Label is a short English description for display and logs.
	Label string
	Kind  StateKind
	Value landscape.Vec
}

// Names and labels shared by several optimizers' State lists.
const (
	labelLR          = "learning rate"
	labelStep        = "steps taken"
	labelEffectiveLR = "effective per-coordinate step size"
	labelVelocity    = "velocity: the momentum's move per step"
)

func scalarVar(name, label string, v float64) StateVar {
	return StateVar{Name: name, Label: label, Kind: StateScalar, Value: landscape.Vec{X: v, Y: v}}
}

// Snapshot is what happens at one step of a trajectory, seen from inside
// the optimizer: the point, the gradients, the update and the state around
// it.
//
// Its numbers are finite except where the step itself overflowed (Stop is
// Diverged: Next, Update and After may then hold ±Inf or NaN) or where the
// function's gradient is not finite at a finite point (a kink or pole);
// encoders must check (landscape.Vec.IsFinite) and write such numbers as
// null.
type Snapshot struct {
	// Step is the timeline step: Point is point Step of Run's trajectory
	// (the start for 0), and the rest describes the step that leaves it,
	// Run's step Step+1.
	Step  int
	Point Point
	// Grad is the exact gradient at Point.
	Grad landscape.Vec
	// Taken reports whether a step left Point: false at the end of the
	// budget (Step == Config.Steps) and at a point where the run stopped;
	// then Seen, LR, Next and Update are zero and After equals Before.
	Taken bool
	// Seen is the gradient the optimizer received: Grad plus the run's
	// noise, then clipped.
	Seen landscape.Vec
	// LR is the learning rate of the step: the schedule's value when
	// Config.Schedule is set, else the optimizer's "lr" state.
	LR float64
	// Next is where the step went (point Step+1 of Run's trajectory when
	// that was recorded) and Update = Next - Point, the move actually
	// applied, weight decay included.
	Next   landscape.Vec
	Update landscape.Vec
	// Stop is NotConverged when the run goes on after Next; Diverged or
	// LeftDomain when this step ended it (Taken) or the run ended at Point
	// (not Taken).
	Stop Status
	// Before and After are the optimizer's State before and after the
	// step; nil if it is not an Inspector.
	Before, After []StateVar
}

// Inspect replays the run of cfg and opt, a fresh optimizer as for Run, up
// to timeline step step and returns what happens there. It calls Run
// itself, with the budget cut to step+1 steps (which changes nothing before
// it), so the snapshot is bit for bit the trajectory Run gives: same noise,
// clipping and schedule. The cost is that of Run to that step
// (BenchmarkInspect and BenchmarkInspectRun measure both at MaxSteps).
//
// A step beyond the budget, or beyond the point where the run stopped
// (diverged or left the domain), is a *StepError naming why; so is a
// negative one. Errors from cfg's validation and a cancelled ctx are
// returned as Run returns them.
func Inspect(ctx context.Context, cfg Config, opt Optimizer, step int) (Snapshot, error) {
	switch {
	case step < 0:
		return Snapshot{}, &StepError{Step: step, Msg: fmt.Sprintf("step must be >= 0, got %d", step)}
	case step > cfg.Steps:
		return Snapshot{}, &StepError{Step: step, Msg: fmt.Sprintf("step %d is beyond the run's budget of %d steps", step, cfg.Steps)}
	}
	pr := &probe{Optimizer: opt, at: step}
	pr.ins, _ = opt.(Inspector)
	run := cfg
	run.Steps = min(cfg.Steps, step+1)
	pts, out, err := Run(ctx, run, pr, make([]Point, 0, run.Steps+1))
	if err != nil {
		return Snapshot{}, err
	}
	stopped := out.Status == Diverged || out.Status == LeftDomain
	if stopped && (out.Step < step || out.Step == step && len(pts) <= step) {
		return Snapshot{}, &StepError{Step: step, Msg: fmt.Sprintf("step %d is beyond the run's end: it %s at step %d",
			step, stopVerb(out.Status), out.Step)}
	}
	s := Snapshot{Step: step, Point: pts[step], Before: pr.before, After: pr.after}
	_, s.Grad = cfg.Func.ValueGrad(landscape.Vec{X: s.Point.X, Y: s.Point.Y})
	if stopped {
		s.Stop = out.Status
	}
	if !pr.done {
		// No step left the point: the budget ended or the run stopped here.
		if pr.ins != nil {
			s.Before = pr.ins.State(nil)
			s.After = s.Before
		}
		return s, nil
	}
	s.Taken = true
	s.Seen, s.Next = pr.seen, pr.next
	s.Update = landscape.Vec{X: s.Next.X - s.Point.X, Y: s.Next.Y - s.Point.Y}
	switch {
	case cfg.Schedule != nil:
		s.LR = pr.lr
	default:
		s.LR = lookupScalar(s.After, "lr")
	}
	return s, nil
}

// StepError is a step Inspect cannot show: negative, beyond the budget or
// beyond the point where the run stopped. It is the caller's mistake, not
// the engine's, so the API answers it as a bad request; its message is
// safe to show, e.g. "step 90 is beyond the run's end: it diverged at step
// 42".
type StepError struct {
	Step int
	Msg  string
}

func (e *StepError) Error() string { return e.Msg }

// stopVerb words a stopping status for an error message.
func stopVerb(st Status) string {
	if st == LeftDomain {
		return "left the function's domain"
	}
	return "diverged"
}

// lookupScalar returns the scalar state var named name, or 0.
func lookupScalar(vars []StateVar, name string) float64 {
	for _, v := range vars {
		if v.Name == name {
			return v.Value.X
		}
	}
	return 0
}

// probe passes Run's calls through to the optimizer and, around the step
// that leaves timeline point at, records what goes in and out. The state
// before is taken before the schedule's SetLR for that step, so it is the
// state the previous step left.
type probe struct {
	Optimizer
	ins   Inspector // nil if the optimizer cannot show its state
	at    int       // timeline step to record
	n     int       // steps taken so far
	done  bool      // the step was recorded
	took  bool      // before is recorded
	lr    float64   // learning rate set for the step
	seen  landscape.Vec
	next  landscape.Vec
	after []StateVar
	// before is the state the previous step left.
	before []StateVar
}

func (pr *probe) SetLR(lr float64) {
	if pr.n == pr.at {
		pr.takeBefore()
		pr.lr = lr
	}
	pr.Optimizer.SetLR(lr)
}

func (pr *probe) Step(p, g landscape.Vec) landscape.Vec {
	if pr.n != pr.at {
		pr.n++
		return pr.Optimizer.Step(p, g)
	}
	pr.takeBefore()
	q := pr.Optimizer.Step(p, g)
	pr.n++
	pr.done, pr.seen, pr.next = true, g, q
	if pr.ins != nil {
		pr.after = pr.ins.State(make([]StateVar, 0, MaxStateVars))
	}
	return q
}

func (pr *probe) takeBefore() {
	if pr.took {
		return
	}
	pr.took = true
	if pr.ins != nil {
		pr.before = pr.ins.State(make([]StateVar, 0, MaxStateVars))
	}
}
