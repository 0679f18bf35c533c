// The websocket's binary frames, built here byte by byte as docs/API.md lays them out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseFrame, parseBasinRow, frameType, FRAME_POINTS, FRAME_BASIN_ROW, FRAME_HEADER_MIN } from "../js/frames.js";

// frame writes a header (type, id, three uint32 fields) and a payload padded to 8 bytes after the id.
function frame(type, id, a, b, c, payload) {
  const idBytes = new TextEncoder().encode(id);
  const head = FRAME_HEADER_MIN + Math.ceil(idBytes.length / 8) * 8;
  const buf = new ArrayBuffer(head + payload.byteLength);
  const dv = new DataView(buf);
  dv.setUint8(0, type);
  dv.setUint16(2, idBytes.length, true);
  dv.setUint32(4, a, true);
  dv.setUint32(8, b, true);
  dv.setUint32(12, c, true);
  new Uint8Array(buf, FRAME_HEADER_MIN, idBytes.length).set(idBytes);
  new Uint8Array(buf, head).set(new Uint8Array(payload));
  return buf;
}

test("parseFrame views x, y, loss triples in place", () => {
  const pts = Float64Array.from([1, 2, 5, 1.5, 2.5, 8.5]);
  for (const id of ["r1", "run12345", "r-ü"]) { // ids of under, exactly and over 8 bytes' padding
    const buf = frame(FRAME_POINTS, id, 3, 40, 2, pts.buffer);
    assert.equal(frameType(buf), FRAME_POINTS);
    const f = parseFrame(buf);
    assert.equal(f.id, id);
    assert.equal(f.run, 3);
    assert.equal(f.from, 40);
    assert.deepEqual([...f.points], [...pts]);
    assert.equal(f.points.buffer, buf, "no copy");
  }
});

test("parseFrame refuses other types and short frames", () => {
  assert.throws(() => parseFrame(frame(FRAME_BASIN_ROW, "b", 0, 0, 0, new ArrayBuffer(0))), /unknown type 2/);
  assert.throws(() => parseFrame(frame(FRAME_POINTS, "r", 0, 0, 3, new ArrayBuffer(24))), /bytes for 3 points/);
});

test("parseBasinRow views the row's arrays", () => {
  const n = 2;
  const payload = new ArrayBuffer(25 * n + 6); // a row's bytes, then padding the server may add
  new Float64Array(payload, 0, n).set([1, -1]);
  new Float64Array(payload, 8 * n, n).set([2, -2]);
  new Int32Array(payload, 16 * n, n).set([0, -1]);
  new Int32Array(payload, 20 * n, n).set([17, 500]);
  new Uint8Array(payload, 24 * n, n).set([0, 2]);
  const r = parseBasinRow(frame(FRAME_BASIN_ROW, "basin7", 5, n, 9, payload));
  assert.equal(r.id, "basin7");
  assert.equal(r.row, 5);
  assert.equal(r.done, 9);
  assert.deepEqual([...r.x], [1, -1]);
  assert.deepEqual([...r.y], [2, -2]);
  assert.deepEqual([...r.reached], [0, -1]);
  assert.deepEqual([...r.step], [17, 500]);
  assert.deepEqual([...r.status], [0, 2]);
  assert.throws(() => parseBasinRow(frame(FRAME_BASIN_ROW, "b", 0, 4, 0, new ArrayBuffer(50))), /bytes for 4 cells/);
});
