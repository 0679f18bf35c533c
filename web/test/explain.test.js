import { test } from "node:test";
import assert from "node:assert/strict";
import { LANGS, OPTIMIZERS, PRESETS, GLOSSARY, HINTS, situation, hint } from "../js/explain.js";

// The MathML Core elements the formulas may use; anything else (script,
// style, a typo such as <msubb>) fails.
const ELEMENTS = new Set([
  "math", "mrow", "mi", "mo", "mn", "mtext", "msub", "msup", "msubsup", "mfrac", "msqrt", "mroot",
  "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mspace",
]);
// Elements with a fixed number of children (MathML Core, "schemata").
const ARITY = { msub: 2, msup: 2, msubsup: 3, mfrac: 2, mroot: 2, mover: 2, munder: 2, munderover: 3 };
// Token elements hold text only.
const TOKENS = new Set(["mi", "mo", "mn", "mtext"]);
const ATTRIBUTES = new Set(["display", "accent", "width"]);

/**
 * parseMathML is a tiny parser for the strings explain.js builds: tags with
 * simple attributes, text in token elements, entities &gt; &lt; &amp;. It
 * throws on anything unbalanced or outside MathML Core, and returns the
 * root element as {name, attrs, children} (text children are strings).
 */
function parseMathML(src) {
  const root = { name: "#root", children: [] };
  const stack = [root];
  const re = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+="[^"<>]*")*)\s*>|([^<]+)/gy;
  let m;
  let at = 0;
  while (at < src.length) {
    re.lastIndex = at;
    m = re.exec(src);
    if (!m) throw new Error(`malformed markup at ${at}: ${src.slice(at, at + 30)}`);
    at = re.lastIndex;
    const top = stack[stack.length - 1];
    if (m[4] !== undefined) {
      if (/[<>]/.test(m[4])) throw new Error(`raw < or > in text: ${m[4]}`);
      if (/&(?!(gt|lt|amp);)/.test(m[4])) throw new Error(`unknown entity in ${m[4]}`);
      if (!TOKENS.has(top.name)) {
        if (m[4].trim() !== "") throw new Error(`text ${JSON.stringify(m[4])} outside a token element, in <${top.name}>`);
        continue;
      }
      top.children.push(m[4]);
      continue;
    }
    const [, close, name, attrText] = m;
    if (!ELEMENTS.has(name)) throw new Error(`<${name}> is not a MathML Core element used here`);
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    if (TOKENS.has(top.name)) throw new Error(`<${name}> inside token <${top.name}>`);
    const attrs = {};
    for (const [, k, v] of attrText.matchAll(/([\w-]+)="([^"]*)"/g)) {
      if (!ATTRIBUTES.has(k)) throw new Error(`attribute ${k} on <${name}> (no style, no handlers)`);
      attrs[k] = v;
    }
    const el = { name, attrs, children: [] };
    top.children.push(el);
    stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (root.children.length !== 1 || root.children[0].name !== "math") throw new Error("not a single <math> element");
  return root.children[0];
}

/** checkTree enforces arities and non-empty tokens; returns the token count. */
function checkTree(el) {
  if (typeof el === "string") return 0;
  if (el.name in ARITY) {
    const kids = el.children.filter((c) => typeof c !== "string");
    if (kids.length !== ARITY[el.name]) throw new Error(`<${el.name}> has ${kids.length} children, needs ${ARITY[el.name]}`);
  }
  if (el.name === "mtable" && !el.children.every((c) => c.name === "mtr")) throw new Error("<mtable> holds only <mtr>");
  if (el.name === "mtr" && !el.children.every((c) => c.name === "mtd")) throw new Error("<mtr> holds only <mtd>");
  if (TOKENS.has(el.name)) {
    if (el.children.join("").trim() === "") throw new Error(`empty <${el.name}>`);
    return 1;
  }
  return el.children.reduce((n, c) => n + checkTree(c), 0);
}

function wellFormed(src, where) {
  let tree;
  assert.doesNotThrow(() => { tree = parseMathML(src); checkTree(tree); }, where);
  return tree;
}

function bothLanguages(obj, where) {
  assert.ok(obj && typeof obj === "object", `${where} missing`);
  assert.deepEqual(Object.keys(obj).filter((k) => k !== "symbol").sort(), [...LANGS].sort(), `${where}: languages`);
  for (const lang of LANGS) {
    assert.equal(typeof obj[lang], "string", `${where}.${lang}`);
    assert.ok(obj[lang].trim().length > 0, `${where}.${lang} is empty`);
  }
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;
  assert.ok(japanese.test(obj.ja), `${where}.ja is not Japanese`);
  assert.ok(!japanese.test(obj.en), `${where}.en holds Japanese`);
}

