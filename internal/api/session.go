package api

import (
	"context"
	"encoding/json"
	"github.com/basin-dev/basin/internal/peer"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/basin-dev/basin/internal/optim"
	"github.com/basin-dev/basin/internal/runspec"
	"github.com/gorilla/websocket"
)

// IDBytesLimit bounds a request id; it is echoed in every frame.
const IDBytesLimit = 128

// session is one websocket connection. Its goroutines, after
// gorilla/websocket's chat example and the Go playground's socket:
//
//   - the reader (the HTTP handler's goroutine) reads client messages,
//     starts and stops runs, and notices a disconnect;
//   - the writer is the only one that writes data frames, from a bounded
//     queue, with a deadline on every write, and sends the pings;
//   - at most one job of each kind (run, sweep, basin, inspect) computes at
//     a time; a new request of a kind stops that kind's job in flight and
//     waits for it before starting, while jobs of other kinds go on.
//
// Every queued message belongs to a job (or to none, for replies to the
// session itself). The writer drops a cancelled job's messages, so no frame
// of an old run follows the first frame of the next.
type session struct {
	h      *Handler
	conn   *websocket.Conn
	addr   string
	ctx    context.Context // ends when the connection does
	cancel context.CancelFunc
	send   chan outMsg
	// jobs holds the latest job of each kind ("run", ...); the reader
	// goroutine alone reads and writes it.
	jobs map[string]*job
	// burst is the connection under conn, which the writer uses to send
	// the messages it finds queued together in one system call.
	burst *burstConn

	closeOnce sync.Once
}

// outMsg is one encoded message for the writer.
type outMsg struct {
	kind  int     // websocket.TextMessage or BinaryMessage
	data  *[]byte // pooled; returned after writing
	job   *job    // nil for session replies
	final bool    // done or error: the job's last message
}

// Job states. A job's final message is written only if the job moves from
// jobRunning to jobFinished; a cancel moves it to jobCancelled. The two
// exclude each other, so a run ends with exactly one of done, error or
// cancelled.
const (
	jobRunning int32 = iota
	jobCancelled
	jobFinished
)

// job is one request of a session: a run, sweep, basin map or inspection.
type job struct {
	id     string
	state  atomic.Int32
	cancel context.CancelFunc
	exited chan struct{} // closed when the job's goroutine returns
}

// stop cancels j if it is still running and waits for its goroutine. It
// reports whether j was in flight (its final message not yet written).
func (j *job) stop() bool {
	if j == nil {
		return false
	}
	inFlight := j.state.CompareAndSwap(jobRunning, jobCancelled)
	j.cancel()
	<-j.exited
	return inFlight
}

// msgBufs recycles encoded messages: a session at full speed produces one
// per batch.
var msgBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func newMsg() *[]byte {
	b := msgBufs.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

func putMsg(b *[]byte) {
	const keepBytes = 256 << 10 // don't pin the buffers of huge JSON batches
	if cap(*b) <= keepBytes {
		msgBufs.Put(b)
	}
}

func newSession(h *Handler, conn *websocket.Conn, addr string) *session {
	// The session's jobs share its client's fair share of the slots.
	ctx, cancel := context.WithCancel(withClient(context.Background(), peer.ID(addr)))
	return &session{h: h, conn: conn, addr: addr, ctx: ctx, cancel: cancel,
		send: make(chan outMsg, sendQueueLen), jobs: make(map[string]*job, 1)}
}

// serve runs the session until the client leaves, the connection fails or
// the server shuts down, and leaves no goroutine behind.
func (s *session) serve() {
	t := s.h.timing
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		s.writeLoop()
	}()
	// Training messages carry data, up to runspec.TrainBytesLimit; every
	// other message is held to BodyBytesLimit in handle.
	s.conn.SetReadLimit(runspec.TrainBytesLimit)
	s.conn.SetReadDeadline(time.Now().Add(t.pongWait))
	s.conn.SetPongHandler(func(string) error {
		return s.conn.SetReadDeadline(time.Now().Add(t.pongWait))
	})
	for {
		kind, data, err := s.conn.ReadMessage()
		if err != nil {
			break // closed, oversize (gorilla has sent 1009), timed out or broken
		}
		s.conn.SetReadDeadline(time.Now().Add(t.pongWait))
		if kind != websocket.TextMessage {
			s.reply(errorMsg("", runspec.Errorf("", "messages must be JSON text frames")))
			continue
		}
		s.handle(data)
	}
	for _, j := range s.jobs {
		j.stop()
	}
	s.cancel()
	<-writerDone
	s.conn.Close()
}

// clientMsg is a message from the client.
type clientMsg struct {
	Type     string          `json:"type"`
	ID       string          `json:"id"`
	Spec     json.RawMessage `json:"spec"`
	Encoding string          `json:"encoding"`
}

