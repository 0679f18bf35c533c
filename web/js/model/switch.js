// The mode switch alone: mode.js and its imports load on the mode's first
// use, so a first visit to the functions does not fetch them.

import { t } from "../i18n.js";

/** MODE_MODULE is relative, so the server stamps it with the page's version. */
const MODE_MODULE = "./mode.js";

/** isTrainQuery reports whether an address query is a training link (it has train=). */
export function isTrainQuery(search) {
  return new URLSearchParams(search).has("train");
}

/** mountModeSwitch puts the switch beside the function picker; loaded(handle) gets mountModel's handle once the mode loads. */
export function mountModeSwitch(page, link, loaded) {
  const sw = document.createElement("div");
  sw.className = "mode-switch";
  sw.setAttribute("role", "group");
  const bFn = document.createElement("button"), bModel = document.createElement("button");
  bFn.type = bModel.type = "button";
  bFn.id = "mode-functions";
  bModel.id = "mode-model";
  bFn.setAttribute("aria-pressed", "true");
  bModel.setAttribute("aria-pressed", "false");
  sw.append(bFn, bModel);
  document.querySelector(".fn-field").before(sw);
  const error = document.createElement("p");
  error.className = "field-error";
  error.id = "mode-error";
  error.setAttribute("aria-live", "polite");
  error.hidden = true;
  sw.after(error);

  const relabel = () => {
    bFn.textContent = t("modeFunctions");
    bModel.textContent = t("modeModel");
    sw.setAttribute("aria-label", t("mode"));
  };
  relabel();
  page.store.onChange(["lang"], relabel);

  const stub = {
    loaded: false,
    active: false,
    async enter(state) {
      const mode = await load();
      await mode.enter(state);
    },
    load: () => load(),
  };
  let loading = null;
  // A failed fetch says why under the switch, and the next pick tries
  // again; a mode that fails to build says why too (trying again would
  // build it twice).
  const say = (e) => {
    error.textContent = e.message;
    error.hidden = false;
    throw e;
  };
  function load() {
    loading ??= import(MODE_MODULE).catch((e) => {
      loading = null;
      say(e);
    }).then(({ mountModel }) => {
      let mode;
      try {
        mode = mountModel(page, link, { sw, bFn, bModel });
      } catch (e) {
        say(e);
      }
      error.hidden = true;
      stub.loaded = true;
      loaded(mode);
      return mode;
    });
    return loading;
  }

  // After the first pick mode.js' own listener answers.
  bModel.addEventListener("click", () => { if (!loading) load().then((mode) => mode.enter(), () => {}); });

  return stub;
}
