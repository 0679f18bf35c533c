// The one websocket client for every job kind, against a fake WebSocket.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

// FakeSocket records what the page sends; tests open, answer and drop it by hand.
class FakeSocket {
  static OPEN = 1;
  static all = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }
  send(s) { this.sent.push(JSON.parse(s)); }
  open() { this.readyState = 1; this.onopen(); }
  drop() { this.readyState = 3; this.onclose(); }
  say(m) { this.onmessage({ data: typeof m === "string" ? m : JSON.stringify(m) }); }
}
globalThis.WebSocket = FakeSocket;
globalThis.location = { protocol: "http:", host: "example.test" };
const timers = [];
globalThis.setTimeout = (fn, ms) => { timers.push({ fn, ms }); return timers.length; };
globalThis.clearTimeout = () => {};

const { JobClient, message, FINAL_TYPES } = await import("../js/jobs.js");

beforeEach(() => { FakeSocket.all.length = 0; timers.length = 0; });

test("a kind keeps only its newest job, and older ids are dropped", () => {
  const c = new JobClient();
  const got = [];
  c.start("sweep", { a: 1 }, (m) => got.push(["old", m.type]));
  const ws = FakeSocket.all[0];
  assert.equal(ws.url, "ws://example.test/api/v1/ws");
  ws.open();
  const id = c.start("sweep", { a: 2 }, (m) => got.push(["new", m.type]));
  const basin = c.start("basin", { b: 1 }, (m) => got.push(["basin", m.type]));
  assert.deepEqual(ws.sent.map((m) => [m.type, m.spec]), [["sweep", { a: 1 }], ["sweep", { a: 2 }], ["basin", { b: 1 }]]);
  ws.say({ type: "sweep_point", id: "sweep1", index: 0 });
  ws.say({ type: "sweep_point", id, index: 0 });
  ws.say({ type: "basin_start", id: basin });
  ws.say("not json");
  assert.deepEqual(got, [["new", "sweep_point"], ["basin", "basin_start"]]);
});

test("a dropped connection tells unfinished jobs, reconnects and sends them again", () => {
  const c = new JobClient();
  const got = [];
  const ups = [];
  c.onStatus((up) => ups.push(up));
  const done = c.start("sweep", {}, () => {});
  const open = c.start("basin", { grid: 8 }, (m) => got.push(m.type));
  const ws = FakeSocket.all[0];
  ws.open();
  ws.say({ type: "sweep_done", id: done });
  ws.drop();
  assert.deepEqual(got, ["connection"]);
  assert.deepEqual(ups, [true, false]);
  assert.equal(timers.length, 1, "a reconnect is scheduled");
  timers[0].fn();
  const ws2 = FakeSocket.all[1];
  ws2.open();
  assert.deepEqual(ws2.sent.map((m) => [m.type, m.id]), [["basin", open]], "only the unfinished job again");
});

test("without jobs, only a client that stays open reconnects", () => {
  const lazy = new JobClient();
  assert.equal(FakeSocket.all.length, 0, "a lazy client opens with its first job");
  const eager = new JobClient({ stayOpen: true });
  assert.equal(FakeSocket.all.length, 1);
  FakeSocket.all[0].open();
  FakeSocket.all[0].drop();
  assert.equal(timers.length, 1);
  lazy.start("sweep", {}, () => {});
  FakeSocket.all[1].open();
  FakeSocket.all[1].say({ type: "sweep_done", id: "sweep1" });
  FakeSocket.all[1].drop();
  assert.equal(timers.length, 1, "nothing left to run: no reconnect");
  assert.ok(eager);
});

test("cancel stops a running job and silences it", () => {
  const c = new JobClient();
  const got = [];
  const id = c.start("run", {}, (m) => got.push(m.type));
  const ws = FakeSocket.all[0];
  ws.open();
  c.cancel("run");
  ws.say({ type: "cancelled", id });
  assert.deepEqual(ws.sent.at(-1), { type: "cancel", id });
  assert.deepEqual(got, []);
});

test("message reads JSON and both binary frames, and every job ends with one final type", () => {
  assert.deepEqual(message('{"type":"done","id":"run1"}'), { type: "done", id: "run1" });
  assert.equal(message("{"), null);
  const buf = new ArrayBuffer(24);
  new DataView(buf).setUint8(0, 9);
  assert.equal(message(buf), null, "an unknown frame type is skipped");
  for (const t of ["done", "sweep_done", "basin_done", "error", "cancelled"]) assert.ok(FINAL_TYPES.has(t), t);
});
