package runspec

import (
	"context"
	"errors"
	"testing"

	"github.com/basin-dev/basin/internal/landscape"
)

// TestCriticalCache: spellings of one expression share one cache entry
// (the key is the canonical form and the box), every search is admitted
// first, a refused search is not cached, and a finished one always is.
func TestCriticalCache(t *testing.T) {
	rv := NewResolver()
	admitted := 0
	refuse := false
	errRefused := errors.New("refused")
	rv.Admit = func(ctx context.Context, fn landscape.Function) (func(), error) {
		if refuse {
			return nil, errRefused
		}
		admitted++
		return func() {}, nil
	}
	box := landscape.Domain{XMin: -2, XMax: 2, YMin: -2, YMax: 2}
	other := landscape.Domain{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	for _, tc := range []struct {
		src          string
		d            landscape.Domain
		wantAdmitted int
	}{
		{"x^2+y^2", box, 1},
		{"x^2 + y^2", box, 1},
		{"(x^2)+(y^2)", box, 1},
		{"x^2+y^2", other, 2},
	} {
		fn, err := compileExpr(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		set, err := rv.Critical(context.Background(), tc.src, fn, tc.d)
		crit := set.Points
		if err != nil || len(crit) != 1 || crit[0].Kind != landscape.Minimum {
			t.Fatalf("%s: %v, %v", tc.src, crit, err)
		}
		if admitted != tc.wantAdmitted {
			t.Errorf("%s on %v: %d searches admitted, want %d", tc.src, tc.d, admitted, tc.wantAdmitted)
		}
	}
	refuse = true
	fn, _ := compileExpr("x^2+y^4")
	if _, err := rv.Critical(context.Background(), "x^2+y^4", fn, box); !errors.Is(err, errRefused) {
		t.Fatalf("a refused search: %v", err)
	}
	refuse = false
	if _, err := rv.Critical(context.Background(), "x^2+y^4", fn, box); err != nil || admitted != 3 {
		t.Fatalf("after a refusal the search runs: %v, %d admitted", err, admitted)
	}
}
