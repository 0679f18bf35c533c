// The model mode's downloads, in the function mode's row of buttons: each
// figure as PNG (the landscape with its paths, arrows and ends, or the
// data with the prediction, and under it a legend naming every run with
// its colour, cue and outcome), the training as CSV (the API's own: POST
// /api/v1/train?format=csv of the request on screen, docs/API.md) and the
// request as JSON (the panel's Download JSON, which loads back).

import { el } from "../dom.js";
import { download } from "../downloads.js";
import { drawLegend, legendHeight } from "../legend.js";
import { FONT } from "../mapview.js";
import { API, ApiError } from "../api.js";
import { t } from "./words.js";

/** fileStem names the downloads after the data, the model and the learning rate. */
export function fileStem(spec) {
  const data = spec.dataset.name || "data";
  const model = spec.model.kind === "mlp" ? `mlp${spec.model.hidden.join("-")}` : spec.model.kind;
  return `basin-${data}-${model}-lr${spec.lr}`;
}

/**
 * figureImage gives a canvas with the figure as it shows now (device
 * pixels) on the page's background, and under it the legend rows
 * ({name, colour, text}).
 */
export function figureImage(canvas, rows) {
  const style = getComputedStyle(document.body);
  const dpr = canvas.width / Math.max(1, canvas.clientWidth);
  const c = document.createElement("canvas");
  c.width = canvas.width;
  c.height = canvas.height + Math.ceil(legendHeight(rows.length) * dpr);
  const ctx = c.getContext("2d");
  ctx.fillStyle = style.backgroundColor || "#fff";
  ctx.fillRect(0, 0, c.width, c.height);
  ctx.drawImage(canvas, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawLegend(ctx, rows, 8, canvas.height / dpr, { font: FONT, ink: style.color || "#222" });
  return c;
}

/** mountDownloads adds the row of buttons at the top of root; m is the mode's view of itself. */
export function mountDownloads(m, root) {
  const row = el("div", "map-tools m-tools");
  row.id = "m-downloads";
  row.setAttribute("role", "group");
  const button = (id, key) => {
    const b = el("button", "", t(key));
    b.type = "button";
    b.id = id;
    b.dataset.ti = key;
    row.append(b);
    return b;
  };
  const bLand = button("m-dl-png", "mDlPNGLand");
  const bData = button("m-dl-data-png", "mDlPNGData");
  const bCSV = button("m-dl-csv", "downloadCSV");
  const bJSON = button("m-dl-json", "downloadJSON");
  const err = el("p", "field-error");
  err.id = "m-dl-error";
  err.setAttribute("aria-live", "polite");
  err.hidden = true;
  root.prepend(row, err);

  // legendRows name each run as its outcome line does.
  const legendRows = () => {
    const res = m.result();
    if (!res) return [];
    const lines = [...m.outList.querySelectorAll("li.m-outcome")].map((li) => li.textContent);
    return res.runs.map((r, k) => ({ name: r.display, colour: r.colour, text: (lines[k] || "").slice(r.display.length + 2) }));
  };
  const png = (canvas, what) => {
    if (!m.result()) return;
    m.redraw(); // the figure as it shows now, drawn in this task
    figureImage(canvas, legendRows()).toBlob((b) => { if (b) download(b, `${fileStem(m.spec())}-${what}.png`); }, "image/png");
  };
  bLand.addEventListener("click", () => png(m.cLand, "landscape"));
  bData.addEventListener("click", () => png(m.cData, "data"));
  bJSON.addEventListener("click", () => m.downloadJSON());
  let fetching = false; // the CSV is on its way: its button waits
  bCSV.addEventListener("click", async () => {
    if (!m.result()) return;
    const spec = m.spec();
    fetching = bCSV.disabled = true;
    err.hidden = true;
    try {
      const res = await fetch(`${API}/train?format=csv`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "text/csv" }, body: JSON.stringify(spec) });
      if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => ({}))).error || res.statusText);
      download(new Blob([await res.text()], { type: "text/csv" }), `${fileStem(spec)}.csv`);
    } catch (e) {
      err.textContent = t("mDlFailed", { message: e.message });
      err.hidden = false;
    } finally {
      fetching = false;
      bCSV.disabled = !m.result();
    }
  });

  return {
    relabel() {
      for (const b of row.querySelectorAll("[data-ti]")) b.textContent = t(b.dataset.ti);
      row.setAttribute("aria-label", t("mDownloads"));
    },
    update() {
      const none = !m.result();
      for (const b of [bLand, bData, bJSON]) b.disabled = none;
      bCSV.disabled = none || fetching;
    },
  };
}
