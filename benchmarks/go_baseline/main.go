// Command go_baseline is the yardstick of benchmarks/examples.py: Go's net/http answering every
// request with fixed bytes captured from an example's hot path (same body, same content type and
// other fixed headers), one port per hot path. When a hot path answers with one of several bodies
// (the 8-ball), each request gets one of them at random, as the example does.
//
// Usage: go_baseline <config.json>, where the file holds
// [{"port": 8001, "content_type": "...", "headers": {"name": "value"}, "bodies": ["<base64>"]}].
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math/rand"
	"net"
	"net/http"
	"os"
	"strconv"
)

type target struct {
	Port        int               `json:"port"`
	ContentType string            `json:"content_type"`
	Headers     map[string]string `json:"headers"`
	Bodies      [][]byte          `json:"bodies"`
}

// handler answers any path and method with the target's status 200 response.
func (t target) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		body := t.Bodies[0]
		if len(t.Bodies) > 1 {
			body = t.Bodies[rand.Intn(len(t.Bodies))]
		}
		header := w.Header()
		for name, value := range t.Headers {
			header.Set(name, value)
		}
		header.Set("Content-Type", t.ContentType)
		header.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

func readTargets(path string) ([]target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var targets []target
	if err := json.Unmarshal(data, &targets); err != nil {
		return nil, err
	}
	for _, t := range targets {
		if len(t.Bodies) == 0 {
			return nil, fmt.Errorf("port %d: no bodies", t.Port)
		}
	}
	return targets, nil
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go_baseline <config.json>")
	}
	targets, err := readTargets(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	errors := make(chan error)
	for _, t := range targets {
		// Listen before serving so that an open port means ready.
		listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", t.Port))
		if err != nil {
			log.Fatal(err)
		}
		go func(t target, listener net.Listener) {
			errors <- http.Serve(listener, t.handler())
		}(t, listener)
	}
	log.Fatal(<-errors)
}
