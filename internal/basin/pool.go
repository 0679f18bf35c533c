package basin

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach runs the items 0..count-1 on workers goroutines (GOMAXPROCS when
// workers <= 0), handing out indices by an atomic counter. Each goroutine
// gets its own work function from newWorker, so it can keep scratch space
// across items. emit(i) is called on forEach's own goroutine, never
// concurrently, as each item finishes (so not in order); the worker's writes
// for item i happen before emit(i). An error from work or emit, or the
// context's, stops the work and is returned; once the context is done
// nothing more is emitted, and forEach returns only after every worker has
// stopped. Maps (one item a row) and sweeps (one item a learning rate)
// share it.
func forEach(ctx context.Context, count, workers int, newWorker func() func(ctx context.Context, i int) error, emit func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, count)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan int, count) // finished items; never blocks a worker
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		workErr error
	)
	for range workers {
		wg.Go(func() {
			work := newWorker()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= count {
					return
				}
				if err := work(ctx, i); err != nil {
					errOnce.Do(func() { workErr = err })
					cancel()
					return
				}
				done <- i
			}
		})
	}
	go func() { wg.Wait(); close(done) }()

	var emitErr error
	for i := range done {
		if emitErr != nil || ctx.Err() != nil {
			continue // drain until every worker has stopped; emit nothing more
		}
		if err := emit(i); err != nil {
			emitErr = err
			cancel()
		}
	}
	switch {
	case emitErr != nil:
		return emitErr
	case workErr != nil && !errors.Is(workErr, context.Canceled):
		return workErr
	}
	return context.Cause(ctx)
}
