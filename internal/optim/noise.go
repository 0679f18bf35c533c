package optim

import (
	"math"
	"math/rand/v2"

	"github.com/basin-dev/basin/internal/landscape"
)

// noiseStream is the PCG stream name (the second PCG seed word) for gradient
// noise. It is fixed so that a run's noise depends on its Seed alone: every
// optimizer in a multi-optimizer run, given the same Seed, draws exactly the
// same sequence, which makes the comparison fair.
const noiseStream = 0x62617369_6e6e6f69 // "basinnoi"

// clipEps is added to the gradient norm before dividing, as PyTorch's
// torch.nn.utils.clip_grad_norm_ does (clip_coef = max_norm/(norm+1e-6)).
const clipEps = 1e-6

// gradPerturber turns the exact gradient into the one an optimizer sees:
// plus seeded Gaussian noise, then norm-clipped. It is a plain value: the
// PCG state lives inline and is called through its concrete type (a
// rand.Rand would hold it behind an interface and move it to the heap), so
// a run allocates nothing for its noise.
type gradPerturber struct {
	noise float64 // standard deviation per component; 0 = none
	clip  float64 // max norm; 0 = off
	pcg   rand.PCG
}

func newGradPerturber(seed uint64, noise, clip float64) gradPerturber {
	p := gradPerturber{noise: noise, clip: clip}
	p.pcg.Seed(seed, noiseStream)
	return p
}

// normalPair returns two independent standard normal variates by
// Marsaglia's polar method. One pair per step serves x and y, so every
// optimizer with the same seed sees the same noise at the same step.
func (p *gradPerturber) normalPair() (float64, float64) {
	for {
		u := float64(p.pcg.Uint64()>>11)*0x1p-52 - 1 // uniform in [-1, 1)
		v := float64(p.pcg.Uint64()>>11)*0x1p-52 - 1
		s := float64(u*u) + float64(v*v)
		if s >= 1 || s == 0 {
			continue
		}
		m := math.Sqrt(-2 * math.Log(s) / s)
		return u * m, v * m
	}
}

// apply returns the perturbed gradient: g plus noise (if any), then clipped
// to the clip norm (if set), so clipping bounds what the optimizer sees.
func (p *gradPerturber) apply(g landscape.Vec) landscape.Vec {
	if p.noise > 0 {
		zx, zy := p.normalPair()
		g.X += float64(p.noise * zx)
		g.Y += float64(p.noise * zy)
	}
	if p.clip > 0 {
		g = clipNorm(g, p.clip)
	}
	return g
}

// clipNorm is torch.nn.utils.clip_grad_norm_(max_norm) on one 2-element
// gradient, rounded as PyTorch 1.13 rounds it on the CPU: the norm's kernel
// accumulates the squares with one fused multiply-add, and Python's
// max_norm / tensor is computed as tensor.reciprocal() * max_norm. Checked
// bit for bit against PyTorch on 20,000 random gradients and norms
// (TestClipNormTorch holds a few of them).
func clipNorm(g landscape.Vec, maxNorm float64) landscape.Vec {
	n := math.Sqrt(math.FMA(g.Y, g.Y, float64(g.X*g.X)))
	if c := float64(1/(n+clipEps)) * maxNorm; c < 1 { // PyTorch clamps c to 1
		g.X *= c
		g.Y *= c
	}
	return g
}
