// The models' forward pass in the browser, so the data panel can draw the
// prediction at any recorded step from that step's parameters alone (the
// server sends parameters, not predictions). Parameters are in PyTorch's
// order, as the training answer's `names`: each nn.Linear in turn, weight
// out × in row-major, then bias; `linear` is [w, b], `logistic` [w1, w2]
// with no bias.

/** ACTIVATIONS are the hidden layers' nonlinearities, by the API's names. */
export const ACTIVATIONS = Object.freeze({
  tanh: Math.tanh,
  relu: (z) => (z > 0 ? z : 0),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
});

/** sigmoid turns a logit into the probability of class 1. */
export function sigmoid(z) {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** paramCount is how many parameters a model has on `inputs` features. */
export function paramCount(model, inputs) {
  if (model.kind === "linear" || model.kind === "logistic") return 2;
  let n = 0, fan = inputs;
  for (const h of [...model.hidden, 1]) {
    n += h * fan + h;
    fan = h;
  }
  return n;
}

/**
 * Predictor evaluates one model at one parameter vector: output(x) is the
 * regression value or the classification logit for the features x. It
 * keeps two scratch layers so that drawing a region of thousands of points
 * allocates nothing per point.
 */
export class Predictor {
  constructor(model, inputs, params) {
    const want = paramCount(model, inputs);
    if (params.length !== want) throw new Error(`forward: ${params.length} parameters, want ${want}`);
    this.model = model;
    this.inputs = inputs;
    this.params = params;
    this.act = model.kind === "mlp" ? ACTIVATIONS[model.activation] : null;
    if (model.kind === "mlp" && !this.act) throw new Error(`forward: unknown activation ${model.activation}`);
    const width = Math.max(inputs, ...(model.hidden || [1]));
    this.a = new Float64Array(width);
    this.b = new Float64Array(width);
  }

  /** output is the model's raw output at features x (an array of inputs numbers). */
  output(x) {
    const p = this.params;
    if (this.model.kind === "linear") return p[0] * x[0] + p[1];
    if (this.model.kind === "logistic") return p[0] * x[0] + p[1] * x[1];
    let cur = this.a, next = this.b, fan = this.inputs, o = 0;
    for (let i = 0; i < fan; i++) cur[i] = x[i];
    const layers = [...this.model.hidden, 1];
    for (let l = 0; l < layers.length; l++) {
      const out = layers[l];
      const biases = o + out * fan;
      for (let u = 0; u < out; u++) {
        let z = p[biases + u];
        for (let i = 0; i < fan; i++) z += p[o + u * fan + i] * cur[i];
        next[u] = l === layers.length - 1 ? z : this.act(z);
      }
      o = biases + out;
      fan = out;
      [cur, next] = [next, cur];
    }
    return cur[0];
  }

  /** probability is the chance of class 1 at x (classification models). */
  probability(x) {
    return sigmoid(this.output(x));
  }
}
