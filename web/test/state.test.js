import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { parseQuery, toQuery, toSpec, fromSpec, parseOpt, formatOpt, splitQuery, parseNumber, emptyState } from "../js/state.js";

const here = dirname(fileURLToPath(import.meta.url));
const VECTORS = join(here, "../../internal/runspec/testdata/permalink-vectors.json");

test("DESIGN.md example round-trips", () => {
  const q = "v=1&f=himmelblau&domain=-5,5,-5,5&start=0,0&lr=0.01&steps=500&seed=1&noise=0&clip=0" +
    "&opt=adam(lr=0.05,betas=0.9/0.999)&opt=sgd(momentum=0.9,nesterov=true)";
  const { state, problems } = parseQuery(q);
  assert.deepEqual(problems, []);
  assert.equal(toQuery(state, false), q);
  assert.deepEqual(toSpec(state), {
    function: "himmelblau", domain: [-5, 5, -5, 5], start: [0, 0], lr: 0.01, steps: 500, seed: 1, noise: 0, clip_norm: 0,
    optimizers: [{ name: "adam", lr: 0.05, betas: [0.9, 0.999] }, { name: "sgd", momentum: 0.9, nesterov: true }],
  });
});

test("expressions are percent-encoded and decoded like Go's url.ParseQuery", () => {
  const st = emptyState();
  st.expr = "(x^2+y-11)^2 + (x+y^2-7)^2 & #";
  const q = toQuery(st, false);
  assert.ok(!q.includes("+"), q);
  assert.ok(!q.includes(" "), q);
  assert.ok(q.startsWith("v=1&expr=%28") || q.startsWith("v=1&expr=("), q);
  assert.equal(parseQuery(q).state.expr, st.expr);
  assert.equal(parseQuery("expr=x%5E2%2By%5E2").state.expr, "x^2+y^2");
  assert.equal(parseQuery("expr=x^2+y^2").state.expr, "x^2 y^2", "a bare + is a space, as on the server");
});

test("view parameters round-trip and are left out of the API query", () => {
  const q = "v=1&f=rosenbrock&lr=0.001&lang=ja&view=-1,1,-0.5,1.5&speed=50&instant=1&mode=2d&t=20&panel=opts";
  const { state, problems } = parseQuery(q);
  assert.deepEqual(problems, []);
  assert.equal(toQuery(state), q);
  assert.equal(toQuery(state, false), "v=1&f=rosenbrock&lr=0.001");
});

test("bad parameters take defaults and are named", () => {
  const cases = [
    ["lr=-1", "lr"], ["lr=abc", "lr"], ["steps=1.5", "steps"], ["steps=0", "steps"], ["domain=1,0,0,1", "domain"],
    ["domain=0,1,0", "domain"], ["start=NaN,0", "start"], ["start=2e6,0", "start"], ["seed=-1", "seed"],
    ["noise=-0.1", "noise"], ["clip=x", "clip"], ["opt=ad%20am", "opt"], ["opt=adam(lr)", "opt"],
    ["opt=adam(betas=0.9)x", "opt"], ["opt=adam(betas=1/2/3)", "opt"], ["lr=%ZZ", "lr"], ["lr=.5", "lr"], ["steps=1e3", "steps"], ["lang=xx", "lang"], ["speed=0", "speed"],
    ["instant=yes", "instant"], ["mode=4d", "mode"], ["t=-3", "t"], ["bogus=1", "bogus"], ["v=2", "v"],
    ["lr=1&lr=2", "lr"], ["f=a%20b", "f"], ["expr=%20", "expr"], ["opt=adam(lr=1,lr=2)", "opt"],
  ];
  const def = emptyState();
  for (const [q, param] of cases) {
    const { state, problems } = parseQuery(q);
    assert.equal(problems.length, 1, `${q}: ${JSON.stringify(problems)}`);
    assert.equal(problems[0].param, param, q);
    assert.ok(problems[0].message.length > 0);
    if (param !== "lr" || q !== "lr=1&lr=2") {
      for (const k of ["lr", "steps", "domain", "start", "seed", "noise", "clip", "lang", "speed", "instant", "mode", "t"]) {
        if (k === param) assert.deepEqual(state[k], def[k], `${q}: ${k} keeps its default`);
      }
    }
  }
  assert.equal(parseQuery("lr=1&lr=2").state.lr, 1);
  const both = parseQuery("f=himmelblau&expr=x");
  assert.equal(both.state.f, null);
  assert.equal(both.state.expr, "x");
  assert.equal(both.problems[0].param, "expr");
});