test("the checker itself rejects bad MathML", () => {
  const bad = [
    "<math><mi>x</mi>",
    "<math><mi>x</mo></math>",
    "<math><msub><mi>x</mi></msub></math>",
    "<math><mfrac><mi>a</mi><mi>b</mi><mi>c</mi></mfrac></math>",
    "<math><script>alert(1)</script></math>",
    `<math><mi style="color:red">x</mi></math>`,
    "<math><mo>a < b</mo></math>",
    "<math><mi></mi></math>",
    "<math><mrow>x</mrow></math>",
    "<math><mi>x</mi></math><math></math>",
  ];
  for (const src of bad) assert.throws(() => checkTree(parseMathML(src)), undefined, src);
  checkTree(parseMathML(`<math display="block"><msub><mi>x</mi><mn>1</mn></msub><mo>&gt;</mo></math>`));
});

test("every optimizer: rule, about, when and every hyperparameter in both languages", () => {
  assert.ok(Object.keys(OPTIMIZERS).length >= 9);
  for (const [name, o] of Object.entries(OPTIMIZERS)) {
    assert.ok(o.display, `${name}.display`);
    const tree = wellFormed(o.rule, `${name}.rule`);
    assert.equal(tree.attrs.display, "block", `${name}.rule is a block formula`);
    assert.ok(o.rule.includes("<mi>θ</mi>"), `${name}.rule updates θ`);
    bothLanguages(o.about, `${name}.about`);
    bothLanguages(o.when, `${name}.when`);
    assert.ok(o.params.lr, `${name} explains lr`);
    for (const [p, doc] of Object.entries(o.params)) {
      bothLanguages(doc, `${name}.params.${p}`);
      if (doc.symbol !== undefined) {
        wellFormed(doc.symbol, `${name}.params.${p}.symbol`);
        // The symbol must occur in the rule: strip the <math> wrapper and look for its body.
        const body = doc.symbol.replace(/^<math>/, "").replace(/<\/math>$/, "");
        for (const part of body.split("<mo>,</mo>")) {
          const inner = part.replace(/^<mrow>/, "").replace(/<\/mrow>$/, "");
          assert.ok(o.rule.includes(inner), `${name}: the symbol of ${p} (${inner}) is not in the rule`);
        }
      }
    }
  }
});

test("boolean hyperparameters appear by name in the rule", () => {
  const flags = { sgd: ["nesterov"], rmsprop: ["centered"], adam: ["amsgrad"], adamw: ["amsgrad"] };
  for (const [name, ps] of Object.entries(flags)) {
    for (const p of ps) {
      assert.ok(OPTIMIZERS[name].params[p], `${name}.${p}`);
      assert.ok(OPTIMIZERS[name].rule.includes(`<mtext>${p}</mtext>`), `${name}.rule names ${p}`);
    }
  }
});

test("rules follow the code: decoupled decay and the Adam family's bias corrections", () => {
  // AdamW and Lion shrink θ before the step and keep λ out of the gradient.
  for (const name of ["adamw", "lion"]) {
    assert.ok(!OPTIMIZERS[name].rule.includes("<mo>+</mo><mi>λ</mi>"), `${name}: no L2 term in the gradient`);
    assert.ok(OPTIMIZERS[name].rule.includes("<mi>γ</mi><mi>λ</mi>"), `${name}: θ(1 − γλ)`);
  }
  for (const name of ["sgd", "rmsprop", "adagrad", "adam", "nadam", "adamax", "adadelta"]) {
    assert.ok(OPTIMIZERS[name].rule.includes("<mo>+</mo><mi>λ</mi>"), `${name}: L2 term in the gradient`);
  }
  // 1 − β₂ᵗ under a root (Adam, AdamW, NAdam); 1 − β₁ᵗ under γ (Adam, AdamW, Adamax).
  const b2 = "<msqrt><mn>1</mn><mo>−</mo><msubsup><mi>β</mi><mn>2</mn><mi>t</mi></msubsup></msqrt>";
  const b1 = "<mfrac><mi>γ</mi><mrow><mn>1</mn><mo>−</mo><msubsup><mi>β</mi><mn>1</mn><mi>t</mi></msubsup></mrow></mfrac>";
  for (const name of ["adam", "adamw", "nadam"]) assert.ok(OPTIMIZERS[name].rule.includes(b2), `${name}: √(1 − β₂ᵗ)`);
  for (const name of ["adam", "adamw", "adamax"]) assert.ok(OPTIMIZERS[name].rule.includes(b1), `${name}: γ/(1 − β₁ᵗ)`);
  // RMSprop has no bias correction.
  assert.ok(!OPTIMIZERS.rmsprop.rule.includes("<msubsup>"), "rmsprop: no bias correction");
});

