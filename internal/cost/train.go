package cost

// Training prices, in nanoseconds on the reference core per row per model
// parameter: a model's work grows as rows × parameters (every parameter is
// one multiply-add per row in the forward pass).
const (
	// RowParamNanos is one row through one parameter, forward only: a grid
	// node's or a validation loss's share (BenchmarkNodeLoss: about 1.6 ns
	// on a loaded machine for the 2-16-16-1 network on 1,000 rows).
	RowParamNanos = 2
	// RowParamGradNanos is one row through one parameter, forward and
	// backward: a minibatch's gradient, and the full-data loss and
	// gradient every step records and judges with.
	RowParamGradNanos = 3 * RowParamNanos
)

// TrainSize is what a training request will compute, as its sizes.
type TrainSize struct {
	Runs, Steps int
	// Batch is the rows of one step's minibatch (on average for explicit
	// batches).
	Batch int
	// Rows and ValRows are the training and validation rows.
	Rows, ValRows int
	Params        int
	// Grid is the landscape's side, 0 without one.
	Grid int
	// Line is the points of each run's straight line, 0 without one.
	Line int
}

// Train prices a training request: every step of every run computes the
// minibatch's gradient, the full-data loss and gradient (recorded, and fed
// to the outcome's judge) and the validation loss; then each grid node is
// one full-data loss, as is each point of each run's line.
func Train(s TrainSize) Estimate {
	p := float64(s.Params)
	perStep := RowParamGradNanos*p*float64(s.Batch+s.Rows) + RowParamNanos*p*float64(s.ValRows) + OptimizerStepNanos*p
	steps := float64(s.Runs) * float64(s.Steps)
	grid := float64(s.Grid) * float64(s.Grid) * RowParamNanos * p * float64(s.Rows)
	line := float64(s.Runs) * float64(s.Line) * RowParamNanos * p * float64(s.Rows+s.ValRows)
	return Estimate{What: "this training", Nanos: steps*perStep + grid + line,
		Smaller: "use fewer steps or epochs, fewer optimizers, fewer rows, a smaller model, a smaller grid or a shorter line"}
}
