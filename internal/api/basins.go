package api

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"unsafe"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
)

// Status codes of basin cells: optim.Status's values, which both encodings
// write as small integers; the answers list the names in this order.
var statusNames = []string{
	optim.NotConverged: optim.NotConverged.String(),
	optim.Converged:    optim.Converged.String(),
	optim.Diverged:     optim.Diverged.String(),
	optim.LeftDomain:   optim.LeftDomain.String(),
	optim.Wandering:    optim.Wandering.String(),
}

// basins computes the map, holding a many-run job slot, handing each row
// to emit as it finishes.
func (h *Handler) basins(ctx context.Context, bj *runspec.BasinMap, emit func(row int, cells []basin.Cell) error) error {
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return err
	}
	defer release()
	return basin.Map(ctx, bj.Config, emit)
}

// basinSummary counts the cells by where they ended, for a legend: per
// critical point (what "reached" indexes), converged elsewhere, and the
// cells that did not converge.
type basinSummary struct {
	Reached      []int `json:"reached"`
	Elsewhere    int   `json:"converged_elsewhere"`
	NotConverged int   `json:"not_converged"`
	Diverged     int   `json:"diverged"`
	LeftDomain   int   `json:"left_domain"`
	Wandering    int   `json:"wandering"`
}

func newBasinSummary(crit int) *basinSummary { return &basinSummary{Reached: make([]int, crit)} }

func (s *basinSummary) add(cells []basin.Cell) {
	for _, c := range cells {
		switch {
		case c.Status == optim.Converged && c.Reached >= 0 && int(c.Reached) < len(s.Reached):
			s.Reached[c.Reached]++
		case c.Status == optim.Converged:
			s.Elsewhere++
		case c.Status == optim.Diverged:
			s.Diverged++
		case c.Status == optim.LeftDomain:
			s.LeftDomain++
		case c.Status == optim.Wandering:
			s.Wandering++
		default:
			s.NotConverged++
		}
	}
}

// basinHeader describes a map, shared by the REST answer and basin_start:
// the grid, the box, the optimizer and schedule, the names of the status
// codes, and the critical points "reached" indexes.
type basinHeader struct {
	Type      string        `json:"type,omitempty"`
	ID        text          `json:"id,omitempty"`
	Grid      int           `json:"grid"`
	Box       []jsNumber    `json:"box"`
	Optimizer resolvedJSON  `json:"optimizer"`
	Schedule  *resolvedJSON `json:"schedule,omitempty"`
	Statuses  []string      `json:"statuses"`
	Critical  []reachedJSON `json:"critical"`
}

func newBasinHeader(bj *runspec.BasinMap) basinHeader {
	d := bj.Config.Box
	h := basinHeader{
		Grid: bj.Config.N, Box: jsNumbers(d.XMin, d.XMax, d.YMin, d.YMax),
		Optimizer: resolvedJSON{bj.Optimizer}, Statuses: statusNames, Critical: []reachedJSON{},
	}
	if bj.Schedule != nil {
		h.Schedule = &resolvedJSON{bj.Schedule}
	}
	for _, c := range bj.Config.Critical {
		h.Critical = append(h.Critical, reachedJSON(c))
	}
	return h
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

// postBasins answers a basin map at once: JSON, or the binary row layout
// (appendBasinBinary) when the client accepts only application/octet-stream
// ahead of JSON.
func (h *Handler) postBasins(w http.ResponseWriter, r *http.Request) {
	if wantsOctets(r) {
		answerJobAs(h, w, r, octetStream, h.resolveMap, mapHeld, h.basinGrid, appendBasinBinary)
		return
	}
	answerJob(h, w, r, h.resolveMap, mapHeld, h.basinGrid, appendBasinAnswer)
}

const octetStream = "application/octet-stream"

// wantsOctets reports whether the Accept header names
// application/octet-stream: a client that lists it asked for bytes it has
// to decode itself, so it gets them even when it also lists JSON.
func wantsOctets(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept") {
		for part := range strings.SplitSeq(v, ",") {
			media, _, _ := strings.Cut(part, ";")
			if strings.EqualFold(strings.TrimSpace(media), octetStream) {
				return true
			}
		}
	}
	return false
}

// basinPreambleLen is the size of the binary answer's fixed start: the
// header's length and a reserved zero, two uint32.
const basinPreambleLen = 8

