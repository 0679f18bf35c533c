package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync/atomic"

	"github.com/basin-dev/basin/internal/api"
	"github.com/gorilla/websocket"
)

// serve is the child process: Basin and the baseline on two loopback
// ports, plus /debug/mem on Basin's, until stdin closes. Running the
// servers in their own process keeps the clients' memory out of the
// per-connection figure.
func serve(profile string) error {
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	basin := api.NewHandler(api.Config{
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxConns: 100_000, MaxConnsPerClient: 100_000, // every client is 127.0.0.1
	})
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/mem", memStats)
	mux.Handle("/", basin)
	bl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := &baseline{}
	ll, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go http.Serve(bl, mux)
	go http.Serve(ll, base)
	fmt.Printf("%s %s\n", bl.Addr(), ll.Addr())
	io.Copy(io.Discard, os.Stdin) // the parent closes stdin when done
	return nil
}

// memStats answers the Go memory the process holds after a GC: heap in use
// plus goroutine stacks, in bytes.
func memStats(w http.ResponseWriter, r *http.Request) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Fprintf(w, "%d %d\n", m.HeapInuse+m.StackInuse, runtime.NumGoroutine())
}

// baseline is the minimal gorilla/websocket server of the comparison: for
// each request it computes the same five trajectories with handRun and
// answers one precomputed binary message as large as Basin's whole answer.
type baseline struct {
	reply atomic.Pointer[[]byte]
}

var upgrader = websocket.Upgrader{}

func (b *baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if n := r.URL.Query().Get("size"); n != "" { // set by the parent
		size, _ := strconv.Atoi(n)
		msg := make([]byte, size)
		b.reply.Store(&msg)
		return
	}
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	buf := make([]float64, 0, 3*(benchSteps+1))
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			return
		}
		var req struct {
			Spec struct {
				LR    float64    `json:"lr"`
				Start [2]float64 `json:"start"`
			} `json:"spec"`
		}
		json.Unmarshal(data, &req)
		for k := range benchOptimizers {
			buf = handRun(k, req.Spec.LR, req.Spec.Start[0], req.Spec.Start[1], buf)
		}
		if err := c.WriteMessage(websocket.BinaryMessage, *b.reply.Load()); err != nil {
			return
		}
	}
}
