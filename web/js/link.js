// The address bar follows the page: the state as a permalink query
// (replaceState, never a history entry per slider tick), throttled because
// browsers refuse floods of replaceState; and "Copy link" with its short
// "Copied".

import { t } from "./i18n.js";
import { toQuery } from "./state.js";

/** URL_THROTTLE_MS spaces URL updates (browsers throttle replaceState floods). */
export const URL_THROTTLE_MS = 200;
/** COPIED_MS is how long "Copied" shows. */
export const COPIED_MS = 1600;

const $ = (id) => document.getElementById(id);

/**
 * Link writes the store's state to the address bar. stepShown() gives the
 * paused timeline step a link carries (t), or null.
 */
export class Link {
  constructor(store, stepShown) {
    this.store = store;
    this.stepShown = stepShown;
    this.timer = 0;
    this.last = -Infinity;
    this.pending = false; // a change waits for URL_THROTTLE_MS to reach the address bar
    this.alt = null; // another mode's query (a training link), or null when it has no link
    store.on("change", () => this.write());
  }

  /** query gives the page's state as its permalink query. */
  query() {
    if (this.alt) return this.alt.query();
    return toQuery({ ...this.store.state, t: this.stepShown() });
  }

  /** url gives the whole link. */
  url() {
    return `${location.origin}${location.pathname}?${this.query()}`;
  }

  /** write puts the state in the address bar, at most every URL_THROTTLE_MS. */
  write() {
    if (!this.store.ready) return;
    const now = performance.now();
    clearTimeout(this.timer);
    if (now - this.last < URL_THROTTLE_MS) {
      this.pending = true;
      this.timer = setTimeout(() => this.write(), URL_THROTTLE_MS - (now - this.last));
      return;
    }
    this.pending = false;
    this.last = now;
    const q = this.query();
    if (q !== null) history.replaceState(null, "", `${location.pathname}?${q}`);
  }

  /** copy puts the link on the clipboard and says whether it worked. */
  async copy() {
    if (this.query() === null) { // the other mode says why it has no link
      $("copy-status").textContent = this.alt.why();
      return;
    }
    const link = this.url();
    $("copy").dataset.link = link;
    let ok = false;
    try {
      await navigator.clipboard.writeText(link);
      ok = true;
    } catch {
      const ta = document.createElement("textarea");
      ta.value = link;
      ta.setAttribute("readonly", "");
      ta.className = "sr-only";
      document.body.append(ta);
      ta.select();
      try { ok = document.execCommand("copy"); } catch { ok = false; }
      ta.remove();
    }
    const st = $("copy-status");
    st.textContent = ok ? t("copied") : t("copyFailed");
    setTimeout(() => { st.textContent = ""; }, COPIED_MS);
  }
}
