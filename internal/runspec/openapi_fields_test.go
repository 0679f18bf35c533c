package runspec

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPINamesEveryField: each request schema of docs/openapi.json
// (with the schemas it composes through allOf) names exactly the fields
// its decoder takes, so the description neither refuses a valid request
// nor documents a field the server refuses.
func TestOpenAPINamesEveryField(t *testing.T) {
	raw, err := os.ReadFile("../../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
				AllOf      []struct {
					Ref string `json:"$ref"`
				} `json:"allOf"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var names func(schema string) []string
	names = func(schema string) []string {
		s, ok := doc.Components.Schemas[schema]
		if !ok {
			t.Fatalf("docs/openapi.json has no schema %s", schema)
		}
		var out []string
		for name := range s.Properties {
			out = append(out, name)
		}
		for _, a := range s.AllOf {
			out = append(out, names(strings.TrimPrefix(a.Ref, "#/components/schemas/"))...)
		}
		return out
	}
	cases := []struct {
		schema string
		fields [][]string
	}{
		{"RunSpec", [][]string{specFields}},
		{"SweepRequest", [][]string{specFields, sweepFields}},
		{"BasinRequest", [][]string{specFields, basinFields}},
		{"InspectRequest", [][]string{specFields, inspectFields}},
		{"TrainRequest", [][]string{trainFields}},
		{"TrainSweepRequest", [][]string{trainFields, trainSweepFields}},
		{"TrainBasinRequest", [][]string{trainFields, trainBasinFields}},
		{"TrainInspectRequest", [][]string{trainFields, trainInspectFields}},
	}
	for _, c := range cases {
		want := slices.Concat(c.fields...)
		slices.Sort(want)
		want = slices.Compact(want)
		got := names(c.schema)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s names %v; its decoder takes %v", c.schema, got, want)
		}
	}
}
