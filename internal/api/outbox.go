package api

import "context"

// outbox hands a many-run job's messages to the writer without ever
// blocking while the job holds server slots, so a client that reads slowly
// keeps no other client's map or sweep waiting (the rule execute follows
// for trajectories). Messages the send queue cannot take at once wait here
// in order and go out as room appears, the rest by flush after the job has
// released its slots. What waits is at most one map's rows (1.6 MB binary
// at 256², about the engine's own cell array) and lives no longer than the
// writer's deadline lets a stalled client stay.
type outbox struct {
	s       *session
	ctx     context.Context
	j       *job
	pending []outMsg
}

// put queues m after everything pending, without blocking.
func (o *outbox) put(m outMsg) {
	m.job = o.j
	o.pending = append(o.pending, m)
	for len(o.pending) > 0 {
		select {
		case o.s.send <- o.pending[0]:
			o.pending[0] = outMsg{}
			o.pending = o.pending[1:]
		default:
			return
		}
	}
}

// finish ends the job's streaming once it has released its slots: after
// a failure (err) it drops what is pending and returns err; else it sends
// what is pending, waiting for the writer until the job's context ends.
func (o *outbox) finish(err error) error {
	for i, m := range o.pending {
		if err == nil {
			err = o.s.enqueue(o.ctx, o.j, false, m) // returns m's buffer on failure
		} else {
			putMsg(m.data)
		}
		o.pending[i] = outMsg{}
	}
	o.pending = nil
	return err
}
