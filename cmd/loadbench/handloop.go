package main

import "math"

// The baseline's trajectories: the five optimizers of the benchmark request
// on Himmelblau, written as one plain loop each with PyTorch's arithmetic
// (torch.optim's default hyperparameters) and no abstraction: no interface
// calls, no batching, no emission. It is the floor for computing what Basin
// computes; main checks that it lands where Basin's runs land.

// benchOptimizers are the request's optimizers: the page's seed set.
var benchOptimizers = []string{"sgd", "momentum", "rmsprop", "adagrad", "adam"}

const (
	benchSteps = 1000
	divergence = 1e6
)

func himmelblau(x, y float64) (f, gx, gy float64) {
	a := x*x + y - 11
	b := x + y*y - 7
	return a*a + b*b, 4*x*a + 2*b, 2*a + 4*y*b
}

// handRun computes one trajectory of optimizer k (index into
// benchOptimizers) from (x, y) into dst (x, y, loss triples) and returns it.
func handRun(k int, lr, x, y float64, dst []float64) []float64 {
	dst = dst[:0]
	f, gx, gy := himmelblau(x, y)
	dst = append(dst, x, y, f)
	var m1x, m1y, m2x, m2y float64 // momentum buffer / first moment; second moment
	b1t, b2t := 1.0, 1.0           // Adam's beta1^t, beta2^t as running products
	for t := 1; t <= benchSteps; t++ {
		switch k {
		case 0: // SGD
			x -= lr * gx
			y -= lr * gy
		case 1: // SGD, momentum 0.9, dampening 0
			if t == 1 {
				m1x, m1y = gx, gy
			} else {
				m1x, m1y = 0.9*m1x+gx, 0.9*m1y+gy
			}
			x -= lr * m1x
			y -= lr * m1y
		case 2: // RMSprop, alpha 0.99, eps 1e-8
			m2x = 0.99*m2x + (1-0.99)*gx*gx
			m2y = 0.99*m2y + (1-0.99)*gy*gy
			x -= lr * gx / (math.Sqrt(m2x) + 1e-8)
			y -= lr * gy / (math.Sqrt(m2y) + 1e-8)
		case 3: // Adagrad, eps 1e-10
			m2x += gx * gx
			m2y += gy * gy
			x -= lr * gx / (math.Sqrt(m2x) + 1e-10)
			y -= lr * gy / (math.Sqrt(m2y) + 1e-10)
		case 4: // Adam, betas 0.9/0.999, eps 1e-8
			m1x += (gx - m1x) * (1 - 0.9)
			m1y += (gy - m1y) * (1 - 0.9)
			m2x = 0.999*m2x + (1-0.999)*gx*gx
			m2y = 0.999*m2y + (1-0.999)*gy*gy
			b1t, b2t = b1t*0.9, b2t*0.999
			step := lr / (1 - b1t)
			bc2 := math.Sqrt(1 - b2t)
			x -= step * m1x / (math.Sqrt(m2x)/bc2 + 1e-8)
			y -= step * m1y / (math.Sqrt(m2y)/bc2 + 1e-8)
		}
		f, gx, gy = himmelblau(x, y)
		if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(x)+math.Abs(y) > divergence {
			break
		}
		dst = append(dst, x, y, f)
	}
	return dst
}
