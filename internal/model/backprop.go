package model

import (
	"math"

	"github.com/basin-dev/basin/internal/data"
)

// chunkRows is how many rows one forward and backward pass handles at a
// time. Activations are stored feature-major (one contiguous run of
// chunkRows values per unit), so every inner loop runs along the rows: the
// activations of 128 rows of a 32-unit layer (32 KiB) stay in the L1 and L2
// caches, and a full-data loss over 10,000 rows needs no larger workspace.
// It is a multiple of 16, layer4's largest block of rows.
const chunkRows = 128

// Workspace is the memory of forward and backward passes for one model. It
// belongs to one goroutine at a time; make one per worker.
type Workspace struct {
	m      *Model
	acts   [][]float64 // acts[l]: sizes[l] x chunkRows, unit-major; acts[0] the inputs, acts[L] the outputs
	deltas [][]float64 // deltas[l]: dLoss/d(pre-activation) of layer l, same layout
	y      []float64
	padIn  bool       // acts[0] has eight zero-padded inputs: the first layer runs in axpy8
	wpad   [8]float64 // a first-layer unit's weights padded with zeros for axpy8
}

// NewWorkspace allocates the buffers of every pass of m.
func (m *Model) NewWorkspace() *Workspace {
	ws := &Workspace{m: m, y: make([]float64, chunkRows)}
	for l, s := range m.sizes {
		if l == 0 && m.inputRows() != s {
			// Room for eight inputs, the missing ones zero for good, so
			// a first layer on fewer features runs in the vector kernel.
			s, ws.padIn = m.inputRows(), true
		}
		ws.acts = append(ws.acts, make([]float64, chunkRows*s))
		ws.deltas = append(ws.deltas, make([]float64, chunkRows*s))
	}
	return ws
}

// Loss is the mean loss of parameters p over the rows idx of set (every
// row when idx is nil): PyTorch's MSELoss for regression,
// BCEWithLogitsLoss for classification, both with reduction "mean".
func (ws *Workspace) Loss(p []float64, set *data.Set, idx []int) float64 {
	return ws.pass(p, nil, set, idx, nil)
}

// LossGrad is Loss, and writes its exact gradient with respect to p into
// grad (len(grad) == NumParams()). It allocates nothing.
func (ws *Workspace) LossGrad(p, grad []float64, set *data.Set, idx []int) float64 {
	clear(grad[:ws.m.params])
	return ws.pass(p, grad, set, idx, nil)
}

// LossAccuracy is Loss and, for classification, the fraction of rows whose
// predicted class (1 when the logit is > 0, i.e. probability > 0.5)
// matches the label; for regression the accuracy is 0.
func (ws *Workspace) LossAccuracy(p []float64, set *data.Set, idx []int) (loss, accuracy float64) {
	return ws.Eval(p, nil, set, idx)
}

// Eval is LossAccuracy and, when grad is not nil, writes the loss's
// gradient into grad as LossGrad does: one pass for all three.
func (ws *Workspace) Eval(p, grad []float64, set *data.Set, idx []int) (loss, accuracy float64) {
	if grad != nil {
		clear(grad[:ws.m.params])
	}
	var correct int
	loss = ws.pass(p, grad, set, idx, &correct)
	if ws.m.task == data.Classification {
		accuracy = float64(correct) / float64(rowsOf(set, idx))
	}
	return loss, accuracy
}

// Predict writes the model's prediction for each row of features x
// (row-major, Features() per row) into out: a probability for
// classification, a value for regression.
func (ws *Workspace) Predict(p, x, out []float64) {
	m := ws.m
	f := m.sizes[0]
	rows := len(x) / f
	for start := 0; start < rows; start += chunkRows {
		n := min(chunkRows, rows-start)
		in := ws.acts[0]
		for r := range n {
			for k := range f {
				in[k*chunkRows+r] = x[(start+r)*f+k]
			}
		}
		z := ws.forward(p, n)
		for r := range n {
			if m.task == data.Classification {
				out[start+r] = sigmoid(z[r])
			} else {
				out[start+r] = z[r]
			}
		}
	}
}

