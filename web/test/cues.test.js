// Every optimizer colour comes with a second cue, so paths stay apart without colour.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PALETTE, CUES, cueOf, dashFor, markerPath, markerPoints } from "../js/cues.js";

test("each colour has its own dash pattern and marker", () => {
  assert.equal(CUES.length, PALETTE.length);
  const dashes = new Set(CUES.map((c) => c.dash.join(",")));
  const markers = new Set(CUES.map((c) => c.marker));
  assert.equal(dashes.size, PALETTE.length, "dash patterns repeat");
  assert.equal(markers.size, PALETTE.length, "markers repeat");
  for (const c of PALETTE) assert.equal(cueOf(c), CUES[PALETTE.indexOf(c)]);
  assert.equal(cueOf(PALETTE[4].toLowerCase()), CUES[4], "case does not matter");
  assert.equal(cueOf("#123456"), CUES[0]);
});

// Deuteranopia merges SGD's orange with Adam's vermilion and RMSprop's green
// with Adagrad's purple: those pairs must differ in both cues.
test("colours that colour-blind eyes confuse differ in dash and marker", () => {
  const [sgd, , rmsprop, adagrad, adam] = PALETTE;
  for (const [a, b] of [[sgd, adam], [rmsprop, adagrad]]) {
    assert.notDeepEqual(cueOf(a).dash, cueOf(b).dash);
    assert.notEqual(cueOf(a).marker, cueOf(b).marker);
  }
});

test("dashFor scales with the line width; every marker traces a closed shape", () => {
  assert.deepEqual(dashFor(PALETTE[1], 2), CUES[1].dash.map((d) => d * 2));
  assert.deepEqual(dashFor(PALETTE[0], 2), []);
  for (const { marker } of CUES) {
    const calls = [];
    const ctx = { moveTo: () => calls.push("m"), lineTo: () => calls.push("l"), closePath: () => calls.push("z"), arc: () => calls.push("a") };
    assert.ok(markerPath(ctx, marker, 10, 10, 4), marker);
    assert.ok(calls.length >= 1, marker);
    if (marker !== "circle") {
      assert.equal(calls.at(-1), "z", `${marker} is closed`);
      assert.ok(markerPoints(marker, 5).split(" ").length >= 3, marker);
    }
  }
  assert.equal(markerPath({}, "nosuch", 0, 0, 1), false);
});
