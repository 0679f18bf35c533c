// The page's state has one owner, this store (as morris/vanilla-todo's
// TodoStore): the URL state of state.js (function, start, learning rate,
// optimizers, view parameters), the function's description (domain,
// defaults, critical points) and the catalogs the controls are built
// from. Every part reads it here and asks it for changes; only the store
// applies them, and it announces each as a "change" event naming the keys
// that changed, so the runs, the controls and the address bar follow.

import { Emitter } from "./events.js";
import { emptyState } from "./state.js";

// same compares two state values (numbers, strings, arrays, plain objects) by content.
function same(a, b) {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Store holds the state. Events: "change" (keys, how) after set or
 * replace, where how carries the asker's words about the change (live: a
 * drag is going on); "ready" once the catalogs and the first state are in.
 */
export class Store extends Emitter {
  #state = Object.freeze(emptyState());
  #fn = null;
  #functions = [];
  #catalog = { list: [], presets: [], schedules: [] };
  #ready = false;

  /** state is the current URL state, frozen: ask set for a change. */
  get state() { return this.#state; }
  /** fn is the current function's description (domain, start, lr, minima, saddles). */
  get fn() { return this.#fn; }
  /** functions are the presets, in display order. */
  get functions() { return this.#functions; }
  /** catalog is {list, presets, schedules} of the optimizers and schedules. */
  get catalog() { return this.#catalog; }
  /** ready is true once the page has its catalogs and a complete state. */
  get ready() { return this.#ready; }

  /** onChange calls fn(keys, how) after each change that touches one of watched. */
  onChange(watched, fn) {
    this.on("change", (keys, how) => { if (keys.some((k) => watched.includes(k))) fn(keys, how); });
  }

  /** load keeps the catalogs the server gave. */
  load(functions, catalog) {
    this.#functions = functions;
    this.#catalog = catalog;
  }

  /** markReady says the page is complete, once. */
  markReady() {
    this.#ready = true;
    this.announce("ready");
  }

  /**
   * set applies patch (state keys, and fn for the function's description)
   * and announces the keys whose value changed. A patch that changes
   * nothing announces nothing.
   */
  set(patch, how = {}) {
    const keys = [];
    const next = { ...this.#state };
    for (const [k, v] of Object.entries(patch)) {
      if (k === "fn") {
        if (v !== this.#fn) { this.#fn = v; keys.push("fn"); }
        continue;
      }
      if (!(k in next)) throw new Error(`store: unknown state key ${k}`);
      if (same(next[k], v)) continue;
      next[k] = Array.isArray(v) ? Object.freeze(v.slice()) : v;
      keys.push(k);
    }
    if (!keys.length) return keys;
    this.#state = Object.freeze(next);
    this.announce("change", keys, how);
    return keys;
  }

  /** replace puts a whole state (a link's) and its function in place and announces the keys that changed. */
  replace(state, fn, how = {}) {
    const keys = [];
    const next = {};
    for (const [k, v] of Object.entries(state)) {
      next[k] = Array.isArray(v) ? Object.freeze(v.slice()) : v;
      if (!same(this.#state[k], v)) keys.push(k);
    }
    if (fn !== this.#fn) keys.push("fn");
    this.#state = Object.freeze(next);
    this.#fn = fn;
    if (keys.length) this.announce("change", keys, how);
    return keys;
  }
}

/** store is the page's one store. */
export const store = new Store();
