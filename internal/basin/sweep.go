package basin

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
)

// Limits of a learning-rate sweep.
const (
	// SweepCountDefault is the number of learning rates when none is given:
	// 64 points a decade or so apart draw a smooth curve over the usual
	// 1e-5..10 range.
	SweepCountDefault = 64
	// SweepCountLimit bounds the learning rates of one sweep: 256 runs of up
	// to optim.MaxSteps steps stay within a second or two, and a chart has
	// no room for more.
	SweepCountLimit = 256
	// SweepCountMin is the fewest learning rates: both ends of the range.
	SweepCountMin = 2
	// ThresholdDigitsDefault is the resolution of the divergence threshold
	// when none is given: 3 significant digits tell 2.07e-3 from 2.1e-3,
	// where SGD on Rosenbrock goes from converging to diverging.
	ThresholdDigitsDefault = 3
	// ThresholdDigitsLimit bounds the resolution: each digit costs about
	// 3.3 more bisection runs, and past a few digits divergence is no
	// longer monotone in the rate (see RefineThreshold).
	ThresholdDigitsLimit = 6
	// bisectLimit bounds the bisection runs of RefineThreshold whatever
	// the floating-point arithmetic does; 3 digits across a grid of 64
	// rates over 6 decades take about 10.
	bisectLimit = 64
)

// SweepConfig describes a learning-rate sweep: the same run repeated for
// learning rates spaced evenly on a log scale from LRMin to LRMax.
type SweepConfig struct {
	Func     landscape.Function
	Critical []landscape.CriticalPoint
	Start    landscape.Vec
	// Optimizer is the registry name and Values its hyperparameters; any
	// "lr" in Values is replaced by the sweep's learning rate.
	Optimizer string
	Values    optim.Values
	// LRMin and LRMax are the ends of the range, both run: 0 < LRMin < LRMax.
	LRMin, LRMax float64
	// Count is the number of learning rates, SweepCountMin..SweepCountLimit;
	// 0 means SweepCountDefault.
	Count int
	// Steps, Seed, Noise, ClipNorm and Schedule are as in optim.Config; a
	// schedule scales each run's own learning rate.
	Steps    int
	Seed     uint64
	Noise    float64
	ClipNorm float64
	Schedule optim.Schedule
	// Workers bounds the goroutines; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// ThresholdDigits is the number of significant digits to which
	// RefineThreshold pins the divergence threshold,
	// 1..ThresholdDigitsLimit; 0 means ThresholdDigitsDefault.
	ThresholdDigits int
}

// SweepResult is the outcome of the run at one learning rate.
type SweepResult struct {
	LR     float64
	Status optim.Status
	// Step is optim.Outcome.Step.
	Step int
	// Reached indexes SweepConfig.Critical for a converged run that reached
	// a known critical point, else -1.
	Reached int
	// FinalLoss is the loss at the last recorded point, MinLoss the lowest
	// over the recorded trajectory; both are finite (points never hold NaN
	// or Inf), and 0 when the run recorded no point (Points is 0: its start
	// was already outside the function's domain).
	FinalLoss, MinLoss float64
	Points             int
	// StepsToConverge is Step for a converged run (the step from which it
	// stayed at rest), -1 otherwise.
	StepsToConverge int
	End             landscape.Vec
	// Hover and Between are optim.Outcome's: how closely a noisy
	// converged run hovers around the point it reached, and the critical
	// points a wandering run moves among.
	Hover   float64
	Between []landscape.CriticalPoint
}

// logSpaceDigits is the number of significant decimal digits LogSpace
// keeps: few enough that a learning rate prints as 0.01 rather than
// 0.010000000000000005 (the page shows it and puts it in the permalink),
// far more than any chart resolves.
const logSpaceDigits = 12

// LogSpace returns count values from lo to hi evenly spaced in log scale,
// exp(log lo + i*(log hi - log lo)/(count-1)) rounded to 12 significant
// digits, with both ends exactly lo and hi.
func LogSpace(lo, hi float64, count int) []float64 {
	out := make([]float64, count)
	llo, lhi := math.Log(lo), math.Log(hi)
	for i := range out {
		v := math.Exp(llo + float64(i)*(lhi-llo)/float64(count-1))
		out[i], _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', logSpaceDigits, 64), 64)
	}
	out[0], out[count-1] = lo, hi
	return out
}

func (cfg *SweepConfig) count() int {
	if cfg.Count == 0 {
		return SweepCountDefault
	}
	return cfg.Count
}

func (cfg *SweepConfig) digits() int {
	if cfg.ThresholdDigits == 0 {
		return ThresholdDigitsDefault
	}
	return cfg.ThresholdDigits
}