func rowsOf(set *data.Set, idx []int) int {
	if idx == nil {
		return set.Rows()
	}
	return len(idx)
}

// pass runs the rows chunk by chunk: gathers them, runs forward, adds up
// the loss and, when grad is not nil, backpropagates the mean loss's
// gradient into grad. correct, when not nil, counts right classifications.
func (ws *Workspace) pass(p, grad []float64, set *data.Set, idx []int, correct *int) float64 {
	return ws.passRows(p, grad, set, idx, correct, nil)
}

// passRows is pass; with cols not nil, the rows are all of cols' instead,
// read in place.
func (ws *Workspace) passRows(p, grad []float64, set *data.Set, idx []int, correct *int, cols *Columns) float64 {
	m := ws.m
	in0 := ws.acts[0]
	var total int
	if cols != nil {
		if cols.chunk != len(in0) {
			panic("model: columns made for another model's inputs")
		}
		total = len(cols.y)
		// acts[0] points into cols chunk by chunk; forward and
		// backward only read it.
		defer func() { ws.acts[0] = in0 }()
	} else {
		total = rowsOf(set, idx)
	}
	f := m.sizes[0]
	inv := 1 / float64(total)
	sum := 0.0
	L := len(m.sizes) - 1
	for start := 0; start < total; start += chunkRows {
		n := min(chunkRows, total-start)
		var y []float64
		if cols != nil {
			c := start / chunkRows * cols.chunk
			ws.acts[0] = cols.x[c : c+cols.chunk]
			y = cols.y[start : start+n]
		} else {
			x := in0
			for r := range n {
				i := start + r
				if idx != nil {
					i = idx[i]
				}
				for k := range f {
					x[k*chunkRows+r] = set.X[i*f+k]
				}
				ws.y[r] = set.Y[i]
			}
			y = ws.y[:n]
		}
		z := ws.forward(p, n)
		d := ws.deltas[L]
		if m.task == data.Classification {
			sum += bceSum(z, y)
			if correct != nil {
				for r, t := range y {
					if (z[r] > 0) == (t == 1) {
						*correct++
					}
				}
			}
		} else {
			for r, t := range y {
				e := z[r] - t
				sum += e * e
			}
		}
		if grad == nil {
			continue
		}
		if m.task == data.Classification {
			for r, t := range y {
				d[r] = (sigmoid(z[r]) - t) * inv
			}
		} else {
			for r, t := range y {
				d[r] = (2 * inv) * (z[r] - t)
			}
		}
		ws.backward(p, grad, n)
	}
	return sum * inv
}

