package model

import "math"

// bceConstCount is the number of constant vectors bceSumFMA reads.
const bceConstCount = 21

// bceConsts are bceSumFMA's constants, each in four lanes so an
// instruction can take it from memory; the order is the offsets' in
// loss_amd64.s.
var bceConsts = func() (k [bceConstCount][4]uint64) {
	vals := []float64{
		math.Float64frombits(1<<63 - 1), 700, expSteps / math.Ln2, 0.5,
		ln2Hi / expSteps, ln2Lo / expSteps, 1, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
		log1pSteps, 1.0 / log1pSteps, -1.0 / 6, 1.0 / 7, -1.0 / 4, 1.0 / 5, -1.0 / 2, 1.0 / 3, 0,
	}
	for i, v := range vals {
		k[i] = [4]uint64{math.Float64bits(v), math.Float64bits(v), math.Float64bits(v), math.Float64bits(v)}
	}
	const mask63 = expSteps - 1 // eight int32 lanes of n%64's mask
	k[len(vals)] = [4]uint64{mask63<<32 | mask63, mask63<<32 | mask63, mask63<<32 | mask63, mask63<<32 | mask63}
	return k
}()

//go:noescape
func bceSumFMA(z, y *float64, n int, exp *[expSteps]float64, log1p *[log1pSteps + 1][2]float64, k *[bceConstCount][4]uint64) (sum float64, ok bool)

// bceSum is the sum of bceWithLogits(z[r], y[r]) over the rows: four rows
// per vector in the assembly kernel when hasFMA, the rest (and any block
// with a logit beyond expNeg's table or NaN) in Go.
func bceSum(z, y []float64) float64 {
	n4 := len(z) &^ 3
	if !hasFMA || n4 == 0 {
		return bceSumGo(z, y)
	}
	y = y[:len(z)]
	s, ok := bceSumFMA(&z[0], &y[0], n4, &expTable, &log1pTable, &bceConsts)
	if !ok {
		return bceSumGo(z, y)
	}
	return s + bceSumGo(z[n4:], y[n4:])
}
