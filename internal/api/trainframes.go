package api

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/basin-dev/basin/internal/runspec"
	"github.com/basin-dev/basin/internal/train"
)

// Binary frames of the websocket's train job (docs/DESIGN.md).
const (
	// frameTypeTrainRows carries recorded rows of one run: the shared
	// header (type 3, run, first row, rows in the frame), then for each
	// row 7+P float64: loss, batch_loss, val_loss, accuracy, a, b,
	// distance, then the P parameters; NaN marks a value the row does not
	// have.
	frameTypeTrainRows = 3
	// frameTypeTrainLandscape carries the landscape: the shared header
	// (type 4, nx, ny, 0), then box as 4 float64, then nx*ny float64
	// values, row-major from bmin; +Inf where the loss overflows.
	frameTypeTrainLandscape = 4
	// trainRowsBytes bounds a rows frame's payload, so a frame of a large
	// network still fits the queue's budget and the first rows arrive at
	// once.
	trainRowsBytes = 128 << 10
)

// trainRowWidth is the float64 count of one row in a rows frame.
func trainRowWidth(params int) int { return len(trainColumns) + 1 + params }

// trainRowsPerFrame is how many rows fit trainRowsBytes, at least one.
func trainRowsPerFrame(params int) int {
	return max(1, trainRowsBytes/(8*trainRowWidth(params)))
}

// appendTrainRowsFrame appends rows [from, from+count) of run i as a
// binary frame.
func appendTrainRowsFrame(b []byte, id string, i, from, count int, r *train.RunResult, np int) []byte {
	le := binary.LittleEndian
	w := trainRowWidth(np)
	b = frameHeader{typ: frameTypeTrainRows, id: id, fields: [3]int{i, from, count}}.appendTo(b)
	head := len(b)
	b = slices.Grow(b, 8*w*count)[:head+8*w*count]
	body := b[head:]
	o := 0
	put := func(v float64) {
		le.PutUint64(body[o:], math.Float64bits(v))
		o += 8
	}
	for k := from; k < from+count; k++ {
		for _, v := range trainRowValues(r, k) {
			put(v)
		}
		if r.Distance != nil {
			put(r.Distance[k])
		} else {
			put(math.NaN())
		}
		for _, v := range r.Params[k*np : (k+1)*np] {
			put(v)
		}
	}
	return b
}

// appendTrainRowsMessage is the JSON form of a rows frame:
// {"type":"train_rows","id","run","from","rows":[[loss,batch_loss,...],...]}
// with null where the binary frame has NaN.
func appendTrainRowsMessage(b []byte, id string, i, from, count int, r *train.RunResult, np int) []byte {
	b = append(b, `{"type":"train_rows","id":`...)
	b = runspec.AppendJSONString(b, id)
	b = append(b, `,"run":`...)
	b = appendInt(b, i)
	b = append(b, `,"from":`...)
	b = appendInt(b, from)
	b = append(b, `,"rows":[`...)
	for k := from; k < from+count; k++ {
		if k > from {
			b = append(b, ',')
		}
		b = append(b, '[')
		for _, v := range trainRowValues(r, k) {
			b = appendNumberOrNull(b, v)
			b = append(b, ',')
		}
		if r.Distance != nil {
			b = appendFloat(b, r.Distance[k])
		} else {
			b = append(b, "null"...)
		}
		for _, v := range r.Params[k*np : (k+1)*np] {
			b = append(b, ',')
			b = appendFloat(b, v)
		}
		b = append(b, ']')
	}
	return append(b, "]}"...)
}

// appendTrainLandscapeFrame appends the landscape as a binary frame.
func appendTrainLandscapeFrame(b []byte, id string, g *train.Grid) []byte {
	le := binary.LittleEndian
	b = frameHeader{typ: frameTypeTrainLandscape, id: id, fields: [3]int{g.NX, g.NY, 0}}.appendTo(b)
	for _, v := range g.Box {
		b = le.AppendUint64(b, math.Float64bits(v))
	}
	for _, v := range g.Values {
		b = le.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

// appendTrainLandscapeMessage is the JSON form of the landscape frame:
// {"type":"train_landscape","id","box","nx","ny","values"}, null where the
// loss overflows.
func appendTrainLandscapeMessage(b []byte, id string, g *train.Grid) []byte {
	b = append(b, `{"type":"train_landscape","id":`...)
	b = runspec.AppendJSONString(b, id)
	b = append(b, `,"box":`...)
	b = appendFloats(b, g.Box[:])
	b = append(b, `,"nx":`...)
	b = appendInt(b, g.NX)
	b = append(b, `,"ny":`...)
	b = appendInt(b, g.NY)
	b = append(b, `,"values":[`...)
	for i, v := range g.Values {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendNumberOrNull(b, v)
	}
	return append(b, "]}"...)
}