// forward computes every layer's activations for the first n rows of
// acts[0] and returns the outputs (pre-activation of the last layer).
func (ws *Workspace) forward(p []float64, n int) []float64 {
	m := ws.m
	last := len(m.layers) - 1
	for l, ly := range m.layers {
		in := ly.in
		a := ws.acts[l]
		z := ws.acts[l+1]
		w := p[ly.w : ly.w+in*ly.out]
		j0 := 0
		if hasFMA {
			// Eight or four units at a time, each input's rows loaded
			// once for all of them; the rest one unit at a time below.
			fuseReLU := l < last && m.act == reluAct
			if hasAVX512 {
				var bias [8]float64
				for ; j0+8 <= ly.out; j0 += 8 {
					if ly.b >= 0 {
						copy(bias[:], p[ly.b+j0:])
					}
					layer8(z[j0*chunkRows:], w[j0*in:], in, &bias, a, chunkRows, n, fuseReLU)
					if l < last && !fuseReLU {
						for u := j0; u < j0+8; u++ {
							m.activate(z[u*chunkRows : u*chunkRows+n])
						}
					}
				}
			}
			var bias [4]float64
			for ; j0+4 <= ly.out; j0 += 4 {
				if ly.b >= 0 {
					copy(bias[:], p[ly.b+j0:])
				}
				layer4(z[j0*chunkRows:], w[j0*in:], in, &bias, a, chunkRows, n, fuseReLU)
				if l < last && !fuseReLU {
					for u := j0; u < j0+4; u++ {
						m.activate(z[u*chunkRows : u*chunkRows+n])
					}
				}
			}
		}
		for j := j0; j < ly.out; j++ {
			zj := z[j*chunkRows : j*chunkRows+n]
			bias := 0.0
			if ly.b >= 0 {
				bias = p[ly.b+j]
			}
			wj := w[j*in : (j+1)*in]
			if in%8 == 0 {
				fuseReLU := l < last && m.act == reluAct
				for k := 0; k < in; k += 8 {
					mode := 0
					if k == 0 {
						mode |= kernelInit
					}
					if fuseReLU && k+8 == in {
						mode |= kernelReLU
					}
					axpy8(zj, wj[k:k+8], a[k*chunkRows:], chunkRows, bias, mode)
				}
				if l < last && !fuseReLU {
					m.activate(zj)
				}
				continue
			}
			if l == 0 && ws.padIn {
				// Zero weights on the zero inputs: four rows per
				// instruction beat the scalar loop below even at 2 of 8.
				copy(ws.wpad[:], wj)
				mode := kernelInit
				if l < last && m.act == reluAct {
					mode |= kernelReLU
				}
				axpy8(zj, ws.wpad[:], a, chunkRows, bias, mode)
				if l < last && m.act != reluAct {
					m.activate(zj)
				}
				continue
			}
			if in == 2 { // two features: bias, both inputs and the activation in one pass
				w0, w1 := wj[0], wj[1]
				x0, x1 := a[:len(zj)], a[chunkRows:chunkRows+len(zj)]
				if l < last && m.act == reluAct {
					for r := range zj {
						u := math.Float64bits(bias + w0*x0[r] + w1*x1[r])
						zj[r] = math.Float64frombits(u &^ uint64(int64(u)>>63)) // as relu
					}
					continue
				}
				for r := range zj {
					zj[r] = bias + w0*x0[r] + w1*x1[r]
				}
				if l < last {
					m.activate(zj)
				}
				continue
			}
			for r := range zj {
				zj[r] = bias
			}
			k := 0
			for ; k+8 <= in; k += 8 {
				axpy8(zj, wj[k:k+8], a[k*chunkRows:], chunkRows, 0, 0)
			}
			for ; k+4 <= in; k += 4 {
				axpy4(zj, wj[k], wj[k+1], wj[k+2], wj[k+3],
					a[k*chunkRows:], a[(k+1)*chunkRows:], a[(k+2)*chunkRows:], a[(k+3)*chunkRows:])
			}
			for ; k < in; k++ {
				axpy(zj, wj[k], a[k*chunkRows:])
			}
			if l < last {
				m.activate(zj)
			}
		}
	}
	return ws.acts[len(m.layers)][:n]
}

// backward accumulates the gradient of the loss given deltas[L] (already
// divided by the row count) for the first n rows.
func (ws *Workspace) backward(p, grad []float64, n int) {
	m := ws.m
	for l := len(m.layers) - 1; l >= 0; l-- {
		ly := m.layers[l]
		in := ly.in
		a := ws.acts[l]
		d := ws.deltas[l+1]
		gw := grad[ly.w : ly.w+in*ly.out]
		for j := range ly.out {
			dj := d[j*chunkRows : j*chunkRows+n]
			gwj := gw[j*in : (j+1)*in]
			for k := range gwj {
				gwj[k] += dot(dj, a[k*chunkRows:])
			}
			if ly.b >= 0 {
				s := 0.0
				for _, v := range dj {
					s += v
				}
				grad[ly.b+j] += s
			}
		}
		if l == 0 {
			break
		}
		w := p[ly.w : ly.w+in*ly.out]
		dp := ws.deltas[l]
		for k := range in {
			dk := dp[k*chunkRows : k*chunkRows+n]
			clear(dk)
			j := 0
			for ; j+4 <= ly.out; j += 4 {
				axpy4(dk, w[j*in+k], w[(j+1)*in+k], w[(j+2)*in+k], w[(j+3)*in+k],
					d[j*chunkRows:], d[(j+1)*chunkRows:], d[(j+2)*chunkRows:], d[(j+3)*chunkRows:])
			}
			for ; j < ly.out; j++ {
				axpy(dk, w[j*in+k], d[j*chunkRows:])
			}
			m.activateGrad(dk, a[k*chunkRows:])
		}
	}
}