// handle acts on one client message. Mistakes are answered with an error
// message; the connection stays usable.
func (s *session) handle(data []byte) {
	m, err := decodeMessage(data)
	if err != nil {
		s.reply(errorMsg(m.ID, err))
		return
	}
	if m.ID == "" || len(m.ID) > IDBytesLimit {
		s.reply(errorMsg(m.ID, runspec.Errorf("id", "id must be a string of 1 to %d bytes", IDBytesLimit)))
		return
	}
	if len(data) > BodyBytesLimit && !carriesData(m.Type) {
		s.reply(errorMsg(m.ID, runspec.Errorf("", "a %s message must be at most %d bytes (train messages up to %d)", m.Type, BodyBytesLimit, runspec.TrainBytesLimit)))
		return
	}
	if m.Type == "cancel" {
		for _, j := range s.jobs {
			if j.id == m.ID && j.stop() {
				s.reply(cancelledMsg(m.ID))
				return
			}
		}
		s.reply(errorMsg(m.ID, runspec.Errorf("id", "no run %q in flight", m.ID)))
		return
	}
	kind, ok := jobKinds[m.Type]
	if !ok {
		s.reply(errorMsg(m.ID, runspec.Errorf("type", "type must be %s or cancel, got %q", jobKindNames(), m.Type)))
		return
	}
	binary := true
	switch m.Encoding {
	case "", "binary":
	case "json":
		binary = false
	default:
		s.reply(errorMsg(m.ID, runspec.Errorf("encoding", "encoding must be binary or json, got %q", m.Encoding)))
		return
	}
	if len(m.Spec) == 0 {
		s.reply(errorMsg(m.ID, runspec.Errorf("spec", "spec is required")))
		return
	}
	if old := s.jobs[m.Type]; old.stop() {
		s.reply(cancelledMsg(old.id))
	}
	s.jobs[m.Type] = s.start(kind, m.ID, m.Spec, binary)
}

// jobFunc computes one job of a kind and streams its messages with
// s.enqueue; it returns when done or when ctx is cancelled (then silently:
// the canceller answers).
type jobFunc func(s *session, ctx context.Context, j *job, spec json.RawMessage, binary bool)

// jobKinds maps a client message type to the job it starts. A connection
// has at most one job of each kind in flight: a new request of a kind
// cancels that kind's job; kinds are independent of each other, so a
// basin map computes while the slider drags runs.
var jobKinds = map[string]jobFunc{
	"run":           (*session).runJob,
	"sweep":         (*session).sweepJobWS,        // sweeps.go
	"basin":         (*session).basinJobWS,        // basins.go
	"inspect":       (*session).inspectJobWS,      // inspect.go
	"train":         (*session).trainJobWS,        // train.go
	"train_inspect": (*session).trainInspectJobWS, // traininspect.go
	"train_sweep":   (*session).trainSweepJobWS,   // traintools.go
	"train_basin":   (*session).trainBasinJobWS,
}

