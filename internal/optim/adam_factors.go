package optim

import "math"

// AdamFactors fills stepSize[k] and bc2Sqrt[k] with the two scalars Adam's
// (and AdamW's) update uses at step k+1 with learning rate lr[k]:
// lr/(1-beta1^(k+1)) and sqrt(1-beta2^(k+1)), computed exactly as
// adam.Step computes them. They are the same for every parameter, so an
// engine that advances many trajectories in lock-step (internal/basin's
// basin maps) computes them once per step for all of them; it needs them
// bit for bit to agree with Run, so they come from here rather than from a
// copy. Keep this in step with adam.Step (basin's TestEnginesMatchRun
// compares whole maps with Run and fails on any drift).
func AdamFactors(beta1, beta2 float64, lr, stepSize, bc2Sqrt []float64) {
	p1, p2 := newPowSeq(beta1), newPowSeq(beta2)
	for k := range stepSize {
		stepSize[k] = lr[k] / (1 - p1.next())
		bc2Sqrt[k] = math.Sqrt(1 - p2.next())
	}
}
