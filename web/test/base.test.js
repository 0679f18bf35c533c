import { test } from "node:test";
import assert from "node:assert/strict";
import { apiBase } from "../js/base.js";

test("the API is found next to the page, below any path prefix", () => {
  const cases = [
    ["http://localhost:8080/js/base.js", "/api/v1"],
    ["https://example.org/basin/js/base.js?v=3f2a9c1e", "/basin/api/v1"],
    ["https://example.org/a/b/js/base.js", "/a/b/api/v1"],
    ["file:///home/me/basin/web/js/base.js", "/api/v1"],
  ];
  for (const [url, want] of cases) assert.equal(apiBase(url), want, url);
});