func (cfg *SweepConfig) validate() error {
	n := cfg.count()
	switch {
	case cfg.ThresholdDigits < 0 || cfg.ThresholdDigits > ThresholdDigitsLimit:
		return fmt.Errorf("threshold_digits must be between 1 and %d (0 = %d), got %d", ThresholdDigitsLimit, ThresholdDigitsDefault, cfg.ThresholdDigits)
	case cfg.Func == nil:
		return errors.New("function is missing")
	case n < SweepCountMin || n > SweepCountLimit:
		return fmt.Errorf("count must be between %d and %d, got %d", SweepCountMin, SweepCountLimit, cfg.Count)
	case !(cfg.LRMin > 0) || !finite(cfg.LRMin):
		return fmt.Errorf("lr_min must be finite and > 0, got %v", cfg.LRMin)
	case !(cfg.LRMax > cfg.LRMin) || !finite(cfg.LRMax):
		return fmt.Errorf("lr_max must be finite and > lr_min, got %v", cfg.LRMax)
	}
	for _, lr := range []float64{cfg.LRMin, cfg.LRMax} {
		if err := checkRun(cfg.Optimizer, cfg.values(lr), cfg.runConfig(lr)); err != nil {
			return err
		}
	}
	return nil
}

// values is cfg.Values with lr set.
func (cfg *SweepConfig) values(lr float64) optim.Values {
	v := make(optim.Values, len(cfg.Values)+1)
	for k, x := range cfg.Values {
		v[k] = x
	}
	v["lr"] = []float64{lr}
	return v
}

func (cfg *SweepConfig) runConfig(lr float64) optim.Config {
	return optim.Config{
		Func: cfg.Func, Critical: cfg.Critical, Start: cfg.Start, Steps: cfg.Steps,
		Seed: cfg.Seed, Noise: cfg.Noise, ClipNorm: cfg.ClipNorm, Schedule: cfg.Schedule, LR: lr,
	}
}

// Sweep runs cfg's run once per learning rate of LogSpace(LRMin, LRMax,
// Count) on every core and hands each result to emit with its index in that
// list as soon as it finishes, so not in order. emit is called from Sweep's
// own goroutine, never concurrently. An error from emit, or the context's,
// stops the sweep and is returned; once the context is done nothing more is
// emitted, and Sweep returns only after every worker has stopped. Each
// result is exactly optim.Run's for that learning rate.
func Sweep(ctx context.Context, cfg SweepConfig, emit func(i int, r SweepResult) error) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	lrs := LogSpace(cfg.LRMin, cfg.LRMax, cfg.count())
	results := make([]SweepResult, len(lrs))
	return forEach(ctx, len(lrs), cfg.Workers,
		func() func(context.Context, int) error {
			buf := make([]optim.Point, 0, cfg.Steps+1)
			return func(ctx context.Context, i int) error {
				r, pts, err := sweepRun(ctx, &cfg, lrs[i], buf)
				if err != nil {
					return err
				}
				buf = pts
				results[i] = r
				return nil
			}
		},
		func(i int) error { return emit(i, results[i]) })
}

// sweepRun is the run at one learning rate.
func sweepRun(ctx context.Context, cfg *SweepConfig, lr float64, buf []optim.Point) (SweepResult, []optim.Point, error) {
	opt, _, err := optim.New(cfg.Optimizer, cfg.values(lr))
	if err != nil {
		return SweepResult{}, buf, err
	}
	clearUpper()
	pts, o, err := optim.Run(ctx, cfg.runConfig(lr), opt, buf)
	if err != nil {
		return SweepResult{}, pts, err
	}
	c := cellOf(pts, o, cfg.Critical)
	r := SweepResult{
		LR: lr, Status: o.Status, Step: o.Step, Reached: int(c.Reached), End: c.End,
		Points: len(pts), StepsToConverge: -1, Hover: o.Hover,
	}
	for _, b := range o.Between {
		r.Between = append(r.Between, *b)
	}
	if o.Status == optim.Converged {
		r.StepsToConverge = o.Step
	}
	if len(pts) > 0 {
		r.FinalLoss, r.MinLoss = pts[len(pts)-1].Loss, pts[0].Loss
		for _, p := range pts {
			r.MinLoss = min(r.MinLoss, p.Loss)
		}
	}
	return r, pts, nil
}

// Region is the textbook's reading of one learning rate.
type Region int

const (
	// TooSmall: below every learning rate that converged, and the run did
	// not converge within its budget: too slow.
	TooSmall Region = iota
	// Good: the run converged, or it lies between converging learning rates
	// and below the divergence threshold.
	Good
	// TooLarge: at or above the divergence threshold.
	TooLarge
)

func (r Region) String() string {
	switch r {
	case TooSmall:
		return "too_small"
	case Good:
		return "good"
	case TooLarge:
		return "too_large"
	}
	return "unknown"
}

