// Runner sends the page's trajectory requests over the websocket and keeps
// the run on screen: the newest request stays "pending" until its first
// points arrive, then replaces the run shown. While a slider or the start
// ring is dragged, at most one request goes out per animation frame and a
// run is shown only once complete, so the last finished picture stays
// instead of paths blinking out whenever a newer request cancels one.

import { Emitter } from "./events.js";
import { JobClient } from "./jobs.js";
import { Run } from "./runs.js";
import { toSpec } from "./state.js";

/**
 * Runner owns the runs. Events: "run" (spec) as each request is sent,
 * "done" (run) once the run on screen has its outcomes, "error" (message)
 * when the server refuses one, "connection" (up).
 */
export class Runner extends Emitter {
  constructor(store, playback, rows) {
    super();
    this.store = store;
    this.playback = playback;
    this.rows = rows; // () => the OptimizerList
    this.client = new JobClient({ stayOpen: true });
    this.client.onStatus((up) => this.announce("connection", up));
    this.current = null; // the run on screen
    this.pending = null; // the newest request, until its first frame arrives
    this.enabled = false; // no request before the page is complete
    this.liveFrame = 0;
    this.liveDirty = false;
    this.lrMark = null; // time of the first slider input not yet answered
    this.initialStep = null; // a link's timeline step, shown paused once its run arrives
    this.perf = { lr: [], runs: [], parts: [] }; // ms: slider to redraw, send to redraw, and where the time went
  }

  /** enable lets requests go out, and sends the first. */
  enable() {
    this.enabled = true;
    this.start(false);
  }

  /** markSlider notes the time of a slider input, for the slider-to-redraw timing. */
  markSlider() {
    if (this.lrMark === null) this.lrMark = performance.now();
  }

  /**
   * start asks for new trajectories. live=true (a drag) sends at most one
   * request per animation frame: the first at once, later ones in the same
   * frame folded into one sent at the next frame (each new request cancels
   * the one in flight on the server), and draws whole paths. Otherwise the
   * new paths animate from step 0.
   */
  start(live) {
    if (!this.enabled) return;
    this.playback.dragging = live;
    if (live) {
      if (this.liveFrame) { this.liveDirty = true; return; }
      this.send();
      const tick = () => {
        if (!this.liveDirty) { this.liveFrame = 0; return; }
        this.liveDirty = false;
        this.send();
        this.liveFrame = requestAnimationFrame(tick);
      };
      this.liveFrame = requestAnimationFrame(tick);
      return;
    }
    cancelAnimationFrame(this.liveFrame);
    this.liveFrame = 0;
    this.liveDirty = false;
    this.send();
  }

  /** release ends a drag: a value not yet sent goes now (its paths animate), else the paths on screen animate again. */
  release() {
    this.playback.dragging = false;
    if (this.liveDirty) {
      cancelAnimationFrame(this.liveFrame);
      this.liveFrame = 0;
      this.liveDirty = false;
      this.send();
      return;
    }
    this.playback.restart();
  }

  send() {
    const S = this.store.state;
    const rows = this.rows();
    if (S.opts.length === 0) {
      this.client.cancel("run");
      this.current = null;
      this.pending = null;
      this.announce("error", "noOptimizer");
      return;
    }
    const spec = toSpec(S);
    const id = this.client.start("run", spec, (m) => this.onMessage(m));
    const r = new Run(id, S.opts.length, S.steps);
    r.spec = spec;
    r.labels = rows.checked().map((row) => row.label);
    // The CSV names optimizers as the API's CSV does (the rule's name, with
    // " #i" when a name repeats), so the page's download and
    // GET /api/v1/runs?…&format=csv are the same file.
    const rules = rows.checked().map((row) => row.rule);
    r.csvNames = rules.map((n, k) => (rules.indexOf(n) !== rules.lastIndexOf(n) ? `${n} #${k + 1}` : n));
    r.colours = rows.colours();
    r.sentAt = performance.now();
    r.lrMark = this.lrMark;
    this.lrMark = null;
    this.pending = r;
    this.announce("run", spec);
  }

  onMessage(m) {
    switch (m.type) {
      case "points": this.onPoints(m.id, m.run, m.from, m.points); break;
      case "done": this.onDone(m.id, m.outcomes, m.optimizers); break;
      case "error":
        if (this.pending && this.pending.id === m.id) this.pending = null;
        this.announce("error", "serverError", m.error);
        break;
    }
  }

  adopt(id) {
    if (this.pending && this.pending.id === id) {
      this.current = this.pending;
      this.pending = null;
      if (this.initialStep !== null) { // a link that names a step opens paused there
        const s = this.initialStep;
        this.initialStep = null;
        this.playback.pauseAt(s);
      } else if (!this.playback.dragging) {
        this.playback.restart();
      }
      return true;
    }
    return this.current !== null && this.current.id === id;
  }

  onPoints(id, k, from, pts) {
    if (this.playback.dragging && this.pending && this.pending.id === id) {
      this.pending.tracks[k]?.add(from, pts);
      return;
    }
    if (!this.adopt(id)) return;
    this.current.tracks[k]?.add(from, pts);
    this.playback.changed();
  }

  onDone(id, outcomes, resolved) {
    if (!this.adopt(id)) return;
    const r = this.current;
    r.done = true;
    r.resolved = resolved;
    outcomes.forEach((o, k) => { if (r.tracks[k]) r.tracks[k].outcome = o; });
    r.doneAt = performance.now();
    this.announce("done", r);
    this.playback.changed();
    // The timing is taken after the frame that draws the finished paths.
    requestAnimationFrame(() => {
      const drawn = performance.now();
      this.perf.runs.push(drawn - r.sentAt);
      if (r.lrMark !== null) {
        performance.measure("basin:lr-redraw", { start: r.lrMark, end: drawn });
        this.perf.lr.push(drawn - r.lrMark);
        this.perf.parts.push([r.sentAt - r.lrMark, r.doneAt - r.sentAt, drawn - r.doneAt]);
      }
    });
  }
}
