package runspec

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/basin-dev/basin/internal/optim"
)

type vectors struct {
	Canonical []vector `json:"canonical"`
	Decode    []vector `json:"decode"`
	Invalid   []struct {
		Query string `json:"query"`
		Error string `json:"error"`
	} `json:"invalid"`
}

type vector struct {
	Name  string          `json:"name"`
	Query string          `json:"query"`
	Spec  json.RawMessage `json:"spec"`
}

func readVectors(t *testing.T) vectors {
	t.Helper()
	raw, err := os.ReadFile("testdata/permalink-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// sameJSON compares two JSON documents as values.
func sameJSON(t *testing.T, got, want []byte) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("invalid JSON %s: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("invalid JSON %s: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

func TestPermalinkVectors(t *testing.T) {
	v := readVectors(t)
	for _, c := range append(v.Canonical, v.Decode...) {
		t.Run(c.Name, func(t *testing.T) {
			s, err := ParseQuery(c.Query)
			if err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			got, _ := s.MarshalJSON()
			if !sameJSON(t, got, c.Spec) {
				t.Errorf("query %s\ndecoded %s\nwant    %s", c.Query, got, c.Spec)
			}
		})
	}
	for _, c := range v.Canonical {
		t.Run(c.Name+"/encode", func(t *testing.T) {
			s, err := Decode(c.Spec)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got := EncodeQuery(s); got != c.Query {
				t.Errorf("spec %s\nencoded %s\nwant    %s", c.Spec, got, c.Query)
			}
		})
	}
	for _, c := range v.Invalid {
		t.Run(c.Query, func(t *testing.T) {
			_, err := ParseQuery(c.Query)
			if err == nil || err.Error() != c.Error {
				t.Errorf("ParseQuery(%s) error\ngot  %v\nwant %s", c.Query, err, c.Error)
			}
		})
	}
}

// TestPermalinkRoundTrip checks spec -> query -> spec on specs built in Go,
// including numbers whose shortest form is awkward, bit for bit.
func TestPermalinkRoundTrip(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	i := func(v int64) *int64 { return &v }
	specs := []Spec{
		{Function: "himmelblau", Optimizers: []OptimizerSpec{{Name: "adam"}}},
		{Expr: "sin(x)*cos(y) + 0.1*(x^2+y^2) & # % + é", Domain: []float64{-math.Pi, math.Pi, -1e6, 1e6},
			Start: []float64{math.Nextafter(0, 1), -math.MaxFloat64}, Steps: i(10000), Seed: i(0),
			Noise: f(1.0 / 3), ClipNorm: f(0), LR: f(1e-300),
			Optimizers: []OptimizerSpec{
				{Name: "sgd", Params: []ParamSpec{{Name: "nesterov", Kind: optim.Bool, Value: [2]float64{1}},
					{Name: "momentum", Kind: optim.Number, Value: [2]float64{0.1 + 0.2}}}},
				{Name: "adam", Params: []ParamSpec{{Name: "betas", Kind: optim.Pair, Value: [2]float64{1 - 1e-16, 123456789012345680000}}}},
			}},
	}
	for _, s := range specs {
		q := EncodeQuery(s)
		back, err := ParseQuery(q)
		if err != nil {
			t.Fatalf("ParseQuery(%s): %v", q, err)
		}
		if !reflect.DeepEqual(back, s) {
			t.Errorf("round trip through %s\ngot  %v\nwant %v", q, back, s)
		}
		// And through JSON, the other two faces.
		j, _ := s.MarshalJSON()
		back, err = Decode(j)
		if err != nil {
			t.Fatalf("Decode(%s): %v", j, err)
		}
		if !reflect.DeepEqual(back, s) {
			t.Errorf("JSON round trip through %s\ngot  %v\nwant %v", j, back, s)
		}
	}
}

func TestAppendNumberMatchesJavaScript(t *testing.T) {
	// Expected strings are JavaScript's String(v).
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {-1.5, "-1.5"}, {0.1, "0.1"},
		{1e-7, "1e-7"}, {1.5e-7, "1.5e-7"}, {0.000001, "0.000001"}, {1.25e-6, "0.00000125"},
		{123456789, "123456789"}, {1e20, "100000000000000000000"}, {1e21, "1e+21"},
		{1.2345e22, "1.2345e+22"}, {0.30000000000000004, "0.30000000000000004"}, {5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e+308"}, {-2.5e-10, "-2.5e-10"}, {100, "100"},
	}
	for _, c := range cases {
		if got := FormatNumber(c.v); got != c.want {
			t.Errorf("FormatNumber(%g) = %s, want %s", c.v, got, c.want)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	raw, _ := os.ReadFile("testdata/permalink-vectors.json")
	var v vectors
	json.Unmarshal(raw, &v)
	for _, c := range v.Canonical {
		f.Add(c.Query)
	}
	for _, c := range v.Invalid {
		f.Add(c.Query)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s, err := ParseQuery(q)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes and decodes to the same spec.
		back, err := ParseQuery(EncodeQuery(s))
		if err != nil {
			t.Fatalf("re-parse of %q: %v", EncodeQuery(s), err)
		}
		a, _ := s.MarshalJSON()
		b, _ := back.MarshalJSON()
		if !bytes.Equal(a, b) {
			t.Fatalf("%q: %s != %s", q, a, b)
		}
	})
}

// FuzzDecodeSpec checks that the scanner-based decoder never panics, and that
// whatever it accepts writes back as canonical JSON that decodes to the same
// spec and to the same value under encoding/json.
func FuzzDecodeSpec(f *testing.F) {
	raw, _ := os.ReadFile("testdata/permalink-vectors.json")
	var v vectors
	json.Unmarshal(raw, &v)
	for _, c := range append(v.Canonical, v.Decode...) {
		f.Add([]byte(c.Spec))
	}
	f.Add([]byte(`{"function":"b\u00e9","optimizers":[{"name":"a\"b","x":[1,2]},{"name":"s","y":true}],"steps":3}`))
	f.Add([]byte(` { "lr" : 1e-3 , "start" : [ 1 , -2.5e+3 ] } `))
	f.Fuzz(func(t *testing.T, in []byte) {
		s, err := Decode(in)
		if err != nil {
			return
		}
		out, _ := s.MarshalJSON()
		back, err := Decode(out)
		if err != nil {
			t.Fatalf("%s -> %s: %v", in, out, err)
		}
		again, _ := back.MarshalJSON()
		if !bytes.Equal(out, again) {
			t.Fatalf("%s -> %s -> %s", in, out, again)
		}
		var a, b any
		json.Unmarshal(in, &a)
		json.Unmarshal(out, &b)
		if !reflect.DeepEqual(normalize(a), normalize(b)) {
			t.Fatalf("%s decodes differently from its canonical form %s", in, out)
		}
	})
}

// normalize drops JSON nulls, which a spec reads as "not given", and empty
// strings, which a spec reads the same way.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e != nil && e != "" {
				out[k] = normalize(e)
			}
		}
		return out
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	}
	return v
}