func jobKindNames() string {
	names := make([]string, 0, len(jobKinds))
	for k := range jobKinds {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// messageFields are the members of a client message.
var messageFields = []string{"type", "id", "spec", "encoding"}

// decodeMessage reads a client message with the spec's scanner: unknown,
// duplicate and mistyped members are errors naming the member, and the id
// is filled in whenever it could be read, so that the error names the
// request it answers.
func decodeMessage(data []byte) (clientMsg, error) {
	var m clientMsg
	if !json.Valid(data) {
		return m, runspec.SyntaxError(data)
	}
	ms, ok := runspec.ObjectMembers(data)
	if !ok {
		return m, runspec.Errorf("", "a message must be a JSON object")
	}
	for _, mb := range ms {
		if mb.Name == "id" && mb.Value[0] == '"' {
			m.ID = runspec.Unquote(mb.Value)
		}
	}
	for i, mb := range ms {
		for _, prev := range ms[:i] {
			if prev.Name == mb.Name {
				return m, runspec.Errorf(mb.Name, "duplicate field %q", mb.Name)
			}
		}
		var dst *string
		switch mb.Name {
		case "type":
			dst = &m.Type
		case "id":
			dst = &m.ID
		case "encoding":
			dst = &m.Encoding
		case "spec":
			m.Spec = mb.Value
			continue
		default:
			if sg := runspec.Suggest(mb.Name, messageFields); sg != "" {
				return m, runspec.Errorf(mb.Name, "unknown field %q (did you mean %s?)", mb.Name, sg)
			}
			return m, runspec.Errorf(mb.Name, "unknown field %q (a message has type, id, spec and encoding)", mb.Name)
		}
		if mb.Value[0] != '"' {
			return m, runspec.Errorf(mb.Name, "%s must be a string", mb.Name)
		}
		*dst = runspec.Unquote(mb.Value)
	}
	return m, nil
}

// start launches a job of one kind for one request.
func (s *session) start(kind jobFunc, id string, rawSpec json.RawMessage, binary bool) *job {
	ctx, cancel := context.WithCancel(s.ctx)
	j := &job{id: id, cancel: cancel, exited: make(chan struct{})}
	go func() {
		defer close(j.exited)
		defer cancel()
		kind(s, ctx, j, rawSpec, binary)
	}()
	return j
}

// runJob validates, computes and streams one run, then sends done (or
// error). A cancelled job just returns: its canceller answers.
func (s *session) runJob(ctx context.Context, j *job, rawSpec json.RawMessage, binary bool) {
	spec, err := runspec.Decode(rawSpec)
	if err != nil {
		s.enqueue(ctx, j, true, errorMsg(j.id, err))
		return
	}
	plan, err := s.h.resolver.Resolve(ctx, spec)
	if err != nil {
		if ctx.Err() == nil {
			s.enqueue(ctx, j, true, errorMsg(j.id, err))
		}
		return
	}
	// Batches are held back until flushBytes of them are encoded or the run
	// ends, and then queued together: the writer wakes once for a typical
	// slider-drag run instead of once per trajectory, which matters when
	// the machine is busy, and a session never holds more than flushBytes
	// of batches beyond its queue.
	var pending []outMsg
	pendingBytes := 0
	slot := &runSlot{h: s.h}
	flush := func() error {
		for k, m := range pending {
			if err := s.enqueueBatch(ctx, j, m, slot); err != nil {
				for _, rest := range pending[k+1:] {
					putMsg(rest.data)
				}
				pending = pending[:0]
				return err
			}
		}
		pending, pendingBytes = pending[:0], 0
		return nil
	}
	emit := func(i int, pts []optim.Point) error {
		for from := 0; from < len(pts); from += pointsBatch {
			batch := pts[from:min(from+pointsBatch, len(pts))]
			m, err := dataMsg(binary, j.id, i, from, batch, appendPointsFrame, appendPointsMessage)
			if err != nil {
				return err
			}
			pending = append(pending, m)
			if pendingBytes += len(*m.data); pendingBytes >= flushBytes {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return nil
	}
	rs, err := s.h.execute(ctx, plan, slot, false, emit)
	if err == nil {
		err = flush() // execute has given its run slot back
	}
	if ctx.Err() != nil {
		for _, m := range pending {
			putMsg(m.data)
		}
		return
	}
	if err != nil {
		s.h.log.Error("run failed", "id", j.id, "err", err)
		s.enqueue(ctx, j, true, errorMsg(j.id, err))
		return
	}
	s.enqueue(ctx, j, true, doneMsg(j.id, plan.Schedule, rs))
}

// enqueue hands a job's message to the writer, waiting while the queue is
// full (the writer's deadline bounds that wait) unless ctx ends first.
func (s *session) enqueue(ctx context.Context, j *job, final bool, m outMsg) error {
	m.job, m.final = j, final
	select {
	case s.send <- m:
		return nil
	case <-ctx.Done():
		putMsg(m.data)
		return ctx.Err()
	}
}

// enqueueBatch is enqueue for a batch of a run that may hold a run slot:
// if the queue is full it gives the slot up before blocking.
func (s *session) enqueueBatch(ctx context.Context, j *job, m outMsg, slot *runSlot) error {
	m.job = j
	select {
	case s.send <- m:
		return nil
	default:
	}
	slot.release()
	return s.enqueue(ctx, j, false, m)
}

// reply queues a message of the session itself (errors about a message,
// cancelled), waiting only while the session lives.
func (s *session) reply(m outMsg) {
	select {
	case s.send <- m:
	case <-s.ctx.Done():
		putMsg(m.data)
	}
}

// writeLoop writes queued messages and pings until the session ends or a
// write fails; a failed or late write (a client too slow to read) closes
// the connection, which ends the reader too.
func (s *session) writeLoop() {
	t := s.h.timing
	ping := time.NewTicker(t.pingPeriod)
	defer ping.Stop()
	for {
		select {
		case m := <-s.send:
			// Write m and whatever else is queued already as one burst.
			s.burst.begin()
			err := s.write(m)
			for more := true; more && err == nil; {
				select {
				case m = <-s.send:
					err = s.write(m)
				default:
					more = false
				}
			}
			if endErr := s.burst.end(); err == nil {
				err = endErr
			}
			if err != nil {
				s.fail()
				return
			}
		case <-ping.C:
			if err := s.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(t.writeWait)); err != nil {
				s.fail()
				return
			}
		case <-s.ctx.Done():
			for { // return the queued buffers
				select {
				case m := <-s.send:
					putMsg(m.data)
				default:
					return
				}
			}
		}
	}
}

// write writes one queued message unless it is no longer wanted.
func (s *session) write(m outMsg) error {
	defer putMsg(m.data)
	if !m.admit() {
		return nil
	}
	s.conn.SetWriteDeadline(time.Now().Add(s.h.timing.writeWait))
	return s.conn.WriteMessage(m.kind, *m.data)
}

// admit decides, at the moment of writing, whether m still goes out: not if
// its job was cancelled, and a final message only if it wins the race with
// a cancel.
func (m outMsg) admit() bool {
	switch {
	case m.job == nil:
		return true
	case m.final:
		return m.job.state.CompareAndSwap(jobRunning, jobFinished)
	}
	return m.job.state.Load() == jobRunning
}

// fail ends a session whose connection broke: closing it makes the reader's
// ReadMessage return.
func (s *session) fail() {
	s.cancel()
	s.conn.Close()
}

// goAway closes the session for a server shutdown with 1001 (going away);
// the client's close reply ends the reader.
func (s *session) goAway() {
	s.closeOnce.Do(func() { sendGoingAway(s.conn, s.h.timing.writeWait) })
}

// sendGoingAway writes the close frame of a server shutdown, 1001 (going
// away), waiting at most writeWait. Only WriteControl is safe alongside the
// session's writer.
func sendGoingAway(conn *websocket.Conn, writeWait time.Duration) {
	msg := websocket.FormatCloseMessage(websocket.CloseGoingAway, "server shutting down")
	conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait))
}

// Messages.

func textMsg(b *[]byte) outMsg { return outMsg{kind: websocket.TextMessage, data: b} }

// jobMsg starts a message about request id, {"type":typ,"id":id, in a
// pooled buffer; the caller appends its members, each after a comma, and
// the closing brace.
func jobMsg(typ, id string) *[]byte {
	b := newMsg()
	*b = append(*b, `{"type":"`...)
	*b = append(*b, typ...)
	*b = append(*b, `","id":`...)
	*b = runspec.AppendJSONString(*b, id)
	return b
}

// dataMsg encodes one batch of a job's data (a run's points, a basin map's
// row) in the encoding the client chose: frame writes the binary frame,
// text its JSON twin; both take the request id, two numbers that place the
// batch, and the batch. On failure the buffer goes back to the pool.
func dataMsg[T any](binary bool, id string, i, k int, data []T,
	frame, text func(b []byte, id string, i, k int, data []T) ([]byte, error)) (outMsg, error) {
	m := outMsg{kind: websocket.BinaryMessage, data: newMsg()}
	if !binary {
		m.kind, frame = websocket.TextMessage, text
	}
	var err error
	if *m.data, err = frame(*m.data, id, i, k, data); err != nil {
		putMsg(m.data)
		return outMsg{}, err
	}
	return m, nil
}

// errorMsg is {"type":"error","id"?,...the error object}; id is left out
// when the message that failed had none.
func errorMsg(id string, err error) outMsg {
	msg := struct {
		Type string `json:"type"`
		ID   text   `json:"id,omitempty"`
		errorJSON
	}{"error", text(id), newErrorJSON(err)}
	m, _ := jsonMsg(msg) // strings only: cannot fail
	return m
}

// jsonMsg is a text message of v written by encoding/json, for the
// messages that are not on a hot path.
func jsonMsg(v any) (outMsg, error) {
	enc, err := marshalJSON(v)
	if err != nil {
		return outMsg{}, err
	}
	b := newMsg()
	*b = append(*b, enc[:len(enc)-1]...) // a message is not a line
	return textMsg(b), nil
}

func cancelledMsg(id string) outMsg {
	b := jobMsg("cancelled", id)
	*b = append(*b, '}')
	return textMsg(b)
}

// doneMsg is {"type":"done","id":...,"outcomes":[...],"optimizers":[...]}
// (plus "schedule" when given): the outcomes in optimizer order, and the
// resolved hyperparameters so a client can show exactly what ran.
func doneMsg(id string, sched *runspec.Resolved, rs []runspec.Result) outMsg {
	b := jobMsg("done", id)
	*b = append(*b, `,"outcomes":[`...)
	for i := range rs {
		if i > 0 {
			*b = append(*b, ',')
		}
		var err error
		if *b, err = appendOutcomeJSON(*b, rs[i].Outcome); err != nil {
			putMsg(b)
			return errorMsg(id, err)
		}
	}
	*b = append(*b, `],"optimizers":[`...)
	for i := range rs {
		if i > 0 {
			*b = append(*b, ',')
		}
		*b = appendOptimizerJSON(*b, rs[i].Optimizer)
	}
	*b = append(*b, ']')
	if sched != nil {
		*b = append(*b, `,"schedule":`...)
		*b = appendOptimizerJSON(*b, sched)
	}
	*b = append(*b, '}')
	return textMsg(b)
}
