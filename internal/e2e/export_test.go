package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// captureDownloads keeps every Blob the page turns into a download URL.
const captureDownloads = `(() => {
	window.__blobs = [];
	const orig = URL.createObjectURL;
	URL.createObjectURL = (b) => { window.__blobs.push(b); return orig.call(URL, b); };
	return true;
})()`

func TestDownloads(t *testing.T) {
	tb := newTab(t, 1280, 900)
	q := "v=1&f=himmelblau&steps=200&opt=sgd&opt=momentum&opt=adam(lr=0.1)&instant=1"
	tb.open(q)
	eval[bool](tb, captureDownloads)

	// CSV: byte for byte what the API gives for the page's own link.
	tb.do(chromedp.Click(chromedp.ID("dl-csv")))
	tb.poll(`window.__blobs.length === 1`)
	csv := eval[string](tb, `window.__blobs[0].text()`)
	link := eval[string](tb, `location.search.slice(1)`)
	res, err := http.Get(serverURL + "/api/v1/runs?" + link + "&format=csv")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET runs CSV: %s: %s", res.Status, want)
	}
	if csv != string(want) {
		n := min(len(csv), len(want), 300)
		t.Errorf("page CSV (%d bytes) differs from the API's (%d bytes); starts\n%s\nwant\n%s", len(csv), len(want), csv[:n], want[:n])
	}

	// JSON: the points and outcomes of every optimizer.
	tb.do(chromedp.Click(chromedp.ID("dl-json")))
	tb.poll(`window.__blobs.length === 2`)
	var body struct {
		Link string `json:"link"`
		Runs []struct {
			Points  [][3]float64    `json:"points"`
			Outcome json.RawMessage `json:"outcome"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(eval[string](tb, `window.__blobs[1].text()`)), &body); err != nil {
		t.Fatalf("JSON download: %v", err)
	}
	if len(body.Runs) != 3 || len(body.Runs[0].Points) == 0 || len(body.Runs[2].Outcome) < 5 || body.Link == "" {
		t.Errorf("JSON download incomplete: %d runs, link %q", len(body.Runs), body.Link)
	}

	// PNG: an image of the map with the paths.
	tb.do(chromedp.Click(chromedp.ID("dl-png")))
	tb.poll(`window.__blobs.length === 3`)
	info := eval[[]any](tb, `(async () => { const b = window.__blobs[2]; const bm = await createImageBitmap(b); return [b.type, b.size, bm.width]; })()`)
	if info[0] != "image/png" || info[1].(float64) < 10000 || info[2].(float64) < 300 {
		t.Errorf("PNG download: type %v, %v bytes, %v px wide", info[0], info[1], info[2])
	}
	// Under the map, a legend: each path's colour is there (its line and
	// marker), beside its name and outcome.
	missing := eval[[]string](tb, `(async () => {
		const bm = await createImageBitmap(window.__blobs[2]);
		const mapH = document.getElementById("map-base").height;
		if (bm.height <= mapH) return ["no legend: image " + bm.height + " px high, map " + mapH];
		const c = new OffscreenCanvas(bm.width, bm.height - mapH);
		const ctx = c.getContext("2d");
		ctx.drawImage(bm, 0, -mapH);
		const px = ctx.getImageData(0, 0, c.width, c.height).data;
		const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
		return window.basin.run.colours.filter((col) => {
			const [r, g, b] = rgb(col);
			for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 12) return false;
			return true;
		});
	})()`)
	if len(missing) > 0 {
		t.Errorf("PNG legend lacks %v", missing)
	}
	tb.checkClean()
}
