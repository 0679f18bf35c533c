// Every string the page shows, keyed by id, one table per language, so a
// translation is a data change: add a table under its language code (the
// keys of STRINGS feed the Language select) and nothing else. Strings may
// hold {name} placeholders filled by t(id, vars). Accessible names the
// end-to-end tests look for are the English values here.

import { template } from "./format.js";

export const STRINGS = {
  en: {
    langName: "English",
    title: "Basin",
    tagline: "loss-landscape explorer",
    function: "Function",
    customFunction: "Custom expression",
    expression: "Expression",
    expressionPlaceholder: "f(x, y) = …  e.g. (1-x)^2 + 100*(y-x^2)^2",
    expressionChecking: "checking…",
    language: "Language",
    copyLink: "Copy link",
    copied: "Copied",
    copyFailed: "Could not copy: select the address bar instead",
    map: "Loss landscape",
    mapHelp: "Click or tap to set the start. Arrow keys move it, Enter runs, Space plays or pauses. Wheel or pinch zooms, drag pans.",
    startX: "Start x",
    startY: "Start y",
    learningRate: "Learning rate",
    optimizers: "Optimizers",
    more: "More optimizers",
    fewer: "Fewer optimizers",
    settings: "Settings",
    hyperparameters: "Hyperparameters",
    duplicate: "Add another",
    duplicateOf: "Add another {name} with its own settings",
    remove: "Remove",
    removeOf: "Remove {name}",
    resetParam: "default",
    steps: "Steps",
    seed: "Seed",
    noise: "Noise",
    clip: "Gradient clipping",
    play: "Play",
    pause: "Pause",
    step: "Step",
    restart: "Restart",
    speed: "Speed",
    speedValue: "{n}/s",
    timeline: "Timeline",
    stepOf: "{t} / {n}",
    instant: "Instant",
    resetView: "Reset view",
    downloadPNG: "Download PNG",
    downloadCSV: "Download CSV",
    downloadJSON: "Download JSON",
    chart: "Loss by step",
    chartAxis: "loss − global minimum (log scale)",
    chartAxisLoss: "loss (log scale)",
    stepAxis: "step",
    running: "running…",
    waiting: "waiting for the server…",
    reachedGlobal: "reached the global minimum {point} at step {step}",
    reachedLocal: "stuck in a local minimum {point}, loss {value}, the global minimum is {global}: try momentum or another start",
    reachedLocalUnknown: "settled in a minimum {point}, loss {value}, at step {step}",
    reachedSaddle: "stopped at a saddle point {point} at step {step}: add a little noise or move the start",
    diverged: "diverged at step {step}: the learning rate is too large, try a smaller one",
    leftDomain: "left the function's domain at step {step} (the loss is undefined there): try a smaller learning rate",
    notConverged: "not converged after {steps} steps: try a larger learning rate or more steps",
    announceOutcomes: "Outcomes: {list}",
    globalMin: "global minimum f = {value} at {point}",
    localMin: "local minimum f = {value} at {point}",
    saddlePoint: "saddle f = {value} at {point}",
    startPoint: "start {point}",
    hoverPoint: "x {x}  y {y}  f ≈ {f}",
    hoverPath: "{name}: step {step}, x {x}, y {y}, loss {loss}",
    leftView: "{name} leaves the view here",
    badParam: "This link's {param} could not be used, so the default is shown: {message}",
    badParams: "Parts of this link could not be used, so defaults are shown: {list}",
    serverError: "The server said: {message}",
    connectionLost: "Lost the connection to the server; retrying…",
    loadFailed: "Could not load {what}: {message}",
    landscapeLoading: "drawing landscape…",
    dismiss: "Dismiss",
    errorAt: "at character {pos}",
    noOptimizer: "Pick at least one optimizer to see a trajectory.",
    // Problems with a link's parameters ({param} is the parameter's name).
    pBadEscape: "{param} has a malformed %-escape",
    pRepeated: "{param} is given more than once; the first is used",
    pBadVersion: "link version \"{value}\" is unknown; read as version {version}",
    pBadFunctionId: "\"{value}\" is not a function id",
    pEmptyExpr: "the expression is empty",
    pNotBox: "\"{value}\" is not four numbers xmin,xmax,ymin,ymax",
    pBadBox: "\"{value}\" needs xmin < xmax and ymin < ymax, within ±1e6",
    pNotPair: "\"{value}\" is not two numbers x,y",
    pStartRange: "\"{value}\" is outside |x|, |y| ≤ 1e6",
    pNotNumber: "\"{value}\" is not a number",
    pNotInteger: "\"{value}\" is not a whole number",
    pRangeLR: "\"{value}\" is not a learning rate > 0",
    pRangeSteps: "\"{value}\" is not a number of steps from 1 to 10000",
    pRangeSeed: "\"{value}\" is not a seed ≥ 0",
    pRangeNoise: "\"{value}\" is not a noise level ≥ 0",
    pRangeClip: "\"{value}\" is not a clipping norm ≥ 0 (0 turns it off)",
    pRangeSpeed: "\"{value}\" is not a speed from 1 to 100000 steps per second",
    pRangeT: "\"{value}\" is not a step number",
    pBadNamed: "\"{value}\" is not name or name(param=value,…)",
    pBadLang: "\"{value}\" is not a language this page knows",
    pBadInstant: "\"{value}\" is not 0 or 1",
    pBadMode: "\"{value}\" is not 2d or 3d",
    pUnknown: "\"{param}\" is not a parameter of Basin links",
    pBoth: "a link gives either f or expr, not both; the expression is used",
    pUnknownFunction: "\"{value}\" is not a function this server knows",
    pUnknownOptimizer: "\"{value}\" is not an optimizer this server knows",
    pUnknownHyper: "{name} has no parameter \"{value}\"",
  },
};

let lang = "en";

/** setLang chooses the table t reads; an unknown code falls back to English. */
export function setLang(code) {
  lang = code in STRINGS ? code : "en";
  return lang;
}

/** langs lists the language codes that have a table, for the Language select. */
export function langs() {
  return Object.keys(STRINGS);
}

/** t gives string id in the current language (English if missing there), with {placeholders} filled. */
export function t(id, vars) {
  const s = STRINGS[lang]?.[id] ?? STRINGS.en[id] ?? id;
  return vars ? template(s, vars) : s;
}