test("named presets", () => {
  assert.deepEqual(Object.keys(PRESETS).sort(), ["momentum", "nesterov"]);
  for (const [id, p] of Object.entries(PRESETS)) {
    assert.ok(OPTIMIZERS[p.optimizer], `${id}.optimizer`);
    wellFormed(p.rule, `${id}.rule`);
    bothLanguages(p.about, `${id}.about`);
    bothLanguages(p.when, `${id}.when`);
  }
});

test("glossary", () => {
  const want = ["local_minimum", "global_minimum", "saddle_point", "learning_rate", "divergence", "convergence", "basin_of_attraction"];
  for (const k of want) assert.ok(GLOSSARY[k], `glossary has ${k}`);
  for (const [k, g] of Object.entries(GLOSSARY)) {
    bothLanguages(g.term, `${k}.term`);
    bothLanguages(g.text, `${k}.text`);
  }
  // The textbook terms, not loan words.
  assert.match(GLOSSARY.local_minimum.term.ja, /局所最適解/);
  assert.match(GLOSSARY.global_minimum.term.ja, /大域最適解/);
  assert.equal(GLOSSARY.learning_rate.term.ja, "学習率");
  assert.equal(GLOSSARY.divergence.term.ja, "発散");
  assert.equal(GLOSSARY.convergence.term.ja, "収束");
});

test("hints in both languages, and the ones the issue quotes", () => {
  for (const [k, h] of Object.entries(HINTS)) bothLanguages(h, `HINTS.${k}`);
  assert.match(HINTS.diverged.en, /the learning rate is too large: each step overshoots the valley/i);
  assert.match(HINTS.stuck_local.en, /try another start point, or momentum/i);
  assert.match(HINTS.not_converged.en, /try more steps/i);
  // A larger learning rate is suggested only after it was tried (advice.js).
  for (const h of Object.values(HINTS)) assert.doesNotMatch(h.en, /larger learning rate/i);
  assert.match(HINTS.diverged.ja, /学習率/);
  assert.match(HINTS.stuck_local.ja, /局所最適解/);
});

test("situation maps every outcome the API sends to a hint", () => {
  const cases = [
    [{ status: "diverged", step: 12 }, true, "diverged"],
    [{ status: "left_domain", step: 3 }, true, "left_domain"],
    [{ status: "not_converged", step: 500 }, true, "not_converged"],
    [{ status: "wandering", step: 500, between: [] }, true, "wandering"],
    [{ status: "converged", step: 40, reached: { kind: "minimum", x: 3, y: 2, value: 0, global: true } }, true, "reached_global"],
    [{ status: "converged", step: 40, reached: { kind: "minimum", x: 1, y: 0, value: -0.375, global: false } }, true, "stuck_local"],
    [{ status: "converged", step: 40, reached: { kind: "minimum", x: 1, y: 0, value: -0.375 } }, false, "settled"],
    [{ status: "converged", step: 40, reached: { kind: "saddle", x: 0, y: 0, value: 0 } }, true, "saddle"],
    [{ status: "converged", step: 40, reached: { kind: "maximum", x: 0, y: 0, value: 1 } }, true, null],
    [{ status: "converged", step: 40 }, true, null],
    [{ status: "running" }, true, null],
    [undefined, true, null],
  ];
  for (const [outcome, known, want] of cases) {
    const got = situation(outcome, known);
    assert.equal(got, want, JSON.stringify(outcome));
    if (got) assert.ok(HINTS[got], `HINTS.${got}`);
  }
  assert.equal(hint({ status: "diverged" }, "ja"), HINTS.diverged.ja);
  assert.equal(hint({ status: "diverged" }, "fr"), HINTS.diverged.en);
  assert.equal(hint({ status: "running" }, "en"), null);
});