// appendBasinBinary is the binary REST answer of a finished map
// (docs/API.md): a uint32 length L and a reserved zero uint32, then L bytes
// of JSON (the JSON answer without "cells", space-padded so that what
// follows starts at a multiple of 8 bytes), then the rows in order as
// websocket basin-row frames with an empty id. Every size in it follows
// from the frame headers, so a client reads it with the page's frame
// decoder and no second format.
func appendBasinBinary(bj *runspec.BasinMap, grid []basin.Cell, out spill) ([]byte, error) {
	sum := newBasinSummary(len(bj.Config.Critical))
	sum.add(grid)
	head, err := marshalJSON(struct {
		basinHeader
		Summary *basinSummary `json:"summary"`
	}{newBasinHeader(bj), sum})
	if err != nil {
		return nil, err
	}
	for (basinPreambleLen+len(head))%8 != 0 {
		head = append(head, ' ')
	}
	b := make([]byte, 0, streamChunk+streamChunk/4)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(head)))
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = append(b, head...)
	n := bj.Config.N
	for row := range n {
		if b, err = appendBasinRowFrame(b, "", row, row+1, grid[row*n:(row+1)*n]); err != nil {
			return nil, err
		}
		if out != nil {
			b = out(b)
		}
	}
	return b, nil
}

// basinGrid computes the whole map: grid² cells, row-major, row j at y_j
// from ymin, x ascending.
func (h *Handler) basinGrid(ctx context.Context, bj *runspec.BasinMap) ([]basin.Cell, error) {
	n := bj.Config.N
	grid := make([]basin.Cell, n*n)
	err := h.basins(ctx, bj, func(row int, cells []basin.Cell) error {
		copy(grid[row*n:], cells)
		return nil
	})
	return grid, err
}

// resolveMap validates a basin-map request and prices it against the CPU
// budget.
func (h *Handler) resolveMap(ctx context.Context, raw []byte) (*runspec.BasinMap, error) {
	bj, err := h.resolver.ResolveMap(ctx, raw)
	if err != nil {
		return nil, err
	}
	if err := h.checkCost("grid", cost.Basin(bj.Config.Func, bj.Config.N, bj.Config.Steps).Noisy(bj.Config.Noise)); err != nil {
		return nil, err
	}
	return bj, nil
}

// mapHeld is the memory a REST map holds until written: its cells.
func mapHeld(bj *runspec.BasinMap) int64 {
	return int64(bj.Config.N) * int64(bj.Config.N) * int64(unsafe.Sizeof(basin.Cell{}))
}

// appendAnswer is the REST answer of a finished map: the header, "cells"
// (basinGrid's order) and "summary". The cells are up to 65,536 basin rows'
// worth, written by the rows' own encoder straight into the answer; the
// header and summary around them by encoding/json.
func appendBasinAnswer(bj *runspec.BasinMap, grid []basin.Cell, out spill) ([]byte, error) {
	sum := newBasinSummary(len(bj.Config.Critical))
	sum.add(grid)
	head, err := marshalJSON(newBasinHeader(bj))
	if err != nil {
		return nil, err
	}
	tail, err := marshalJSON(sum)
	if err != nil {
		return nil, err
	}
	head = bytes.TrimSuffix(head, []byte("}\n"))
	b := make([]byte, 0, streamChunk+streamChunk/4)
	b = append(append(b, head...), `,"cells":[`...)
	// Row by row, so the stream writes the answer as it is encoded
	// instead of holding all of it.
	n := bj.Config.N
	for row := range n {
		if row > 0 {
			b = append(b, ',')
		}
		if b, err = appendCellsJSON(b, grid[row*n:(row+1)*n]); err != nil {
			return nil, err
		}
		if out != nil {
			b = out(b)
		}
	}
	b = append(append(b, `],"summary":`...), bytes.TrimSuffix(tail, []byte("\n"))...)
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
	b = frameHeader{typ: frameTypeBasinRow, id: id, fields: [3]int{row, n, done}}.appendTo(b)
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
	bj, err := s.h.resolveMap(ctx, raw)
	var sum *basinSummary
	if err == nil {
		sum, err = s.streamBasin(ctx, j, bj, bin)
	}
	s.endJob(ctx, j, "basin map failed", err, func() outMsg {
		m, err := jsonMsg(struct {
			Type    string        `json:"type"`
			ID      text          `json:"id"`
			Summary *basinSummary `json:"summary"`
		}{"basin_done", text(j.id), sum})
		if err != nil {
			return errorMsg(j.id, err)
		}
		return m
	})
}

// streamBasin sends basin_start, computes the map and sends each row as it
// finishes, and returns the map's summary.
func (s *session) streamBasin(ctx context.Context, j *job, bj *runspec.BasinMap, bin bool) (*basinSummary, error) {
	start := newBasinHeader(bj)
	start.Type, start.ID = "basin_start", text(j.id)
	m, err := jsonMsg(start)
	if err != nil {
		return nil, err
	}
	if err := s.enqueue(ctx, j, false, m); err != nil {
		return nil, err
	}
	sum := newBasinSummary(len(bj.Config.Critical))
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
