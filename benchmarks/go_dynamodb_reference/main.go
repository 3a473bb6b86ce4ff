// Command go_dynamodb_reference is the yardstick of benchmarks/dynamodb_paths.py: the two
// DynamoDB-bound hot paths of the examples written in Go, each doing per request the call the
// example makes (one strongly consistent GetItem through the AWS SDK for Go v2) and answering
// the same bytes: three-tier api's GET /items/{key} and shop-cart's GET /carts/{id}, with its
// ETag, If-None-Match and Cache-Control. Headers that every answer of the example carries
// (security headers) come from the config, as go_baseline copies them.
//
// Build in GOPATH mode against Debian's golang-github-aws-aws-sdk-go-v2-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o go_dynamodb_reference .
//
// Usage: go_dynamodb_reference <config.json>, where the file holds {"port": 8001,
// "endpoint": "http://127.0.0.1:8000", "table_items": "items", "table_carts": "carts",
// "headers": {"name": "value"}}.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

type config struct {
	Port       int               `json:"port"`
	Endpoint   string            `json:"endpoint"`
	TableItems string            `json:"table_items"`
	TableCarts string            `json:"table_carts"`
	Headers    map[string]string `json:"headers"`
}

// service holds the one DynamoDB client every request shares, as the examples do.
type service struct {
	config
	client *dynamodb.Client
}

func newClient(endpoint string) *dynamodb.Client {
	// As many idle connections as the examples' pool (64); Go's default keeps 2 per host.
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 64
		t.MaxIdleConnsPerHost = 64
	})
	return dynamodb.New(dynamodb.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		EndpointResolver: dynamodb.EndpointResolverFromURL(endpoint),
		HTTPClient:       httpClient,
	})
}

func (s *service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	for name, value := range s.Headers {
		w.Header().Set(name, value)
	}
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/items/"):
		s.getItem(w, r, strings.TrimPrefix(r.URL.Path, "/items/"))
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/carts/"):
		s.getCart(w, r, strings.TrimPrefix(r.URL.Path, "/carts/"))
	default:
		reply(w, http.StatusNotFound, map[string]string{"error": "Not Found"})
	}
}

// reply writes value as compact JSON, without HTML escaping (as orjson writes it).
func reply(w http.ResponseWriter, status int, value any) {
	var body strings.Builder
	encoder := json.NewEncoder(&body)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(value); err != nil {
		status, value = http.StatusInternalServerError, nil
	}
	text := strings.TrimSuffix(body.String(), "\n")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(text)))
	w.WriteHeader(status)
	w.Write([]byte(text))
}

func storageUnavailable(w http.ResponseWriter, err error) {
	log.Printf("DynamoDB call failed: %v", err)
	reply(w, http.StatusServiceUnavailable, map[string]string{
		"error": "storage_unavailable", "detail": "the store is unavailable; retry later",
	})
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go_dynamodb_reference <config.json>")
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var c config
	if err := json.Unmarshal(data, &c); err != nil {
		log.Fatal(err)
	}
	s := &service{config: c, client: newClient(c.Endpoint)}
	// Listen before serving so that an open port means ready.
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", c.Port))
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(listener, s))
}
