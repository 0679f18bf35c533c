package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/basin-dev/basin/internal/cost"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/gorilla/websocket"
)

// Training requests (POST /api/v1/train, the permalink GET, the websocket's
// train job) share one path: decode, take a heavy-job slot, train, give
// the slot back, then write the answer.

// train prices a training request against the CPU budget, then computes
// it holding a many-run job slot (training and slice grids share the
// sweeps' and basin maps' limit), so a flood of training cannot starve
// trajectory runs.
func (h *Handler) train(ctx context.Context, spec runspec.TrainSpec, progress func(done, total int)) (*runspec.TrainResult, error) {
	if err := h.checkCost("", cost.Train(runspec.TrainSize(spec))); err != nil {
		return nil, err
	}
	release, err := h.acquireHeavy(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	res, err := runspec.Train(ctx, spec, progress)
	if err == nil && !trainFinite(res) {
		err = errNonFinite
	}
	return res, err
}

// postTrain answers a JSON training request (format=csv for the CSV).
func (h *Handler) postTrain(w http.ResponseWriter, r *http.Request) {
	body, err := h.readBodyLimit(w, r, runspec.TrainBytesLimit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	spec, err := runspec.DecodeTrain(body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q, err := parseQuery(r, "format")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	csv, err := wantsCSV(r, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerTrain(w, r, spec, csv)
}

// getTrain answers a training permalink: the same answer as the POST of
// the same request.
func (h *Handler) getTrain(w http.ResponseWriter, r *http.Request) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		h.fail(w, r, runspec.Errorf("", "malformed query: %v", err))
		return
	}
	spec, err := runspec.DecodeTrainQuery(q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	csv, err := wantsCSV(r, q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.answerTrain(w, r, spec, csv)
}

// answerTrain computes a training request and streams its answer as it
// is encoded, holding the result (counted against the memory budget) until
// it is written.
func (h *Handler) answerTrain(w http.ResponseWriter, r *http.Request, spec runspec.TrainSpec, csv bool) {
	ctx, done := h.jobContext(r)
	defer done()
	res, err := h.train(ctx, spec, nil)
	if err != nil {
		h.failJob(w, r, ctx, err)
		return
	}
	release, err := h.reserve(ctx, trainAnswerBytes(res))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer release()
	ctype := "application/json"
	if csv {
		ctype = "text/csv; charset=utf-8"
		w.Header().Set("Content-Disposition", `attachment; filename="basin-training.csv"`)
	}
	st := newStream(w, ctype)
	b := make([]byte, 0, streamChunk+streamChunk/4)
	if csv {
		b = appendTrainCSV(b, res, st.spill)
	} else {
		b = appendTrainJSON(b, res, st.spill)
	}
	st.finish(b)
}

// trainProgressMinSteps is the smallest request whose websocket job
// reports progress: a shorter one finishes before a message would help.
const trainProgressMinSteps = 1024

// trainJobWS trains over the websocket: train_progress now and then while
// it computes (dropped when the client is behind: the next one says
// more), then train_start (the header), each run's rows (binary frames of
// type 3, or train_rows with "encoding": "json"), the landscape (type 4 or
// train_landscape) when a grid was asked, and train_done with the
// outcomes (and each run's line when one was asked). Cancel it as any job, with {"type":"cancel","id":...}.
func (s *session) trainJobWS(ctx context.Context, j *job, raw json.RawMessage, bin bool) {
	spec, err := runspec.DecodeTrain(raw)
	var res *runspec.TrainResult
	if err == nil {
		res, err = s.h.train(ctx, spec, func(done, total int) {
			if total >= trainProgressMinSteps {
				s.offer(j, trainProgressMsg(j.id, done, total))
			}
		})
	}
	if err == nil {
		err = s.streamTrain(ctx, j, res, bin)
	}
	s.endJob(ctx, j, "training failed", err, func() outMsg {
		b := jobMsg("train_done", j.id)
		*b = append(*b, `,"outcomes":[`...)
		for i := range res.Runs {
			if i > 0 {
				*b = append(*b, ',')
			}
			*b, _ = appendOutcomeJSON(*b, res.Runs[i].Outcome)
		}
		// ends[i] is run i's settled points, null when it has none.
		*b = append(*b, `],"ends":[`...)
		for i := range res.Runs {
			if i > 0 {
				*b = append(*b, ',')
			}
			if e := res.Runs[i].Ends; e != nil {
				*b = appendEnds(*b, e)
			} else {
				*b = append(*b, "null"...)
			}
		}
		*b = append(*b, ']')
		// lines[i] is run i's straight line, null when it diverged.
		if res.Line != 0 {
			*b = append(*b, `,"lines":[`...)
			for i := range res.Runs {
				if i > 0 {
					*b = append(*b, ',')
				}
				*b = appendLineJSON(*b, res.Runs[i].Line)
			}
			*b = append(*b, ']')
		}
		*b = append(*b, '}')
		return textMsg(b)
	})
}

// offer queues a message the job can do without, unless the queue is full.
func (s *session) offer(j *job, m outMsg) {
	m.job = j
	select {
	case s.send <- m:
	default:
		putMsg(m.data)
	}
}

func trainProgressMsg(id string, done, total int) outMsg {
	b := jobMsg("train_progress", id)
	*b = append(*b, `,"done":`...)
	*b = appendInt(*b, done)
	*b = append(*b, `,"total":`...)
	*b = appendInt(*b, total)
	*b = append(*b, '}')
	return textMsg(b)
}

// streamTrain sends a computed result: the header, every run's rows, the
// landscape. It holds no slot, so it waits for the writer as runs do.
func (s *session) streamTrain(ctx context.Context, j *job, res *runspec.TrainResult, bin bool) error {
	b := jobMsg("train_start", j.id)
	*b = append(*b, ',')
	*b = appendTrainHeader(*b, res)
	*b = append(*b, `,"columns":[`...)
	for _, c := range trainColumns {
		*b = runspec.AppendJSONString(*b, c)
		*b = append(*b, ',')
	}
	*b = append(*b, `"distance"]}`...)
	if err := s.enqueue(ctx, j, false, textMsg(b)); err != nil {
		return err
	}
	np := len(res.Names)
	per := trainRowsPerFrame(np)
	for i := range res.Runs {
		r := &res.Runs[i]
		for from := 0; from < r.Rows(); from += per {
			n := min(per, r.Rows()-from)
			m := outMsg{kind: websocket.BinaryMessage, data: newMsg()}
			if bin {
				*m.data = appendTrainRowsFrame(*m.data, j.id, i, from, n, r, np)
			} else {
				m.kind = websocket.TextMessage
				*m.data = appendTrainRowsMessage(*m.data, j.id, i, from, n, r, np)
			}
			if err := s.enqueue(ctx, j, false, m); err != nil {
				return err
			}
		}
	}
	if g := res.Landscape; g != nil {
		m := outMsg{kind: websocket.BinaryMessage, data: newMsg()}
		if bin {
			*m.data = appendTrainLandscapeFrame(*m.data, j.id, g)
		} else {
			m.kind = websocket.TextMessage
			*m.data = appendTrainLandscapeMessage(*m.data, j.id, g)
		}
		if err := s.enqueue(ctx, j, false, m); err != nil {
			return err
		}
	}
	return nil
}