test("parseOpt and formatOpt", () => {
  const cases = [
    ["sgd", { name: "sgd", params: {} }],
    ["sgd()", { name: "sgd", params: {} }],
    ["adam(lr=0.05,betas=0.9/0.999,amsgrad=true)", { name: "adam", params: { lr: 0.05, betas: [0.9, 0.999], amsgrad: true } }],
    ["rmsprop(alpha=0.99,eps=1e-8)", { name: "rmsprop", params: { alpha: 0.99, eps: 1e-8 } }],
  ];
  for (const [s, want] of cases) {
    assert.deepEqual(parseOpt(s), want, s);
    assert.deepEqual(parseOpt(formatOpt(want)), want);
  }
  assert.equal(formatOpt({ name: "adam", params: { eps: 1e-8 } }), "adam(eps=1e-8)");
  assert.throws(() => parseOpt("adam(lr=x)"), /adam.lr is not a number/);
});

test("parseNumber accepts what strconv.ParseFloat accepts for finite decimals", () => {
  for (const [s, want] of [["1", 1], ["-0.5", -0.5], ["0.50", 0.5], ["1e-8", 1e-8], ["1E3", 1000], ["10e0", 10]]) assert.equal(parseNumber(s), want, s);
  for (const s of ["", " 1", "1x", "NaN", "Infinity", "0x10", "1e", "--1", "1e999", "+2", ".5", "1.", "01"]) assert.ok(Number.isNaN(parseNumber(s)), s);
});

test("numbers round-trip bit for bit", () => {
  const vals = [0.1 + 0.2, 1 / 3, 5e-324, 999999.9999999999, -2.220446049250313e-16, 123456.789123456789];
  for (const v of vals) {
    const st = emptyState();
    st.lr = Math.abs(v);
    st.start = [v, -v];
    const back = parseQuery(toQuery(st)).state;
    assert.ok(Object.is(back.lr, Math.abs(v)));
    assert.ok(Object.is(back.start[0], v) && Object.is(back.start[1], -v));
  }
});

test("fromSpec inverts toSpec", () => {
  const { state } = parseQuery("v=1&expr=x%5E2&domain=-1,1,-1,1&start=0.5,0.5&lr=0.1&steps=10&seed=2&noise=0.1&clip=1&opt=adam(betas=0.8/0.9)");
  assert.deepEqual(toSpec(fromSpec(toSpec(state))), toSpec(state));
  assert.deepEqual(splitQuery("?a=1&&b"), [["a", "1"], ["b", ""]]);
});

// The server's vectors (internal/runspec/testdata/permalink-vectors.json) are
// the shared truth: canonical queries read to their spec and the page writes
// exactly that query for it; decode queries read to their spec; invalid
// queries are refused (the page names the parameter in its own words).
test("server permalink vectors", () => {
  const v = JSON.parse(readFileSync(VECTORS, "utf8"));
  assert.ok(v.canonical.length > 0 && v.decode.length > 0 && v.invalid.length > 0);
  for (const c of v.canonical) {
    const { state, problems } = parseQuery(c.query, { ranges: false });
    assert.deepEqual(problems, [], c.name);
    assert.deepEqual(toSpec(state), c.spec, c.name);
    assert.equal(toQuery(fromSpec(c.spec), false), c.query, `${c.name}: written as the server writes it`);
  }
  for (const c of v.decode) {
    const { state, problems } = parseQuery(c.query, { ranges: false });
    assert.deepEqual(problems, [], c.name);
    assert.deepEqual(toSpec(state), c.spec, c.name);
  }
  for (const c of v.invalid) {
    assert.ok(parseQuery(c.query).problems.length > 0, `${c.query} should be refused (${c.error})`);
  }
});
