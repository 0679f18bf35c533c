// The page's downloads: the map as PNG, the run as CSV (the same file as
// GET /api/v1/runs?…&format=csv) and as JSON with its spec and link.

import { toCSV, toJSON } from "./runs.js";

/** download saves blob under name through a temporary link. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** fileStem names the downloads after the function and learning rate. */
export function fileStem(S) {
  return `basin-${S.f || "custom"}-lr${S.lr}`;
}

/** bindDownloads wires the three buttons: run() gives the run on screen, image() the map's canvas, link() the page's link. */
export function bindDownloads(store, { run, image, link }) {
  const $ = (id) => document.getElementById(id);
  $("dl-png").addEventListener("click", () => {
    image().toBlob((b) => { if (b) download(b, `${fileStem(store.state)}.png`); }, "image/png");
  });
  $("dl-csv").addEventListener("click", () => {
    const r = run();
    if (!r) return;
    download(new Blob([toCSV(r, r.csvNames)], { type: "text/csv" }), `${fileStem(store.state)}.csv`);
  });
  $("dl-json").addEventListener("click", () => {
    const r = run();
    if (!r) return;
    const body = toJSON(r, r.spec, link(), r.labels);
    download(new Blob([JSON.stringify(body, null, 1)], { type: "application/json" }), `${fileStem(store.state)}.json`);
  });
}