func (m *Model) activate(z []float64) {
	switch m.act {
	case tanhAct:
		for i, v := range z {
			z[i] = math.Tanh(v)
		}
	case reluAct:
		relu(z)
	case sigmoidAct:
		for i, v := range z {
			z[i] = sigmoid(v)
		}
	}
}

// activateGrad multiplies d by the activation's derivative, written from
// the activation's output a as PyTorch's backward kernels write it.
func (m *Model) activateGrad(d, a []float64) {
	a = a[:len(d)]
	switch m.act {
	case tanhAct:
		for i, v := range a {
			d[i] *= 1 - v*v
		}
	case reluAct:
		// a is +0 where the unit is off (activate never leaves -0):
		// keep d where a's bits are not all zero, branch-free.
		for i, v := range a {
			u := math.Float64bits(v)
			keep := uint64(-int64((u | -u) >> 63))
			d[i] = math.Float64frombits(math.Float64bits(d[i]) & keep)
		}
	case sigmoidAct:
		for i, v := range a {
			d[i] *= v * (1 - v)
		}
	}
}

// relu is ReLU in place, branch-free: half the units are off, and a
// branch on the sign would be mispredicted half the time. The sign bit,
// spread over the word, masks a negative value (and -0) to +0.
func relu(z []float64) {
	for i, v := range z {
		u := math.Float64bits(v)
		z[i] = math.Float64frombits(u &^ uint64(int64(u)>>63))
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// bceWithLogits is the binary cross-entropy of logit x against label t in
// the stable form max(x, 0) - x*t + log(1 + exp(-|x|)), which is PyTorch's
// up to rounding and never overflows.
func bceWithLogits(x, t float64) float64 {
	return max(x, 0) - x*t + log1pSmall(expNeg(math.Abs(x)))
}

// bceSumGo is the sum of bceWithLogits(z[r], y[r]) over the rows.
func bceSumGo(z, y []float64) float64 {
	y = y[:len(z)]
	s := 0.0
	for r, x := range z {
		s += bceWithLogits(x, y[r])
	}
	return s
}

// expSteps is the number of table points of expNeg per halving.
const expSteps = 64

// expTable holds 2^(-j/expSteps).
var expTable = func() (t [expSteps]float64) {
	for j := range t {
		t[j] = math.Exp2(-float64(j) / expSteps)
	}
	return t
}()

// Cody and Waite's split of ln 2 (math's own): n*ln2Hi is exact for the
// n below, so a - n*ln2Hi/expSteps loses nothing.
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
)

// expNeg is exp(-a) for a >= 0, within a few ulps of math.Exp: with
// a = n*ln2/expSteps + r, |r| <= ln2/(2*expSteps), exp(-a) is
// 2^(-n/expSteps) from the table and a power of two times seven terms of
// exp(-r)'s series (error below 1e-19 relative), in Estrin's order, with
// no call, so the rows' losses overlap. Beyond 700 (near the subnormals)
// and for NaN it is math.Exp.
func expNeg(a float64) float64 {
	if !(a <= 700) {
		return math.Exp(-a)
	}
	n := int(a*(expSteps/math.Ln2) + 0.5)
	fn := float64(n)
	r := (a - fn*(ln2Hi/expSteps)) - fn*(ln2Lo/expSteps)
	r2 := r * r
	p := (1 - r) + r2*((0.5-r*(1.0/6))+r2*((1.0/24-r*(1.0/120))+r2*(1.0/720)))
	scale := math.Float64frombits(uint64(1023-n/expSteps) << 52)
	return p * expTable[n%expSteps] * scale
}

// log1pSteps is the number of table points of log1pSmall over [0, 1].
const log1pSteps = 256

// log1pTable holds log1p(k/log1pSteps) and 1/(1 + k/log1pSteps).
var log1pTable = func() (t [log1pSteps + 1][2]float64) {
	for k := range t {
		e0 := float64(k) / log1pSteps
		t[k] = [2]float64{math.Log1p(e0), 1 / (1 + e0)}
	}
	return t
}()

// log1pSmall is log(1 + e) for e in [0, 1], within a few ulps of
// math.Log1p and faster: the loss over a slice grid takes one per row and
// node, and math.Log1p was a third of its time. With e0 the nearest table
// point, log1p(e) = log1p(e0) + log1p(r), r = (e-e0)/(1+e0), |r| <= 1/512,
// where seven terms of log1p's series leave an error below 1e-17 relative.
// e - e0 is exact, and the two parts have the same sign or r is tiny beside
// log1p(e0), so nothing cancels. The series is summed in Estrin's order, in
// powers of r^2, so its chain of dependent operations is short and the
// rows' losses overlap.
func log1pSmall(e float64) float64 {
	if !(e <= 1) { // NaN from an overflowed logit: no table index
		return e
	}
	k := int(e*log1pSteps + 0.5)
	t := &log1pTable[k]
	r := (e - float64(k)*(1.0/log1pSteps)) * t[1]
	r2 := r * r
	// r - r^2/2 + r^3/3 - ... + r^7/7 = r + r^2*(a + r^2*(b + r^2*c)).
	a := -1.0/2 + r*(1.0/3)
	b := -1.0/4 + r*(1.0/5)
	c := -1.0/6 + r*(1.0/7)
	return t[0] + (r + r2*(a+r2*(b+r2*c)))
}

// dot is the inner product of two equally long vectors, with four
// accumulators so the loop is not one long dependency chain.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpy adds s*x to y.
func axpy(y []float64, s float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += s * x[i]
	}
}

