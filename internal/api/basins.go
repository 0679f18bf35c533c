package api

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"unsafe"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/landscape"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// Basin-map limits and defaults.
const (
	// BasinGridLimit is the largest grid side (the engine's): 256² runs.
	BasinGridLimit = basin.GridLimit
	// BasinGridDefault is the grid side when none is given: detailed
	// enough to show the basins' shapes, a quarter of the full map's work.
	BasinGridDefault = 128
	// BasinWorkLimit bounds grid² × steps, the optimizer steps of one map:
	// 2^27 is the full 256² map at 2,048 steps, a few seconds of the
	// generic engine on two cores, so one request cannot hold a CPU for
	// minutes. Larger budgets fit on smaller grids.
	BasinWorkLimit = 1 << 27
)

// basinFields are the fields a basin map adds to a run spec.
var basinFields = []string{"optimizer", "grid", "box"}

// Status codes of basin cells: optim.Status's values, which both encodings
// write as small integers; the answers list the names in this order.
var statusNames = []string{
	optim.NotConverged: optim.NotConverged.String(),
	optim.Converged:    optim.Converged.String(),
	optim.Diverged:     optim.Diverged.String(),
	optim.LeftDomain:   optim.LeftDomain.String(),
}

// basinJob is a validated basin map.
type basinJob struct {
	cfg   basin.BasinConfig
	opt   *runspec.Resolved
	sched *runspec.Resolved // nil without a schedule
}

// decodeBasin validates a basin-map request: a run spec plus grid (side,
// GridMin to BasinGridLimit) and box ([xmin, xmax, ymin, ymax] of the start
// points, default the spec's domain), for one optimizer (its index in
// "optimizer" when the spec lists several). The spec's start is ignored:
// every grid point is a start.
func (h *Handler) decodeBasin(ctx context.Context, raw []byte) (*basinJob, error) {
	spec, own, err := runspec.DecodeJob(raw, basinFields)
	if err != nil {
		return nil, err
	}
	n, err := own.Int("grid", BasinGridDefault, basin.GridMin, BasinGridLimit)
	if err != nil {
		return nil, err
	}
	box, err := own.Numbers("box", 4, "[xmin, xmax, ymin, ymax]")
	if err != nil {
		return nil, err
	}
	if box != nil {
		if err := checkBox(box); err != nil {
			return nil, err
		}
	}
	r, err := h.resolver.Resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	if work := n * n * int64(r.Config.Steps); work > BasinWorkLimit {
		return nil, runspec.Errorf("grid", "grid*grid*steps must be at most %d, got %d*%d*%d = %d: lower grid or steps",
			BasinWorkLimit, n, n, r.Config.Steps, work)
	}
	if err := h.checkCost("grid", cost.Basin(r.Func, int(n), r.Config.Steps)); err != nil {
		return nil, err
	}
	o, _, err := own.Optimizer(r)
	if err != nil {
		return nil, err
	}
	d := r.Domain
	if box != nil {
		d = landscape.Domain{XMin: box[0], XMax: box[1], YMin: box[2], YMax: box[3]}
	}
	cfg := basin.BasinConfig{
		Func: r.Func, Critical: r.Config.Critical, Box: d, N: int(n),
		Optimizer: o.Info.Name, Values: o.Values,
		Steps: r.Config.Steps, Seed: r.Config.Seed, Noise: r.Config.Noise, ClipNorm: r.Config.ClipNorm,
		Schedule: r.Config.Schedule, LR: o.Values["lr"][0],
	}
	return &basinJob{cfg: cfg, opt: o, sched: r.Schedule}, nil
}

// checkBox applies the domain's rules to a box.
func checkBox(v []float64) error {
	for i, x := range v {
		if !(math.Abs(x) <= runspec.CoordLimit) {
			return runspec.Errorf("box", "box[%d] must be finite with |v| <= 1e6, got %s", i, runspec.FormatNumber(x))
		}
	}
	if !(v[0] < v[1]) || !(v[2] < v[3]) {
		return runspec.Errorf("box", "box must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax, got [%s, %s, %s, %s]",
			runspec.FormatNumber(v[0]), runspec.FormatNumber(v[1]), runspec.FormatNumber(v[2]), runspec.FormatNumber(v[3]))
	}
	return nil
}

// basins computes the map, holding a many-run job slot, handing each row
// to emit as it finishes.
func (h *Handler) basins(ctx context.Context, bj *basinJob, emit func(row int, cells []basin.Cell) error) error {
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return err
	}
	defer release()
	return basin.Basins(ctx, bj.cfg, emit)
}

// basinSummary counts the cells by where they ended, for a legend.
type basinSummary struct {
	reached                                       []int // per critical point
	elsewhere, notConverged, diverged, leftDomain int
}

