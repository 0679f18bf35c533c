package api

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/data"
	"github.com/basin-dev/basin/internal/runspec"
)

// benchTrainBody is the slice speed target's request: the 2-16-16-1 ReLU
// network on 1,000 rows of moons (two seeded draws of 500, as the engine's
// benchmarks), one training step, and a 64 x 64 PCA slice.
func benchTrainBody(b *testing.B) string {
	var sb strings.Builder
	sb.WriteString(`{"dataset":{"points":[`)
	for seed := uint64(1); seed <= 2; seed++ {
		n := 500
		s, err := data.Generate(data.Generated{Name: "moons", N: &n, Seed: seed})
		if err != nil {
			b.Fatal(err)
		}
		for i := range s.Rows() {
			if seed > 1 || i > 0 {
				sb.WriteByte(',')
			}
			x := s.Row(i)
			sb.WriteString("[" + strconv.FormatFloat(x[0], 'g', -1, 64) + "," + strconv.FormatFloat(x[1], 'g', -1, 64) + "," + strconv.FormatFloat(s.Y[i], 'g', -1, 64) + "]")
		}
	}
	sb.WriteString(`]},"model":{"kind":"mlp","hidden":[16,16],"activation":"relu"},"init":{"seed":1},
		"steps":1,"batch_size":32,"optimizers":[{"name":"adam","lr":0.01}],"slice":{"kind":"pca"},"grid":64}`)
	return sb.String()
}

// BenchmarkTrainSliceHTTP is the whole POST /api/v1/train request of the
// slice target, its JSON answer read to the last byte.
func BenchmarkTrainSliceHTTP(b *testing.B) {
	body := benchTrainBody(b)
	srv := httptest.NewServer(NewHandler(Config{Logger: discard()}))
	defer srv.Close()
	for b.Loop() {
		res, err := http.Post(srv.URL+"/api/v1/train", "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
		b.SetBytes(n)
	}
}

// BenchmarkTrainSliceEngine is the same request decoded and computed
// without HTTP or encoding: the baseline the HTTP figure is a ratio to.
func BenchmarkTrainSliceEngine(b *testing.B) {
	body := []byte(benchTrainBody(b))
	for b.Loop() {
		spec, err := runspec.DecodeTrain(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := runspec.Train(context.Background(), spec, nil); err != nil {
			b.Fatal(err)
		}
	}
}
