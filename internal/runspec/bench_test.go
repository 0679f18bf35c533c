package runspec

import (
	"bytes"
	"encoding/json"
	"testing"
)

// BenchmarkDecodeSpec decodes a slider-drag spec (five optimizers) with
// Decode, next to the json.Decoder token walk it replaced (members in
// order, each value as a RawMessage), which was its main cost.
func BenchmarkDecodeSpec(b *testing.B) {
	spec := []byte(`{"function":"himmelblau","start":[0,0],"steps":1000,"lr":0.0064,"optimizers":[{"name":"sgd"},{"name":"momentum"},{"name":"rmsprop"},{"name":"adagrad"},{"name":"adam","betas":[0.9,0.999]}]}`)
	b.Run("scanner", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(spec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decoder-tokens", func(b *testing.B) {
		var walk func(raw []byte)
		walk = func(raw []byte) {
			dec := json.NewDecoder(bytes.NewReader(raw))
			tok, _ := dec.Token()
			if tok != json.Delim('{') {
				return
			}
			for dec.More() {
				dec.Token()
				var v json.RawMessage
				dec.Decode(&v)
				if v[0] == '[' && v[1] == '{' {
					var items []json.RawMessage
					json.Unmarshal(v, &items)
					for _, it := range items {
						walk(it)
					}
				}
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			walk(spec)
		}
	})
}