func newBasinSummary(crit int) *basinSummary { return &basinSummary{reached: make([]int, crit)} }

func (s *basinSummary) add(cells []basin.Cell) {
	for _, c := range cells {
		switch {
		case c.Status == optim.Converged && c.Reached >= 0 && int(c.Reached) < len(s.reached):
			s.reached[c.Reached]++
		case c.Status == optim.Converged:
			s.elsewhere++
		case c.Status == optim.Diverged:
			s.diverged++
		case c.Status == optim.LeftDomain:
			s.leftDomain++
		default:
			s.notConverged++
		}
	}
}

// appendJSON appends {"reached":[count per critical point],
// "converged_elsewhere","not_converged","diverged","left_domain"}.
func (s *basinSummary) appendJSON(b []byte) []byte {
	b = append(b, `{"reached":[`...)
	for i, k := range s.reached {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInt(b, k)
	}
	b = append(b, `],"converged_elsewhere":`...)
	b = appendInt(b, s.elsewhere)
	b = append(b, `,"not_converged":`...)
	b = appendInt(b, s.notConverged)
	b = append(b, `,"diverged":`...)
	b = appendInt(b, s.diverged)
	b = append(b, `,"left_domain":`...)
	b = appendInt(b, s.leftDomain)
	return append(b, '}')
}

