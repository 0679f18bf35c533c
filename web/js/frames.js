// The websocket's binary frames (docs/API.md, "Binary layouts"): point
// batches of a run and rows of a basin map, read as typed-array views of
// the frame itself, no copy and no parsing. Pure: tested in
// web/test/frames.test.js.

/** FRAME_POINTS is the type byte of a binary point frame. */
export const FRAME_POINTS = 1;
/** FRAME_BASIN_ROW is the type byte of a binary basin-map row frame. */
export const FRAME_BASIN_ROW = 2;
/** FRAME_HEADER_MIN is the fixed part of both frames' header, in bytes (the id follows, padded to 8). */
export const FRAME_HEADER_MIN = 16;
/** BASIN_CELL_BYTES is one basin cell's share of a row: x, y (float64), reached, step (int32), status (uint8). */
export const BASIN_CELL_BYTES = 25;

const decoder = new TextDecoder();

// frameId reads the request id after the fixed header and gives it with the payload's offset.
function frameId(buf, dv) {
  const n = dv.getUint16(2, true);
  return { id: decoder.decode(new Uint8Array(buf, FRAME_HEADER_MIN, n)), head: FRAME_HEADER_MIN + Math.ceil(n / 8) * 8 };
}

/** frameType gives a binary frame's type byte. */
export function frameType(buf) {
  return new DataView(buf).getUint8(0);
}

/**
 * parseFrame reads a binary point frame's header and gives {id, run, from,
 * points}, where points views the frame's payload as x, y, loss triples.
 */
export function parseFrame(buf) {
  const dv = new DataView(buf);
  if (dv.getUint8(0) !== FRAME_POINTS) throw new Error(`point frame: unknown type ${dv.getUint8(0)}`);
  const { id, head } = frameId(buf, dv);
  const count = dv.getUint32(12, true);
  if (buf.byteLength < head + 24 * count) throw new Error(`point frame: ${buf.byteLength} bytes for ${count} points`);
  return { id, run: dv.getUint32(4, true), from: dv.getUint32(8, true), points: new Float64Array(buf, head, count * 3) };
}

/**
 * parseBasinRow reads a binary basin row frame: a 16-byte header (type 2,
 * reserved, id length, row, cells, rows done), the id padded to 8 bytes,
 * then N float64 end x, N float64 end y, N int32 reached, N int32 step,
 * N uint8 status. The arrays view the frame itself.
 */
export function parseBasinRow(buf) {
  const dv = new DataView(buf);
  if (dv.getUint8(0) !== FRAME_BASIN_ROW) throw new Error(`basin frame: unknown type ${dv.getUint8(0)}`);
  const { id, head } = frameId(buf, dv);
  const count = dv.getUint32(8, true);
  if (buf.byteLength < head + BASIN_CELL_BYTES * count) throw new Error(`basin frame: ${buf.byteLength} bytes for ${count} cells`);
  return {
    id,
    row: dv.getUint32(4, true),
    done: dv.getUint32(12, true),
    x: new Float64Array(buf, head, count),
    y: new Float64Array(buf, head + 8 * count, count),
    reached: new Int32Array(buf, head + 16 * count, count),
    step: new Int32Array(buf, head + 20 * count, count),
    status: new Uint8Array(buf, head + 24 * count, count),
  };
}
