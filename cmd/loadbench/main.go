// Command loadbench measures Basin's websocket under load, side by side with
// a minimal gorilla/websocket baseline that computes the same trajectories
// with a hand-written loop and answers one message of the same size.
//
//	go run ./cmd/loadbench -clients 200,1000
//
// Each client sends run requests like a slider drag (5 optimizers x 1,000
// steps on Himmelblau, the learning rate moving a little each time), waits
// for the answer, pauses -think, and sends the next. Both servers keep N
// clients connected and take turns in short slices (-duration, -rounds
// each), so the shared machine's changing load hits both alike. It reports
// p50/p99 time from request to done (medians over the slices), throughput
// and errors per server and client count, and the server memory per idle
// connection. The servers run in a child process so the clients' memory is
// not counted. docs/BENCHMARKS.md has the figures.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	child := flag.Bool("serve", false, "run the servers (the child process)")
	clients := flag.String("clients", "200,1000", "comma-separated numbers of concurrent clients")
	duration := flag.Duration("duration", 2*time.Second, "length of one measuring slice")
	think := flag.Duration("think", 100*time.Millisecond, "pause between an answer and the next request")
	idle := flag.Int("idle", 1000, "idle connections for the memory figure")
	rounds := flag.Int("rounds", 15, "slices per server and client count")
	profile := flag.String("cpuprofile", "", "write the servers' CPU profile to this file")
	flag.Parse()
	if *child {
		if err := serve(*profile); err != nil {
			log.Fatal(err)
		}
		return
	}

	basin, base, stop := startServers(*profile)
	defer stop()

	size, maxDiff := calibrate(basin)
	if _, err := http.Get("http://" + base + "/?size=" + strconv.Itoa(size)); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("request: %d optimizers x %d steps; Basin's answer %d bytes (baseline sends one message of that size)\n",
		len(benchOptimizers), benchSteps, size)
	fmt.Printf("baseline arithmetic vs Basin's points: max |difference| %.3g\n\n", maxDiff)

	perConn := idleMemory(basin, *idle)
	fmt.Printf("server memory per idle connection (%d connections, Go heap+stacks after GC): %.1f KiB\n\n", *idle, perConn/1024)

	fmt.Printf("| clients | server | requests | req/s | p50 | p99 | p50 quartiles over slices | errors |\n|---|---|---|---|---|---|---|---|\n")
	for _, f := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			log.Fatalf("bad -clients %q", *clients)
		}
		// Both fleets stay connected; the servers take turns in short
		// slices, alternating which goes first, so that the machine's other
		// load (which swings widely on a shared machine) hits both alike.
		// The table gives the median over the slices of each slice's p50
		// and p99.
		fleets := [2]*fleet{dialFleet(basin, true, n), dialFleet(base, false, n)}
		var res [2][]loadResult
		for r := range *rounds {
			for j := range 2 {
				i := (j + r) % 2
				res[i] = append(res[i], fleets[i].run(*duration, *think, r*1000))
			}
		}
		var p50 [2]time.Duration
		for i, name := range []string{"basin", "baseline"} {
			var p50s, p99s []time.Duration
			reqs, errs := 0, fleets[i].dialErrors
			for _, r := range res[i] {
				p50s = append(p50s, r.quantile(0.5))
				p99s = append(p99s, r.quantile(0.99))
				reqs += len(r.latencies)
				errs += r.errors
			}
			p50[i] = median(p50s)
			fmt.Printf("| %d | %s | %d | %.0f | %s | %s | %s | %d |\n", n, name, reqs,
				float64(reqs)/(duration.Seconds()*float64(*rounds)), ms(p50[i]), ms(median(p99s)),
				spread(p50s), errs)
			fleets[i].close()
		}
		fmt.Printf("| %d | basin/baseline p50 | | | %.2fx | | | |\n", n, float64(p50[0])/float64(p50[1]))
		time.Sleep(500 * time.Millisecond) // let the servers release the connections
	}
}

// spread gives the quartiles of the slices' p50s.
func spread(d []time.Duration) string {
	s := slices.Clone(d)
	slices.Sort(s)
	return ms(s[len(s)/4]) + " – " + ms(s[len(s)*3/4])
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

// startServers runs this program with -serve and reads the two addresses.
func startServers(profile string) (basin, base string, stop func()) {
	exe, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(exe, "-serve", "-cpuprofile", profile)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		log.Fatal(err)
	}
	f := strings.Fields(line)
	return f[0], f[1], func() { in.Close(); cmd.Wait() }
}

// memory reads the child's Go memory in use and goroutine count.
func memory(basin string) (bytes, goroutines float64) {
	res, err := http.Get("http://" + basin + "/debug/mem")
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	f := strings.Fields(string(b))
	bytes, _ = strconv.ParseFloat(f[0], 64)
	goroutines, _ = strconv.ParseFloat(f[1], 64)
	return bytes, goroutines
}

// idleMemory opens n connections that send nothing and returns the growth
// of the server's memory per connection.
func idleMemory(basin string, n int) float64 {
	before, _ := memory(basin)
	conns := make([]io.Closer, 0, n)
	for range n {
		c, err := dialBasin(basin)
		if err != nil {
			log.Fatalf("idle connection %d: %v", len(conns), err)
		}
		conns = append(conns, c)
	}
	time.Sleep(500 * time.Millisecond)
	after, g := memory(basin)
	fmt.Printf("idle: %.0f goroutines in the server with %d connections\n", g, n)
	for _, c := range conns {
		c.Close()
	}
	time.Sleep(500 * time.Millisecond)
	return math.Max(0, after-before) / float64(n)
}
