package data

import (
	"math"
	"math/rand/v2"
)

// Scaling records what Standardize did to each feature: x' = (x - Mean)/Std.
type Scaling struct {
	Mean, Std []float64
}

// Standardize scales each feature in place to mean 0 and standard
// deviation 1 (the population standard deviation, as scikit-learn's
// StandardScaler), because scaling changes the loss landscape. A constant
// feature is only centred (its Std is recorded as 1). Targets are left as
// they are.
func (s *Set) Standardize() Scaling {
	f, n := s.Features(), float64(s.Rows())
	sc := Scaling{Mean: make([]float64, f), Std: make([]float64, f)}
	for k := range f {
		mean := 0.0
		for i := range s.Rows() {
			mean += s.X[i*f+k]
		}
		mean /= n
		ss := 0.0
		for i := range s.Rows() {
			d := s.X[i*f+k] - mean
			ss += d * d
		}
		std := math.Sqrt(ss / n)
		if std == 0 {
			std = 1
		}
		for i := range s.Rows() {
			s.X[i*f+k] = (s.X[i*f+k] - mean) / std
		}
		sc.Mean[k], sc.Std[k] = mean, std
	}
	return sc
}

// splitStream is the PCG stream word of the validation split.
const splitStream = 0x62617369_6e73706c // "basinspl"

// Split sets aside round(fraction*rows) rows, chosen by a seeded
// permutation, as a validation set, and returns the training rows and the
// validation rows, each in their original order. fraction is in [0,
// MaxValidation]; 0 returns the set itself and a nil validation set. Errors
// are *FieldError on "validation".
func (s *Set) Split(fraction float64, seed uint64) (train, val *Set, err error) {
	if !(fraction >= 0 && fraction <= MaxValidation) {
		return nil, nil, fieldErrorf("validation", "must be in [0, %g], got %g", MaxValidation, fraction)
	}
	if fraction == 0 {
		return s, nil, nil
	}
	n := s.Rows()
	nVal := int(math.Round(fraction * float64(n)))
	if nVal < 1 {
		return nil, nil, fieldErrorf("validation", "of %g leaves no validation row out of %d rows", fraction, n)
	}
	perm := rand.New(rand.NewPCG(seed, splitStream)).Perm(n)
	inVal := make([]bool, n)
	for _, i := range perm[:nVal] {
		inVal[i] = true
	}
	var ti, vi []int
	for i := range n {
		if inVal[i] {
			vi = append(vi, i)
		} else {
			ti = append(ti, i)
		}
	}
	return s.Subset(ti), s.Subset(vi), nil
}