// SweepSummary reads a finished sweep the way the textbook chart does.
type SweepSummary struct {
	// Threshold is the smallest learning rate whose run diverged or left
	// the domain (both mean the steps overshoot out of the valley), or 0 if
	// none did (learning rates are > 0, and 0 encodes where NaN cannot).
	Threshold float64
	// Regions holds one Region per result, in the order given.
	Regions []Region
}

// Summarize classifies the results of a sweep, which must be sorted by
// learning rate (as LogSpace orders them). The rule, chosen so the three
// regions are contiguous as the chart shades them:
//
//   - TooLarge from the divergence threshold (the smallest learning rate
//     that diverged or left the domain) upwards, whatever larger rates did:
//     past it the step size can no longer be trusted;
//   - below it, Good from the smallest learning rate that converged up to
//     the threshold (not-converged rates in between are noise in the curve,
//     e.g. a run that was still orbiting the minimum when the budget ran
//     out);
//   - TooSmall below the first converging rate: those runs were too slow to
//     converge within the budget.
//
// With no converging rate below the threshold, everything below it is
// TooSmall.
func Summarize(results []SweepResult) SweepSummary {
	s := SweepSummary{Regions: make([]Region, len(results))}
	firstBad := len(results)
	for i, r := range results {
		if r.Status == optim.Diverged || r.Status == optim.LeftDomain {
			firstBad = i
			s.Threshold = r.LR
			break
		}
	}
	firstGood := firstBad
	for i := range firstBad {
		if results[i].Status == optim.Converged {
			firstGood = i
			break
		}
	}
	for i := range results {
		switch {
		case i >= firstBad:
			s.Regions[i] = TooLarge
		case i >= firstGood:
			s.Regions[i] = Good
		default:
			s.Regions[i] = TooSmall
		}
	}
	return s
}

// RefineThreshold pins the divergence threshold of a finished sweep (its
// results in learning-rate order, as Sweep's indices place them) to
// cfg.ThresholdDigits significant digits, where the grid only brackets it:
// between the last grid rate below the first diverging one, which did not
// diverge, and that first diverging rate, it bisects on a log scale, one run
// per probe, until both ends of the bracket round up to the same number T of
// that many digits, and returns T. The edge then lies within one unit of
// T's last digit below it: the rate one unit below T is at most the
// bracket's lower end, whose run did not diverge, and T is at least its
// upper end, whose run did. When divergence grows with the rate, as the
// textbook picture has it, T is the smallest rate of that resolution that
// diverges; close to the edge it need not (SGD on Rosenbrock converges at
// some rates above one that diverges, a few parts in 10^4 apart), which
// is why the resolution is bounded by ThresholdDigitsLimit. "Diverges" is
// Summarize's reading: Diverged or LeftDomain. It returns 0 when no rate of
// the sweep diverged, and the first rate when it did (the grid has nothing
// below it to bracket with). The probes are a fixed sequence, so the answer
// is the same every time.
func RefineThreshold(ctx context.Context, cfg SweepConfig, results []SweepResult) (float64, error) {
	if err := cfg.validate(); err != nil {
		return 0, err
	}
	first := slices.IndexFunc(results, func(r SweepResult) bool { return diverges(r.Status) })
	switch first {
	case -1:
		return 0, nil
	case 0:
		return results[0].LR, nil
	}
	d := cfg.digits()
	lo, hi := results[first-1].LR, results[first].LR
	buf := make([]optim.Point, 0, cfg.Steps+1)
	for range bisectLimit {
		if roundUp(lo, d) == roundUp(hi, d) {
			break
		}
		mid := math.Exp((math.Log(lo) + math.Log(hi)) / 2)
		if !(mid > lo && mid < hi) {
			break // adjacent floats
		}
		r, pts, err := sweepRun(ctx, &cfg, mid, buf)
		if err != nil {
			return 0, err
		}
		buf = pts
		if diverges(r.Status) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return roundUp(hi, d), nil
}

func diverges(s optim.Status) bool { return s == optim.Diverged || s == optim.LeftDomain }

// roundUp returns the smallest number of d significant decimal digits
// that is >= v (v > 0 and finite), as the float64 nearest that decimal.
func roundUp(v float64, d int) float64 {
	s := strconv.FormatFloat(v, 'e', d-1, 64) // nearest, e.g. "2.07e-03"
	r, _ := strconv.ParseFloat(s, 64)
	if r >= v {
		return r
	}
	mant, exp, _ := strings.Cut(s, "e")
	m, _ := strconv.Atoi(strings.Replace(mant, ".", "", 1))
	e, _ := strconv.Atoi(exp)
	r, _ = strconv.ParseFloat(strconv.Itoa(m+1)+"e"+strconv.Itoa(e-(d-1)), 64)
	return r
}
