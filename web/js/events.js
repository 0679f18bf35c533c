// Emitter is the page's way for a part to announce what happened to the
// parts that listen, with DOM CustomEvents as morris/vanilla-todo does: the
// announcer never knows its listeners.

/** Emitter announces events whose detail is a list of arguments for the listeners. */
export class Emitter extends EventTarget {
  /** on calls fn(...args) for each announcement of type. */
  on(type, fn) {
    this.addEventListener(type, (e) => fn(...e.detail));
  }

  /** announce tells the listeners of type, in the order they began to listen. */
  announce(type, ...args) {
    this.dispatchEvent(new CustomEvent(type, { detail: args }));
  }
}
