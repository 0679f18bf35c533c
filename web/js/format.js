// Number formatting for the page: short, tabular, and never "NaN" on screen.
// Pure functions, tested in web/test/format.test.js.

/** Significant digits shown for values (UI.md: 3–4 significant digits). */
export const SIG_DIGITS = 3;

// Below SMALL or from LARGE on, values are shown in exponent form, so
// 0.0312 stays readable and 3.2e-3 does not turn into 0.00320.
const SMALL = 0.01;
const LARGE = 1e5;

/**
 * fmt gives v with `sig` significant digits, trailing zeros dropped:
 * 0.0312 → "0.0312", 0.0032 → "3.2e-3", 142 → "142", 123456 → "1.23e5".
 */
export function fmt(v, sig = SIG_DIGITS) {
  if (typeof v !== "number" || Number.isNaN(v)) return "–";
  if (v === Infinity) return "∞";
  if (v === -Infinity) return "−∞";
  if (v === 0) return "0";
  const r = Number(v.toPrecision(sig)); // round first: 99999 shows as 1e5
  const a = Math.abs(r);
  let s;
  if (a < SMALL || a >= LARGE) {
    s = r.toExponential(sig - 1);
    let [m, e] = s.split("e");
    if (m.includes(".")) m = m.replace(/0+$/, "").replace(/\.$/, "");
    s = m + "e" + e.replace("+", "");
  } else {
    s = r.toPrecision(sig);
    if (s.includes("e")) s = String(Number(s));
    else if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  }
  return s.replace(/^-/, "−");
}

/** SENTENCE_DIGITS is the fewest significant digits a value gets in a sentence: −1.032, not −1. */
export const SENTENCE_DIGITS = 4;
/** MAX_DIGITS bounds fmtDistinct: float64 values that differ show different within 17 digits. */
const MAX_DIGITS = 17;

/**
 * fmtDistinct gives v with at least SENTENCE_DIGITS significant digits,
 * and more where a value of others that differs from v would otherwise
 * read the same (a local minimum at 0.39789 beside a global one at
 * 0.39788 must not both read "0.3979").
 */
export function fmtDistinct(v, others = []) {
  for (let sig = SENTENCE_DIGITS; sig < MAX_DIGITS; sig++) {
    const s = fmt(v, sig);
    if (others.every((o) => o === v || !Number.isFinite(o) || fmt(o, sig) !== s)) return s;
  }
  return fmt(v, MAX_DIGITS);
}

/** fmtPointExact gives a point as a sentence quotes it, each coordinate to SENTENCE_DIGITS significant digits: "(−2.904, −2.904)". */
export function fmtPointExact(x, y) {
  return `(${fmtDistinct(x)}, ${fmtDistinct(y)})`;
}

/** fmtCoord gives a coordinate with two decimals, as outcomes quote them: "3.00". */
export function fmtCoord(v) {
  if (!Number.isFinite(v)) return fmt(v);
  if (Math.abs(v) >= 1000) return fmt(v, 4);
  const s = v.toFixed(2);
  return (s === "-0.00" ? "0.00" : s).replace(/^-/, "−");
}

/** fmtPoint gives "(3.00, 2.00)". */
export function fmtPoint(x, y) {
  return `(${fmtCoord(x)}, ${fmtCoord(y)})`;
}

/**
 * fmtTick gives an axis tick label for a tick on a grid of spacing `step`,
 * with just enough decimals to tell neighbours apart.
 */
export function fmtTick(v, step) {
  if (Math.abs(v) < step * 1e-9) return "0";
  const a = Math.abs(v);
  if (a >= LARGE || step < 1e-4) return fmt(v, 3);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals).replace(/^-/, "−");
}

/** template fills {name} placeholders from vars; unknown names stay visible. */
export function template(s, vars) {
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/**
 * goFloat writes v as Go's strconv.FormatFloat(v, 'g', -1, 64) does (the
 * shortest digits that round-trip; exponent form below 1e-4 and from 1e6
 * on, as "1e-05" and "1.5e+06"), so the page's CSV download is byte for byte
 * the API's CSV.
 */
export function goFloat(v) {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const [mant, e] = v.toExponential().split("e"); // shortest round-trip digits
  const exp = Number(e);
  if (exp < -4 || exp >= GO_SHORTEST_EPREC) {
    const ae = Math.abs(exp);
    return `${mant}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
  }
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let s;
  if (exp < 0) s = "0." + "0".repeat(-exp - 1) + digits;
  else if (digits.length <= exp + 1) s = digits + "0".repeat(exp + 1 - digits.length);
  else s = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  return (neg ? "-" : "") + s;
}

// Go's 'g' format with the shortest precision switches to exponent form
// from an exponent of 6 (strconv: "if shortest { eprec = 6 }").
const GO_SHORTEST_EPREC = 6;
