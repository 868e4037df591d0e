// Command torchsample is a small, real workload whose profiles are torch's
// Go samples. Every feature a pprof reader must handle shows up in them:
// recursion, goroutines, pointer-receiver methods, closures, inlined frames,
// allocation, channel blocking, mutex contention and pprof labels.
//
// Usage: go run . -out DIR   (writes cpu.pprof, heap.pprof, ... into DIR)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"
)

// cpuBudget is how long each busy goroutine works: two of them keep two
// cores busy for long enough to collect a few hundred CPU samples.
const cpuBudget = 1500 * time.Millisecond

func main() {
	outDir := flag.String("out", ".", "directory to write the .pprof files into")
	flag.Parse()

	// Sample every allocation site often enough for a readable heap profile,
	// and record every blocking event and every contended lock.
	runtime.MemProfileRate = 4096
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)

	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		log.Fatal(err)
	}
	stopCPU := startCPUProfile(filepath.Join(*outDir, "cpu.pprof"))
	parked := parkGoroutines(3)
	server := &Server{hits: make(map[string]int)}
	fmt.Println("checksum:", work(cpuBudget, server))
	stopCPU()

	runtime.GC() // so the heap profile reflects the work just done
	for _, name := range []string{"heap", "allocs", "block", "mutex", "goroutine", "threadcreate"} {
		writeProfile(name, filepath.Join(*outDir, name+".pprof"))
	}
	close(parked)
	runtime.KeepAlive(server) // its log is the heap profile's in-use memory
}

func startCPUProfile(path string) (stop func()) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		closeOrDie(f)
	}
}

// writeProfile writes a named runtime profile; debug=0 is gzipped protobuf.
func writeProfile(name, path string) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		log.Fatal(err)
	}
	closeOrDie(f)
}

func closeOrDie(f *os.File) {
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// parkGoroutines leaves n goroutines waiting on a channel so that the
// goroutine profile has more than main's own stack in it.
func parkGoroutines(n int) chan struct{} {
	release := make(chan struct{})
	for i := 0; i < n; i++ {
		go func() { <-release }()
	}
	return release
}

// work runs the two CPU-bound workers side by side (one under a pprof label),
// plus the request serving that allocates, contends and blocks.
func work(budget time.Duration, server *Server) uint64 {
	var wg sync.WaitGroup
	var hashed, walked uint64
	wg.Add(2)
	go func() {
		defer wg.Done()
		pprof.Do(context.Background(), pprof.Labels("phase", "hash"), func(context.Context) {
			hashed = hashUntil(time.Now().Add(budget))
		})
	}()
	go func() {
		defer wg.Done()
		walked = recurseUntil(time.Now().Add(budget))
	}()
	serveRequests(server, 4, 2000)
	wg.Wait()
	return hashed ^ walked ^ uint64(len(server.hits))
}

// hashUntil spins mix (and through it rotl), both small enough to be inlined,
// so CPU samples land on locations with several inlined lines.
func hashUntil(deadline time.Time) uint64 {
	h := uint64(1)
	for time.Now().Before(deadline) {
		for i := uint64(0); i < 100_000; i++ {
			h = mix(h + i)
		}
	}
	return h
}

func mix(x uint64) uint64 {
	return rotl(x*0x9E3779B97F4A7C15, 31) ^ x
}

func rotl(x uint64, k uint) uint64 {
	return x<<k | x>>(64-k)
}

// recurseUntil alternates two kinds of recursion: a numeric one (fib) and a
// pointer-receiver method walking a tree.
func recurseUntil(deadline time.Time) uint64 {
	tree := buildTree(12)
	var total uint64
	for time.Now().Before(deadline) {
		total += uint64(fib(22)) + tree.sum()
	}
	return total
}

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

type node struct {
	left, right *node
	value       uint64
}

func buildTree(depth int) *node {
	if depth == 0 {
		return nil
	}
	return &node{left: buildTree(depth - 1), right: buildTree(depth - 1), value: uint64(depth)}
}

func (n *node) sum() uint64 {
	if n == nil {
		return 0
	}
	return n.value + n.left.sum() + n.right.sum()
}

// Server counts hits per path behind one mutex that all handlers share,
// which is where the mutex profile's contention comes from.
type Server struct {
	mu   sync.Mutex
	hits map[string]int
	log  []string
}

// serveRequests feeds requests through an unbuffered channel to a few
// handler goroutines: senders block on the channel, handlers on the mutex.
func serveRequests(s *Server, handlers, requests int) {
	queue := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < handlers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for req := range queue {
				s.handle(req)
			}
		}()
	}
	for i := 0; i < requests; i++ {
		queue <- "/item/" + strconv.Itoa(i%97)
	}
	close(queue)
	wg.Wait()
}

func (s *Server) handle(path string) {
	body := render(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[path]++
	s.log = append(s.log, body)
	time.Sleep(20 * time.Microsecond) // hold the lock so other handlers wait
}

// render allocates a response body, for the heap and allocs profiles.
func render(path string) string {
	parts := make([]string, 0, 64)
	for i := 0; i < 64; i++ {
		parts = append(parts, path+"#"+strconv.Itoa(i))
	}
	return strings.Join(parts, ",")
}
