package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/basin-dev/basin/internal/train"
)

// The many-run tools of models on data: a learning-rate sweep over a
// training request (POST /api/v1/train/sweeps, websocket train_sweep) and
// a basin map over starting parameters (POST /api/v1/train/basins,
// websocket train_basin). They answer as the function mode's sweeps and
// basin maps do, with a training request's body limit, and are priced and
// admitted as heavy jobs.

// answerTrainTool is the REST path of the training tools: read a body of
// up to a training request's size, refuse any query parameter, decode,
// price, compute holding a heavy-job slot, and write what encode makes.
func answerTrainTool[J, R any](h *Handler, w http.ResponseWriter, r *http.Request,
	decode func([]byte) (J, error), price func(J) (string, cost.Estimate),
	compute func(context.Context, J) (R, error), encode func(J, R) ([]byte, error)) {
	body, err := h.readBodyLimit(w, r, runspec.TrainBytesLimit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, done := h.jobContext(r)
	defer done()
	job, err := admitTrainTool(h, body, decode, price)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	release, err := h.reserve(ctx, 2*streamChunk)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	res, err := compute(ctx, job)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	st := newStream(w, "application/json")
	b, err := encode(job, res)
	if err != nil {
		st.fail(h, r, err)
		return
	}
	st.finish(b)
}

// admitTrainTool decodes a tool's request and prices it against the CPU
// budget, naming the field that sizes it in a refusal.
func admitTrainTool[J any](h *Handler, raw []byte, decode func([]byte) (J, error), price func(J) (string, cost.Estimate)) (J, error) {
	job, err := decode(raw)
	if err != nil {
		return job, err
	}
	field, e := price(job)
	return job, h.checkCost(field, e)
}

// trainSweepAnswer is a finished training sweep: per swept optimizer, its
// rows in learning-rate order.
type trainSweepAnswer [][]train.SweepRow

func trainSweepPrice(ts *runspec.TrainSweep) (string, cost.Estimate) { return "count", ts.Price() }

// trainSweep runs a training sweep holding a heavy-job slot, handing each
// row to emit as it finishes.
func (h *Handler) trainSweep(ctx context.Context, ts *runspec.TrainSweep, emit func(opt, k int, r train.SweepRow) error) (trainSweepAnswer, error) {
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	out := make(trainSweepAnswer, len(ts.Optimizers))
	for i := range out {
		out[i] = make([]train.SweepRow, ts.Count)
	}
	err = ts.Run(ctx, func(opt, k int, r train.SweepRow) error {
		out[opt][k] = r
		if emit != nil {
			return emit(opt, k, r)
		}
		return nil
	})
	return out, err
}

func (h *Handler) postTrainSweeps(w http.ResponseWriter, r *http.Request) {
	answerTrainTool(h, w, r, runspec.DecodeTrainSweep, trainSweepPrice,
		func(ctx context.Context, ts *runspec.TrainSweep) (trainSweepAnswer, error) {
			return h.trainSweep(ctx, ts, nil)
		},
		func(ts *runspec.TrainSweep, ans trainSweepAnswer) ([]byte, error) {
			return marshalJSON(newTrainSweepJSON(ts, ans, true))
		})
}

// trainSweepJSON is the REST answer of a training sweep and, with its
// results left out, the train_sweep_done message.
type trainSweepJSON struct {
	Type   string               `json:"type,omitempty"`
	ID     text                 `json:"id,omitempty"`
	Sweep  trainSweepSettings   `json:"sweep"`
	Sweeps []trainSweepRunsJSON `json:"sweeps"`
}

type trainSweepSettings struct {
	LRMin jsNumber `json:"lr_min"`
	LRMax jsNumber `json:"lr_max"`
	Count int      `json:"count"`
}

// trainSweepRunsJSON is one optimizer's sweep: the function sweep's
// answer's optimizer, results and summary, and its index in the request.
type trainSweepRunsJSON struct {
	Optimizer resolvedJSON          `json:"optimizer"`
	Index     int                   `json:"index"`
	Results   []trainSweepPointJSON `json:"results,omitempty"`
	Summary   sweepSummaryJSON      `json:"summary"`
}

// trainSweepPointJSON is one learning rate's training: its outcome, the
// final and lowest full-data loss (0 when it recorded no row) and the
// rows it recorded.
type trainSweepPointJSON struct {
	LR              coord  `json:"lr"`
	Status          string `json:"status"`
	Step            int    `json:"step"`
	FinalLoss       coord  `json:"final_loss"`
	MinLoss         coord  `json:"min_loss"`
	StepsToConverge *int   `json:"steps_to_converge"`
	Rows            int    `json:"rows"`
}

func newTrainSweepPoint(r train.SweepRow) trainSweepPointJSON {
	p := trainSweepPointJSON{LR: coord(r.LR), Status: r.Outcome.Status.String(), Step: r.Outcome.Step,
		FinalLoss: coord(r.FinalLoss), MinLoss: coord(r.MinLoss), Rows: r.Rows}
	if r.Outcome.Status == optim.Converged {
		s := r.Outcome.Step
		p.StepsToConverge = &s
	}
	return p
}

func newTrainSweepJSON(ts *runspec.TrainSweep, ans trainSweepAnswer, withResults bool) trainSweepJSON {
	a := trainSweepJSON{Sweep: trainSweepSettings{jsNumber(ts.LRMin), jsNumber(ts.LRMax), ts.Count}}
	for i := range ts.Optimizers {
		rs := make([]basin.SweepResult, len(ans[i]))
		for k, r := range ans[i] {
			rs[k] = basin.SweepResult{LR: r.LR, Status: r.Outcome.Status}
		}
		// The threshold is the grid's first diverging rate: refining it
		// would take a whole training per probe.
		runs := trainSweepRunsJSON{Optimizer: resolvedJSON{&ts.Optimizers[i]}, Index: ts.Index[i],
			Summary: newSweepSummary(rs, basin.Summarize(rs).Threshold)}
		if withResults {
			for _, r := range ans[i] {
				runs.Results = append(runs.Results, newTrainSweepPoint(r))
			}
		}
		a.Sweeps = append(a.Sweeps, runs)
	}
	return a
}

// trainSweepJobWS streams a training sweep: one train_sweep_point per
// optimizer and rate as it finishes (optimizer indexes sweeps, index the
// rates; done of total says the progress), then train_sweep_done with each
// sweep's summary.
func (s *session) trainSweepJobWS(ctx context.Context, j *job, raw json.RawMessage, _ bool) {
	ts, err := admitTrainTool(s.h, raw, runspec.DecodeTrainSweep, trainSweepPrice)
	var ans trainSweepAnswer
	if err == nil {
		out := &outbox{s: s, ctx: ctx, j: j}
		done, total := 0, len(ts.Optimizers)*ts.Count
		ans, err = s.h.trainSweep(ctx, ts, func(opt, k int, r train.SweepRow) error {
			done++
			m, err := jsonMsg(struct {
				Type      string              `json:"type"`
				ID        text                `json:"id"`
				Optimizer int                 `json:"optimizer"`
				Index     int                 `json:"index"`
				Done      int                 `json:"done"`
				Total     int                 `json:"total"`
				Result    trainSweepPointJSON `json:"result"`
			}{"train_sweep_point", text(j.id), opt, k, done, total, newTrainSweepPoint(r)})
			if err != nil {
				return err
			}
			out.put(m)
			return nil
		})
		err = out.finish(err)
	}
	s.endJob(ctx, j, "training sweep failed", err, func() outMsg {
		a := newTrainSweepJSON(ts, ans, false)
		a.Type, a.ID = "train_sweep_done", text(j.id)
		m, err := jsonMsg(a)
		if err != nil {
			return errorMsg(j.id, err)
		}
		return m
	})
}

// trainBasinAnswer is a finished basin map over starts: its cells,
// row-major, and the critical points they reach.
type trainBasinAnswer struct {
	cells []train.StartCell
	crit  []landscape.CriticalPoint
}

func trainBasinPrice(bm *runspec.TrainBasinMap) (string, cost.Estimate) { return "grid", bm.Price() }

// trainBasin computes the map holding a heavy-job slot, handing each row
// to emit.
func (h *Handler) trainBasin(ctx context.Context, bm *runspec.TrainBasinMap,
	start func(crit []landscape.CriticalPoint) error, emit func(row int, cells []train.StartCell) error) (trainBasinAnswer, error) {
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return trainBasinAnswer{}, err
	}
	defer release()
	ans := trainBasinAnswer{cells: make([]train.StartCell, bm.Grid*bm.Grid)}
	ans.crit, err = bm.Run(ctx, start, func(row int, cells []train.StartCell) error {
		copy(ans.cells[row*bm.Grid:], cells)
		if emit != nil {
			return emit(row, cells)
		}
		return nil
	})
	return ans, err
}

