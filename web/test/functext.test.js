// Function and schedule names in the page's language, with the server's English as the fallback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fnName, fnDescription, schedName, schedDoc, schedParamDoc, FUNCTION_TEXT, SCHEDULE_TEXT } from "../js/functext.js";
import { LANGS } from "../js/langs.js";

const rosen = { id: "rosenbrock", name: "Rosenbrock", description: "The banana valley." };
const custom = { id: null, name: "x^2+y^2", description: "" };

test("fnName and fnDescription translate presets and keep the server's words otherwise", () => {
  assert.equal(fnName(rosen, "en"), "Rosenbrock");
  assert.equal(fnDescription(rosen, "en"), "The banana valley.");
  assert.equal(fnName(rosen, "ja"), FUNCTION_TEXT.ja.rosenbrock.name);
  assert.equal(fnDescription(rosen, "ja"), FUNCTION_TEXT.ja.rosenbrock.description);
  assert.equal(fnName(custom, "ja"), "x^2+y^2", "a typed expression is its own name");
  assert.equal(fnDescription(custom, "ja"), "");
  assert.equal(fnName({ id: "nosuch", name: "Other" }, "ja"), "Other");
});

test("schedule names, docs and parameter docs fall back to the catalog's", () => {
  const step = { name: "steplr", display: "StepLR", doc: "Decays.", params: [{ name: "gamma", doc: "Factor." }] };
  assert.equal(schedName(step, "en"), "StepLR");
  assert.equal(schedDoc(step, "en"), "Decays.");
  assert.equal(schedParamDoc(step, step.params[0], "en"), "Factor.");
  const ja = SCHEDULE_TEXT.ja?.steplr;
  if (ja) {
    assert.equal(schedName(step, "ja"), ja.display || "StepLR");
    assert.equal(schedDoc(step, "ja"), ja.doc || "Decays.");
  }
  assert.equal(schedName({ name: "mystery" }, "ja"), "mystery");
});

test("every translated text is for a language of the page", () => {
  for (const code of Object.keys(FUNCTION_TEXT)) assert.ok(LANGS.includes(code), code);
  for (const code of Object.keys(SCHEDULE_TEXT)) assert.ok(LANGS.includes(code), code);
});
