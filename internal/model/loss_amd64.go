package model

import "math"

// bceConstCount is the number of constant vectors bceSumFMA reads.
const bceConstCount = 28

// bceConsts are the loss kernels' constants, each in eight lanes so an
// instruction can take it from memory; the order is the offsets' in
// loss_amd64.s.
var bceConsts = func() (k [bceConstCount][8]uint64) {
	vals := []float64{
		math.Float64frombits(1<<63 - 1), 700, expSteps / math.Ln2, 0.5,
		ln2Hi / expSteps, ln2Lo / expSteps, 1, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
		log1pSteps, 1.0 / log1pSteps, -1.0 / 6, 1.0 / 7, -1.0 / 4, 1.0 / 5, -1.0 / 2, 1.0 / 3, 0,
	}
	for i, v := range vals {
		for l := range k[i] {
			k[i][l] = math.Float64bits(v)
		}
	}
	const mask63 = expSteps - 1 // eight int32 lanes of n%64's mask
	for l := range k[len(vals)] {
		k[len(vals)][l] = mask63<<32 | mask63
	}
	// The AVX-512 kernel's exp(-a) looks 2^(-j/16) up in two registers
	// (a permute, not a gather) and sums nine terms of exp(-r)'s series,
	// |r| <= ln2/32 (error below 3e-21 relative).
	for i, v := range []float64{16 / math.Ln2, ln2Hi / 16, ln2Lo / 16, 1.0 / 5040, 1.0 / 40320} {
		for l := range k[21+i] {
			k[21+i][l] = math.Float64bits(v)
		}
	}
	for j := range 16 {
		k[26+j/8][j%8] = math.Float64bits(math.Exp2(-float64(j) / 16))
	}
	return k
}()

//go:noescape
func bceSumAVX512(z, y *float64, n int, exp *[expSteps]float64, log1p *[log1pSteps + 1][2]float64, k *[bceConstCount][8]uint64) (sum float64, ok bool)

//go:noescape
func bceSumFMA(z, y *float64, n int, exp *[expSteps]float64, log1p *[log1pSteps + 1][2]float64, k *[bceConstCount][8]uint64) (sum float64, ok bool)

// bceSum is the sum of bceWithLogits(z[r], y[r]) over the rows: four rows
// per vector in the AVX2 kernel when hasFMA, eight in the AVX-512 one when
// hasAVX512, the rest (and any call with a logit beyond expNeg's table or
// NaN) in Go.
func bceSum(z, y []float64) float64 {
	if !hasFMA {
		return bceSumGo(z, y)
	}
	y = y[:len(z)]
	var s float64
	var ok bool
	n := len(z) &^ 3
	if hasAVX512 {
		n = len(z) &^ 7
	}
	switch {
	case n == 0:
		return bceSumGo(z, y)
	case hasAVX512:
		s, ok = bceSumAVX512(&z[0], &y[0], n, &expTable, &log1pTable, &bceConsts)
	default:
		s, ok = bceSumFMA(&z[0], &y[0], n, &expTable, &log1pTable, &bceConsts)
	}
	if !ok {
		return bceSumGo(z, y)
	}
	return s + bceSumGo(z[n:], y[n:])
}