// FuzzScanner feeds arbitrary bytes to the scanner directly (as a caller
// that forgot json.Valid would): it must not panic.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{`{"a":`, `{"a":[1,{"b":"\`, `[`, `{"`, `{"a" 1}`, `{"a":1,}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		ObjectMembers(in)
		arrayItems(in)
		if len(in) > 0 {
			valueEnd(in, 0)
			jsonNumber(in)
		}
	})
}

func TestSuggest(t *testing.T) {
	known := []string{"steps", "step", "seed", "start", "lr", "himmelblau", "adam", "adamw"}
	cases := []struct{ in, want string }{
		{"stpes", "steps"}, {"stpe", "step"}, {"himelblau", "himmelblau"}, {"himmelbalu", "himmelblau"},
		{"adm", "adam"}, {"adamw", "adamw"}, {"sede", "seed"}, {"zzz", ""}, {"l", "lr"}, {"momentum", ""},
	}
	for _, c := range cases {
		if got := Suggest(c.in, known); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestQueryIntegerForm: an integer in a query has JSON's form; a sign or a
// leading zero makes it not an integer, as it would be in a JSON spec.
func TestQueryIntegerForm(t *testing.T) {
	for _, tc := range []struct {
		steps string
		ok    bool
	}{
		{"10", true}, {"%2B10", false}, {"010", false}, {"1e1", false}, {"10.0", false}, {"+10", false},
	} {
		_, err := ParseQuery("v=1&f=booth&opt=sgd&steps=" + tc.steps)
		if (err == nil) != tc.ok {
			t.Errorf("steps=%s: err %v, want accepted %v", tc.steps, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "steps must be an integer") {
			t.Errorf("steps=%s: %v", tc.steps, err)
		}
	}
}
