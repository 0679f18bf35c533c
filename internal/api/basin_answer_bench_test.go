package api

import (
	"context"
	"testing"

	"github.com/basin-dev/basin/internal/basin"
	"github.com/basin-dev/basin/internal/landscape"
)

// BenchmarkBasinAnswer encodes the REST answer of a full 256² map (header,
// cells, summary), without computing it.
func BenchmarkBasinAnswer(b *testing.B) {
	h := NewHandler(Config{Logger: discard()})
	bj, err := h.resolver.ResolveMap(context.Background(), []byte(`{"function":"himmelblau","steps":10,"optimizers":[{"name":"adam"}],"grid":256}`))
	if err != nil {
		b.Fatal(err)
	}
	const n = 256
	cells := make([]basin.Cell, n*n)
	for i := range cells {
		cells[i] = basin.Cell{End: landscape.Vec{X: 3 + float64(i)*1e-9, Y: -2.805118086952745 - float64(i)*1e-10}, Status: 1, Step: int32(300 + i%200), Reached: int32(i % 4)}
	}
	b.ReportAllocs()
	for b.Loop() {
		out, err := appendBasinAnswer(bj, cells, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}
