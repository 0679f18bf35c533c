package model

import "github.com/basin-dev/basin/internal/data"

// Columns is a whole dataset laid out as a workspace's first layer reads
// its inputs: chunk by chunk, one run of rows per feature, padded as the
// workspace pads them. A slice grid takes the full-data loss at thousands
// of parameter vectors on the same rows; with Columns the rows are laid
// out once instead of once per node. It is read only, so the workers of
// one grid can share it.
type Columns struct {
	x     []float64 // chunk after chunk of inputRows x chunkRows, zero where no row or feature
	y     []float64
	chunk int // len of one chunk of x: a workspace's len(acts[0])
}

// inputRows is how many feature runs a workspace's inputs hold: the
// features, or eight when fewer, so the first layer runs in axpy8.
func (m *Model) inputRows() int {
	if f := m.sizes[0]; !hasFMA || f >= 8 {
		return f
	}
	return 8
}

// Columns lays every row of set out for LossColumns of m's workspaces.
func (m *Model) Columns(set *data.Set) *Columns {
	f, rows := m.sizes[0], set.Rows()
	c := &Columns{chunk: m.inputRows() * chunkRows, y: append([]float64(nil), set.Y...)}
	chunks := (rows + chunkRows - 1) / chunkRows
	c.x = make([]float64, chunks*c.chunk)
	for i := range rows {
		base := i / chunkRows * c.chunk
		for k := range f {
			c.x[base+k*chunkRows+i%chunkRows] = set.X[i*f+k]
		}
	}
	return c
}

// LossColumns is Loss over every row of the dataset c was made from, with
// the same value, reading the rows where c holds them.
func (ws *Workspace) LossColumns(p []float64, c *Columns) float64 {
	return ws.passRows(p, nil, nil, nil, nil, c)
}
