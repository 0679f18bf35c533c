package basin

import "context"

// ForEach is forEach for the many-run jobs of other engines (a training's
// learning-rate sweep and its basin map over starting parameters), so that
// they share every core as this package's sweeps and maps do, with the
// same rules: emit on the caller's goroutine, never concurrently, not in
// order; the first error stops the work.
func ForEach(ctx context.Context, count, workers int, newWorker func() func(ctx context.Context, i int) error, emit func(i int) error) error {
	return forEach(ctx, count, workers, newWorker, emit)
}
