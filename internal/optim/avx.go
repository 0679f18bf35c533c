package optim

// In GOEXPERIMENT=simd builds on a CPU with AVX2 or AVX-512, the runtime's
// asynchronous preemption saves and restores the vector registers with
// 256- or 512-bit moves (runtime/preempt_amd64.s) and no VZEROUPPER
// after them. The preempted goroutine resumes with the registers' upper
// halves dirty, and Go's scalar float code (legacy SSE, next to the
// VEX-encoded FMA of math.FMA) then runs 10 to 35 times slower until
// something clears them: Run with Adam on Rosenbrock went from 30 to 960
// ns per step on the project's machine, and back to 30 with
// GODEBUG=asyncpreemptoff=1, which a program cannot set for itself.
//
// A preemption can land at any instruction, so the long loops clear the
// state as they go (clearUpper, VZEROUPPER in the SIMD build, nothing
// otherwise) rather than once at their start.

// clearUpperSteps is how many steps Run takes between two clearUpper
// calls. Once per step cost 2 ns of a 30 ns step; once per 64 steps costs
// nothing measurable, and a preemption (at most one per 10 ms of a running
// goroutine) then slows at most 64 steps, about 60 µs.
const clearUpperSteps = 64
