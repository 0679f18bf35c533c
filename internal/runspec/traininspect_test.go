package runspec

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestDecodeTrainInspection(t *testing.T) {
	const base = `{"dataset":{"name":"line"},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}`
	tests := []struct {
		name, body    string
		opt, step     int
		field, errMsg string
	}{
		{"one optimizer, its index left out", base + `],"step":3}`, 0, 3, "", ""},
		{"index given", base + `,{"name":"adam"}],"optimizer":1,"step":0}`, 1, 0, "", ""},
		{"step and optimizer anywhere", `{"step":2,` + base[1:] + `],"optimizer":0}`, 0, 2, "", ""},
		{"no step", base + `]}`, 0, 0, "step", "step is required"},
		{"index required", base + `,{"name":"adam"}],"step":1}`, 0, 0, "optimizer", "optimizer (an index into optimizers) is required when optimizers lists 2"},
		{"index range", base + `],"optimizer":1,"step":1}`, 0, 0, "optimizer", "optimizer must be an integer in [0, 0], got 1"},
		{"step type", base + `],"step":"3"}`, 0, 0, "step", `step must be an integer in [0, 100000], got "3"`},
		{"duplicate step", base + `],"step":1,"step":2}`, 0, 0, "step", `duplicate field "step"`},
		{"unknown field", base + `],"stpe":1}`, 0, 0, "stpe", `unknown field "stpe" (did you mean step?)`},
		{"the request's own error", `{"dataset":{"points":[[1,NaN]]},"model":{"kind":"linear"},"optimizers":[{"name":"sgd"}],"step":1}`, 0, 0, "dataset.points[0][1]", ""},
		{"not an object", `[1]`, 0, 0, "", "the training request must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ti, err := DecodeTrainInspection([]byte(tt.body))
			if tt.field == "" && tt.errMsg == "" {
				if err != nil || ti.Optimizer != tt.opt || ti.Step != tt.step || ti.Spec.Dataset.Name != "line" {
					t.Fatalf("got %+v, %v", ti, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Field != tt.field || !strings.Contains(e.Msg, tt.errMsg) {
				t.Fatalf("got %v, want %s: %s", err, tt.field, tt.errMsg)
			}
		})
	}
}

// FuzzDecodeTrainInspection: any body decodes or fails with an *Error, and
// a decoded one holds the training request DecodeTrain reads without the
// two fields.
func FuzzDecodeTrainInspection(f *testing.F) {
	f.Add([]byte(`{"dataset":{"name":"moons"},"model":{"kind":"mlp","hidden":[4],"activation":"tanh"},"optimizers":[{"name":"adam"}],"step":5}`))
	f.Add([]byte(`{"step":1,"optimizer":0,"dataset":{"points":[[1,2],[3,Infinity]]}}`))
	f.Add([]byte(`{"step":-1}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ti, err := DecodeTrainInspection(raw)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		if ti.Step < 0 || ti.Optimizer < 0 || (len(ti.Spec.Optimizers) > 0 && ti.Optimizer >= len(ti.Spec.Optimizers)) {
			t.Fatalf("decoded out of range: %+v", ti)
		}
		ms, _ := ObjectMembers(raw)
		rest := []byte{'{'}
		for _, m := range ms {
			if m.Name == "step" || m.Name == "optimizer" {
				continue
			}
			if len(rest) > 1 {
				rest = append(rest, ',')
			}
			rest = AppendJSONString(rest, m.Name)
			rest = append(rest, ':')
			rest = append(rest, m.Value...)
		}
		rest = append(rest, '}')
		if s, err := DecodeTrain(rest); err == nil && !reflect.DeepEqual(s, ti.Spec) {
			t.Fatalf("the spec differs from DecodeTrain's: %+v vs %+v", ti.Spec, s)
		}
	})
}
