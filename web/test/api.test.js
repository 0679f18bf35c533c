import { test } from "node:test";
import assert from "node:assert/strict";
import { optimizers } from "../js/api.js";

// fakeFetch answers every request with body and records the paths asked for.
function fakeFetch(body) {
  const asked = [];
  globalThis.fetch = async (path) => {
    asked.push(path);
    return { ok: true, status: 200, json: async () => body };
  };
  return asked;
}

test("optimizers brings the schedules with the catalog, in one request", async () => {
  const cases = [
    {
      name: "the server's shape",
      body: { optimizers: [{ name: "sgd" }], presets: [{ id: "momentum" }], schedules: [{ name: "steplr" }] },
      want: { list: [{ name: "sgd" }], presets: [{ id: "momentum" }], schedules: [{ name: "steplr" }] },
    },
  ];
  for (const c of cases) {
    const asked = fakeFetch(c.body);
    assert.deepEqual(await optimizers(), c.want, c.name);
    assert.deepEqual(asked, ["/api/v1/optimizers"], c.name);
  }
});