// appendHeader appends the members that describe a map, shared by the REST
// answer and basin_start: "grid", "box", "optimizer", "schedule" (when
// given), "statuses" (the names of the status codes) and "critical" (what
// "reached" indexes).
func (bj *basinJob) appendHeader(b []byte) ([]byte, error) {
	d := bj.cfg.Box
	b = append(b, `"grid":`...)
	b = appendInt(b, bj.cfg.N)
	b = append(b, `,"box":`...)
	b = runspec.AppendNumbers(b, []float64{d.XMin, d.XMax, d.YMin, d.YMax})
	b = append(b, `,"optimizer":`...)
	b = appendOptimizerJSON(b, bj.opt)
	if bj.sched != nil {
		b = append(b, `,"schedule":`...)
		b = appendOptimizerJSON(b, bj.sched)
	}
	b = append(b, `,"statuses":[`...)
	for i, s := range statusNames {
		if i > 0 {
			b = append(b, ',')
		}
		b = runspec.AppendJSONString(b, s)
	}
	b = append(b, `],"critical":[`...)
	for i, c := range bj.cfg.Critical {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendCriticalJSON(b, c, true); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// appendCellsJSON appends cells as [reached, status, step, x, y] arrays:
// reached indexes "critical" (-1: none), status is a code of "statuses",
// step the outcome's step and (x, y) the run's last point, written as the
// shortest decimal that reads back to the same float64.
func appendCellsJSON(b []byte, cells []basin.Cell) ([]byte, error) {
	for i, c := range cells {
		if !finite(c.End.X) || !finite(c.End.Y) {
			return b, errNonFinite
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = appendInt(b, int(c.Reached))
		b = append(b, ',')
		b = appendInt(b, int(c.Status))
		b = append(b, ',')
		b = appendInt(b, int(c.Step))
		b = append(b, ',')
		b = appendFloat(b, c.End.X)
		b = append(b, ',')
		b = appendFloat(b, c.End.Y)
		b = append(b, ']')
	}
	return b, nil
}

// postBasins answers a basin map at once.
func (h *Handler) postBasins(w http.ResponseWriter, r *http.Request) {
	answerJob(h, w, r, h.decodeBasin, (*basinJob).held, h.basinGrid, (*basinJob).appendAnswer)
}

// basinGrid computes the whole map: grid² cells, row-major, row j at y_j
// from ymin, x ascending.
func (h *Handler) basinGrid(ctx context.Context, bj *basinJob) ([]basin.Cell, error) {
	n := bj.cfg.N
	grid := make([]basin.Cell, n*n)
	err := h.basins(ctx, bj, func(row int, cells []basin.Cell) error {
		copy(grid[row*n:], cells)
		return nil
	})
	return grid, err
}

// held is the memory a REST map holds until written: its cells.
func (bj *basinJob) held() int64 {
	return int64(bj.cfg.N) * int64(bj.cfg.N) * int64(unsafe.Sizeof(basin.Cell{}))
}

// appendAnswer is the REST answer of a finished map: the header members,
// "cells" (basinGrid's order) and "summary", handed to out row by row.
func (bj *basinJob) appendAnswer(grid []basin.Cell, out spill) ([]byte, error) {
	sum := newBasinSummary(len(bj.cfg.Critical))
	sum.add(grid)
	b := make([]byte, 0, streamChunk+streamChunk/4)
	b = append(b, '{')
	b, err := bj.appendHeader(b)
	if err != nil {
		return b, err
	}
	b = append(b, `,"cells":[`...)
	n := bj.cfg.N
	for row := range n {
		if row > 0 {
			b = append(b, ',')
		}
		if b, err = appendCellsJSON(b, grid[row*n:(row+1)*n]); err != nil {
			return b, err
		}
		if out != nil {
			b = out(b)
		}
	}
	b = append(b, `],"summary":`...)
	b = sum.appendJSON(b)
	return append(b, "}\n"...), nil
}

// frameTypeBasinRow is the binary frame type of a basin-map row
// (docs/DESIGN.md); its header has the points frame's shape.
const frameTypeBasinRow = 2

// appendBasinRowFrame appends one row as a binary frame: the 16-byte
// header (type 2, reserved, id length, row, cells in the row, rows done),
// the id padded to 8 bytes, then the row as arrays the page views without
// copying: N float64 end x, N float64 end y, N int32 reached, N int32 step,
// N uint8 status, zero-padded to a multiple of 8 bytes.
func appendBasinRowFrame(b []byte, id string, row, done int, cells []basin.Cell) ([]byte, error) {
	le := binary.LittleEndian
	n := len(cells)
	b = appendFrameHeader(b, frameTypeBasinRow, id, row, n, done)
	head := len(b)
	size := (25*n + 7) / 8 * 8
	b = slices.Grow(b, size)[:head+size]
	body := b[head:]
	for i, c := range cells {
		if !finite(c.End.X) || !finite(c.End.Y) {
			return b[:head], errNonFinite
		}
		le.PutUint64(body[8*i:], math.Float64bits(c.End.X))
		le.PutUint64(body[8*(n+i):], math.Float64bits(c.End.Y))
		le.PutUint32(body[16*n+4*i:], uint32(c.Reached))
		le.PutUint32(body[20*n+4*i:], uint32(c.Step))
		body[24*n+i] = uint8(c.Status)
	}
	clear(body[25*n:])
	return b, nil
}

// appendBasinRowMessage is the JSON form of a row:
// {"type":"basin_row","id","row","done","cells":[[reached,status,step,x,y],...]}.
func appendBasinRowMessage(b []byte, id string, row, done int, cells []basin.Cell) ([]byte, error) {
	b = append(b, `{"type":"basin_row","id":`...)
	b = runspec.AppendJSONString(b, id)
	b = append(b, `,"row":`...)
	b = appendInt(b, row)
	b = append(b, `,"done":`...)
	b = appendInt(b, done)
	b = append(b, `,"cells":[`...)
	b, err := appendCellsJSON(b, cells)
	return append(b, "]}"...), err
}

// basinJobWS streams a basin map over the websocket: basin_start (the
// header: grid, box, optimizer, statuses, critical), one row per message
// as rows finish (binary frames of type 2, or basin_row with "encoding":
// "json"), each saying how many rows are done, then basin_done with the
// summary. A cancelled job just returns.
func (s *session) basinJobWS(ctx context.Context, j *job, raw json.RawMessage, bin bool) {
	bj, err := s.h.decodeBasin(ctx, raw)
	var sum *basinSummary
	if err == nil {
		sum, err = s.streamBasin(ctx, j, bj, bin)
	}
	s.endJob(ctx, j, "basin map failed", err, func() outMsg {
		b := jobMsg("basin_done", j.id)
		*b = append(*b, `,"summary":`...)
		*b = sum.appendJSON(*b)
		*b = append(*b, '}')
		return textMsg(b)
	})
}

// streamBasin sends basin_start, computes the map and sends each row as it
// finishes, and returns the map's summary.
func (s *session) streamBasin(ctx context.Context, j *job, bj *basinJob, bin bool) (*basinSummary, error) {
	b := jobMsg("basin_start", j.id)
	*b = append(*b, ',')
	var err error
	if *b, err = bj.appendHeader(*b); err != nil {
		putMsg(b)
		return nil, err
	}
	*b = append(*b, '}')
	if err := s.enqueue(ctx, j, false, textMsg(b)); err != nil {
		return nil, err
	}
	sum := newBasinSummary(len(bj.cfg.Critical))
	done := 0
	out := &outbox{s: s, ctx: ctx, j: j}
	err = s.h.basins(ctx, bj, func(row int, cells []basin.Cell) error {
		done++
		sum.add(cells)
		m, err := dataMsg(bin, j.id, row, done, cells, appendBasinRowFrame, appendBasinRowMessage)
		if err != nil {
			return err
		}
		out.put(m)
		return nil
	})
	return sum, out.finish(err)
}
