package runspec

import (
	"encoding/json"
	"slices"
)

// The many-run jobs (learning-rate sweeps, basin maps) and the optimizer
// inspection take a run spec with a few fields of their own at its top
// level, so a client sends the spec it already has (the page's permalink
// state) plus, say, "grid": 128. DecodeJob splits the extra fields off; the
// rest is decoded and validated exactly as a run spec, with the same
// messages.

// JobFields are a job's own fields by name, each value still JSON.
type JobFields map[string]json.RawMessage

// DecodeJob splits raw into the run spec and the job's own fields (named in
// extra). An unknown field is an error that suggests the closest spec or
// job field.
func DecodeJob(raw []byte, extra []string) (Spec, JobFields, error) {
	ms, err := decodeObject("", raw)
	if err != nil {
		return Spec{}, nil, err
	}
	own := make(JobFields, len(extra))
	rest := make([]byte, 0, len(raw))
	rest = append(rest, '{')
	for _, m := range ms {
		switch {
		case slices.Contains(extra, m.Name):
			own[m.Name] = m.Value
			continue
		case !slices.Contains(specFields, m.Name):
			return Spec{}, nil, unknownField("", m.Name, append(slices.Clone(extra), specFields...))
		}
		if len(rest) > 1 {
			rest = append(rest, ',')
		}
		rest = AppendJSONString(rest, m.Name)
		rest = append(rest, ':')
		rest = append(rest, m.Value...)
	}
	rest = append(rest, '}')
	spec, err := Decode(rest)
	return spec, own, err
}

// Number decodes the field name as a finite number; absent gives def,
// null is a wrong type.
func (f JobFields) Number(name string, def float64) (float64, error) {
	raw, ok := f[name]
	if !ok {
		return def, nil
	}
	var v float64
	// encoding/json leaves v alone for a null: refuse it here.
	if err := json.Unmarshal(raw, &v); err != nil || isNull(raw) {
		return 0, Errorf(name, "%s must be a finite number, got %s", name, clip(raw))
	}
	return v, nil
}

// Int decodes the field name as an integer in [lo, hi]; absent gives def,
// and def < 0 makes the field required; null is a wrong type.
func (f JobFields) Int(name string, def, lo, hi int64) (int64, error) {
	raw, ok := f[name]
	if !ok {
		if def < 0 {
			return 0, Errorf(name, "%s is required", name)
		}
		return def, nil
	}
	var v int64
	if err := json.Unmarshal(raw, &v); err != nil || isNull(raw) {
		return 0, Errorf(name, "%s must be an integer in [%d, %d], got %s", name, lo, hi, clip(raw))
	}
	if v < lo || v > hi {
		return 0, Errorf(name, "%s must be an integer in [%d, %d], got %d", name, lo, hi, v)
	}
	return v, nil
}

// Numbers decodes the field name as exactly n numbers, shape describing
// them in the error; absent gives nil, null is a wrong type.
func (f JobFields) Numbers(name string, n int, shape string) ([]float64, error) {
	raw, ok := f[name]
	if !ok {
		return nil, nil
	}
	return decodeNumbers(Member{name, raw}, n, shape)
}

// Optimizer chooses the optimizer of p a single-optimizer job runs: the
// "optimizer" index into the spec's list, which may be left out when the
// list has exactly one entry, so a client can send its whole
// multi-optimizer spec and name the one to use. It returns the optimizer
// and its index.
func (f JobFields) Optimizer(p *Plan) (*Resolved, int, error) {
	def := int64(-1)
	if len(p.Optimizers) == 1 {
		def = 0
	}
	_, ok := f["optimizer"]
	if !ok && def < 0 {
		return nil, 0, Errorf("optimizer", "optimizer (an index into optimizers) is required when optimizers lists %d", len(p.Optimizers))
	}
	i, err := f.Int("optimizer", def, 0, int64(len(p.Optimizers)-1))
	if err != nil {
		return nil, 0, err
	}
	return &p.Optimizers[i], int(i), nil
}