func (h *Handler) postTrainBasins(w http.ResponseWriter, r *http.Request) {
	answerTrainTool(h, w, r, runspec.DecodeTrainBasin, trainBasinPrice,
		func(ctx context.Context, bm *runspec.TrainBasinMap) (trainBasinAnswer, error) {
			return h.trainBasin(ctx, bm, nil, nil)
		},
		func(bm *runspec.TrainBasinMap, ans trainBasinAnswer) ([]byte, error) {
			head := newTrainBasinHeader(bm, ans.crit)
			sum := newBasinSummary(len(ans.crit))
			sum.add(basinCells(ans.cells))
			return marshalJSON(struct {
				trainBasinHeader
				Cells   []startCellJSON `json:"cells"`
				Summary *basinSummary   `json:"summary"`
			}{head, startCells(ans.cells), sum})
		})
}

// trainBasinHeader describes a map over starts, shared by the REST answer
// and train_basin_start: the function basin map's header (grid, box,
// optimizer, statuses, critical) and the optimizer's index in the request.
type trainBasinHeader struct {
	Type      string        `json:"type,omitempty"`
	ID        text          `json:"id,omitempty"`
	Grid      int           `json:"grid"`
	Box       []jsNumber    `json:"box"`
	Optimizer resolvedJSON  `json:"optimizer"`
	Index     int           `json:"index"`
	Statuses  []string      `json:"statuses"`
	Critical  []reachedJSON `json:"critical"`
}

