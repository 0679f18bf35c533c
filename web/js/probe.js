// window.basin: a read-only window into the page for the end-to-end tests
// (internal/e2e) and for a person at the console. It only reads the parts'
// own state through getters; no part of the page reads it back, and nothing
// exists on the production objects for its sake.

/** exposeForTests defines window.basin over the page's parts. */
export function exposeForTests({ store, runner, view, playback, link, rows, outcomes, modules }) {
  const probe = {
    get S() { return store.state; },
    get fi() { return store.fn; },
    get ready() { return store.ready; },
    get opts() { return rows(); },
    get run() { return runner.current; },
    get pending() { return runner.pending; },
    get perf() { return runner.perf; },
    get sock() { return runner.client; },
    get land() { return view.land; },
    get frame() { return view.frame; },
    get hover() { return view.hover; },
    get anim() { return playback; },
    get urlPending() { return link.pending; },
    get advising() { return outcomes.advising; },
  };
  // The feature panels' own state, as each mount function returned it (read when asked: some mount late).
  for (const name of ["schedule", "basins", "sweep", "compare", "inspect", "view3d", "lessons", "model"]) {
    Object.defineProperty(probe, name, { get: () => modules[name], enumerable: true });
  }
  window.basin = probe;
}
