// Compare in the model mode, the pure part (tested in node): the second
// training B is the first A with one setting changed, the same data, model,
// initial parameters, epochs and optimizers, so the difference on screen is
// that setting's. Which settings, B's suggested value, its words, and the
// step of B that matches A's on the timeline.

/** COMPARE_BY lists what can differ, in the menu's order: each teaches one of the mode's lessons. */
export const COMPARE_BY = ["bs", "lr", "std", "init"];

/** BS_CHOICES are the batch sizes offered for B (those above the training rows are left out; null is the full batch). */
export const BS_CHOICES = [1, 4, 16, 64, null];

/**
 * suggestB gives B's value for setting by, from A's state s: batch size 1
 * (or the full batch when A already uses 1), ten times the learning rate
 * (too large a rate on a network diverges), the other scaling, the next
 * initial seed (the same network from another start ends elsewhere).
 */
export function suggestB(by, s) {
  switch (by) {
    case "bs": return s.bs === 1 ? null : 1;
    case "lr": return Number((s.lr * 10).toPrecision(3));
    case "std": return !s.std;
    case "init": return s.init + 1;
  }
  throw new Error(`unknown compare setting ${by}`);
}

/** stateB is A's state with setting by set to v. */
export function stateB(s, by, v) {
  return { ...s, [by]: v };
}

/**
 * checkB says what is wrong with B's value, or "" when it is fine: a
 * learning rate must be a finite number > 0, a seed an integer in [0,
 * 2^53 − 1], a batch size 1 to the rows or null; B must differ from A.
 */
export function checkB(by, v, s, rows) {
  if (by === "lr" && !(Number.isFinite(v) && v > 0)) return "lr";
  if (by === "init" && !(Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER)) return "init";
  if (by === "bs" && v !== null && !(Number.isInteger(v) && v >= 1 && v <= rows)) return "bs";
  if (v === s[by]) return "same";
  return "";
}

/**
 * stepOfB maps A's timeline step to B's at the same share of training
 * (the same epoch, since A and B train the same epochs): batch sizes make
 * different numbers of steps.
 */
export function stepOfB(step, stepsA, stepsB) {
  if (stepsA <= 0) return stepsB;
  return Math.min(stepsB, Math.round((step / stepsA) * stepsB));
}