func newTrainBasinHeader(bm *runspec.TrainBasinMap, crit []landscape.CriticalPoint) trainBasinHeader {
	h := trainBasinHeader{Grid: bm.Grid, Box: jsNumbers(bm.Box[:]...), Optimizer: resolvedJSON{&bm.Optimizer}, Index: bm.Index,
		Statuses: statusNames, Critical: []reachedJSON{}}
	for _, c := range crit {
		h.Critical = append(h.Critical, reachedJSON(c))
	}
	return h
}

// startCellJSON is a cell as [reached, status, step, end1, end2,
// final_loss]: the function basin map's cell and the run's final loss.
type startCellJSON [6]coord

func (c startCellJSON) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, v := range c {
		if i > 0 {
			b = append(b, ',')
		}
		if !finite(float64(v)) {
			return nil, errNonFinite
		}
		b = appendFloat(b, float64(v))
	}
	return append(b, ']'), nil
}

func startCells(cells []train.StartCell) []startCellJSON {
	out := make([]startCellJSON, len(cells))
	for i, c := range cells {
		out[i] = startCellJSON{coord(c.Reached), coord(c.Outcome.Status), coord(c.Outcome.Step), coord(c.End[0]), coord(c.End[1]), coord(c.FinalLoss)}
	}
	return out
}

// basinCells are cells as the function basin map's, for its summary.
func basinCells(cells []train.StartCell) []basin.Cell {
	out := make([]basin.Cell, len(cells))
	for i, c := range cells {
		out[i] = basin.Cell{Status: c.Outcome.Status, Step: int32(c.Outcome.Step), Reached: int32(c.Reached),
			End: landscape.Vec{X: c.End[0], Y: c.End[1]}}
	}
	return out
}

// trainBasinJobWS streams a basin map over starts: train_basin_start (the
// header) once the box is known, one train_basin_row per row as it
// finishes (not in order), with done rows of grid, then train_basin_done
// with the summary.
func (s *session) trainBasinJobWS(ctx context.Context, j *job, raw json.RawMessage, _ bool) {
	bm, err := admitTrainTool(s.h, raw, runspec.DecodeTrainBasin, trainBasinPrice)
	var sum *basinSummary
	if err == nil {
		out := &outbox{s: s, ctx: ctx, j: j}
		done := 0
		_, err = s.h.trainBasin(ctx, bm, func(crit []landscape.CriticalPoint) error {
			sum = newBasinSummary(len(crit))
			head := newTrainBasinHeader(bm, crit)
			head.Type, head.ID = "train_basin_start", text(j.id)
			m, err := jsonMsg(head)
			if err != nil {
				return err
			}
			out.put(m)
			return nil
		}, func(row int, cells []train.StartCell) error {
			done++
			sum.add(basinCells(cells))
			m, err := jsonMsg(struct {
				Type  string          `json:"type"`
				ID    text            `json:"id"`
				Row   int             `json:"row"`
				Done  int             `json:"done"`
				Cells []startCellJSON `json:"cells"`
			}{"train_basin_row", text(j.id), row, done, startCells(cells)})
			if err != nil {
				return err
			}
			out.put(m)
			return nil
		})
		err = out.finish(err)
	}
	s.endJob(ctx, j, "basin map over starts failed", err, func() outMsg {
		m, err := jsonMsg(struct {
			Type    string        `json:"type"`
			ID      text          `json:"id"`
			Summary *basinSummary `json:"summary"`
		}{"train_basin_done", text(j.id), sum})
		if err != nil {
			return errorMsg(j.id, err)
		}
		return m
	})
}