// Modes of axpy8: kernelInit starts each row from the bias instead of its
// old value, kernelReLU applies ReLU to the result, so a ReLU layer whose
// width is a multiple of 8 is computed in passes that also set the bias
// and apply the activation, instead of three more passes over its rows.
const (
	kernelInit = 1
	kernelReLU = 2
)

// axpy8Go is axpy8 in Go: s[0]*x[0:] + ... + s[7]*x[7*stride:] added to y,
// eight inputs, stride apart in x, per load and store of y.
func axpy8Go(y []float64, s []float64, x []float64, stride int, bias float64, mode int) {
	n := len(y)
	if mode&kernelInit != 0 {
		for i := range y {
			y[i] = bias
		}
	}
	s = s[:8]
	x0, x1, x2, x3 := x[:n], x[stride:stride+n], x[2*stride:2*stride+n], x[3*stride:3*stride+n]
	x4, x5, x6, x7 := x[4*stride:4*stride+n], x[5*stride:5*stride+n], x[6*stride:6*stride+n], x[7*stride:7*stride+n]
	for i := range y {
		y[i] += (s[0]*x0[i] + s[1]*x1[i] + s[2]*x2[i] + s[3]*x3[i]) + (s[4]*x4[i] + s[5]*x5[i] + s[6]*x6[i] + s[7]*x7[i])
	}
	if mode&kernelReLU != 0 {
		relu(y)
	}
}

// axpy4 adds s0*x0 + s1*x1 + s2*x2 + s3*x3 to y: four inputs per load and
// store of y.
func axpy4(y []float64, s0, s1, s2, s3 float64, x0, x1, x2, x3 []float64) {
	n := len(y)
	x0, x1, x2, x3 = x0[:n], x1[:n], x2[:n], x3[:n]
	for i := range y {
		y[i] += s0*x0[i] + s1*x1[i] + s2*x2[i] + s3*x3[i]
	}
}

// layer4Go is the layer kernel in Go: for each of four units u and row i
// in [0, n), z[u*stride+i] starts from bias[u] and adds w[u*in+k]*a[k*stride+i]
// for k = 0, 1, ... one fused multiply-add at a time, then ReLU when
// fuseReLU is set.
func layer4Go(z, w []float64, in int, bias *[4]float64, a []float64, stride, n int, fuseReLU bool) {
	for u := range 4 {
		zu := z[u*stride : u*stride+n]
		for i := range zu {
			s := bias[u]
			for k := range in {
				s = math.FMA(w[u*in+k], a[k*stride+i], s)
			}
			zu[i] = s
		}
		if fuseReLU {
			relu(zu)
		}
	}
}
