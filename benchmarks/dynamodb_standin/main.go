// Command dynamodb_standin is the DynamoDB endpoint of benchmarks/dynamodb_paths.py: Go's
// net/http answering the DynamoDB JSON protocol from a fixed set of items, so that the backend
// is never what limits the services measured (moto serves ~300 GetItem/s; this, tens of
// thousands). Every answer is encoded once at start-up, with its X-Amz-Crc32 checksum, which
// botocore and the AWS SDK for Go v2 both verify.
//
// It answers GetItem (the item with the request's key, or {} when there is none), Query (every
// item of the table whose partition key equals the one :value in ExpressionAttributeValues) and
// PutItem ({}: nothing is stored, the items are fixed). Signatures are not checked.
//
// Usage: dynamodb_standin <config.json>, where the file holds
// {"port": 8000, "tables": {"items": {"keys": ["key"], "items": [{"key": {"S": "a"}, ...}]}}}.
package main

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"log"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
)

const target = "DynamoDB_20120810."

type attribute = map[string]json.RawMessage

type tableConfig struct {
	Keys  []string               `json:"keys"` // the partition key, then the sort key if any
	Items []map[string]attribute `json:"items"`
}

type config struct {
	Port   int                    `json:"port"`
	Tables map[string]tableConfig `json:"tables"`
}

// answer is a response body encoded once, with its checksum.
type answer struct {
	body []byte
	crc  string
}

func encoded(value any) answer {
	body, err := json.Marshal(value)
	if err != nil {
		log.Fatal(err)
	}
	return answer{body, strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10)}
}

type table struct {
	keys    []string
	items   map[string]answer // GetItem's answer by the item's key
	queries map[string]answer // Query's answer by partition key value
}

type standin struct {
	tables map[string]table
	empty  answer
}

// keyOf is the lookup key of an item or request key: each key attribute's type and value.
func keyOf(names []string, values map[string]attribute) (string, bool) {
	parts := make([]string, 0, len(names))
	for _, name := range names {
		value, ok := values[name]
		if !ok {
			return "", false
		}
		parts = append(parts, canonical(value))
	}
	return strings.Join(parts, "\x00"), true
}

// canonical is an attribute value as text that does not depend on its encoding's spacing.
func canonical(value attribute) string {
	types := make([]string, 0, len(value))
	for kind := range value {
		types = append(types, kind)
	}
	sort.Strings(types)
	var text strings.Builder
	for _, kind := range types {
		var decoded any
		json.Unmarshal(value[kind], &decoded)
		again, _ := json.Marshal(decoded)
		text.WriteString(kind + ":" + string(again))
	}
	return text.String()
}

func newStandin(c config) (*standin, error) {
	s := &standin{tables: map[string]table{}, empty: encoded(map[string]any{})}
	for name, tc := range c.Tables {
		if len(tc.Keys) == 0 {
			return nil, fmt.Errorf("table %s: no keys", name)
		}
		t := table{keys: tc.Keys, items: map[string]answer{}, queries: map[string]answer{}}
		partitions := map[string][]map[string]attribute{}
		for _, item := range tc.Items {
			key, ok := keyOf(tc.Keys, item)
			if !ok {
				return nil, fmt.Errorf("table %s: an item lacks a key attribute", name)
			}
			t.items[key] = encoded(map[string]any{"Item": item})
			partition := canonical(item[tc.Keys[0]])
			partitions[partition] = append(partitions[partition], item)
		}
		for partition, items := range partitions {
			t.queries[partition] = encoded(map[string]any{
				"Items": items, "Count": len(items), "ScannedCount": len(items),
			})
		}
		s.tables[name] = t
	}
	return s, nil
}

type request struct {
	TableName                 string               `json:"TableName"`
	Key                       map[string]attribute `json:"Key"`
	ExpressionAttributeValues map[string]attribute `json:"ExpressionAttributeValues"`
}

func (s *standin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	operation := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), target)
	var req request
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		s.fail(w, "SerializationException", err.Error())
		return
	}
	t, ok := s.tables[req.TableName]
	if !ok {
		s.fail(w, "ResourceNotFoundException", "Requested resource not found")
		return
	}
	switch operation {
	case "GetItem":
		key, _ := keyOf(t.keys, req.Key)
		s.reply(w, http.StatusOK, t.items[key])
	case "Query":
		s.reply(w, http.StatusOK, t.query(req.ExpressionAttributeValues))
	case "PutItem":
		s.reply(w, http.StatusOK, s.empty)
	default:
		s.fail(w, "UnknownOperationException", operation+" is not answered by the stand-in")
	}
}

// query answers the partition of the one value bound in the request (a "#k = :v" condition).
func (t table) query(values map[string]attribute) answer {
	for _, value := range values {
		if found, ok := t.queries[canonical(value)]; ok && len(values) == 1 {
			return found
		}
	}
	return encoded(map[string]any{"Items": []any{}, "Count": 0, "ScannedCount": 0})
}

func (s *standin) fail(w http.ResponseWriter, code, message string) {
	s.reply(w, http.StatusBadRequest, encoded(map[string]string{
		"__type":  "com.amazonaws.dynamodb.v20120810#" + code,
		"message": message,
	}))
}

func (s *standin) reply(w http.ResponseWriter, status int, a answer) {
	if a.body == nil { // GetItem of a key that is not there
		a = s.empty
	}
	header := w.Header()
	header["Content-Type"] = []string{"application/x-amz-json-1.0"}
	header["Content-Length"] = []string{strconv.Itoa(len(a.body))}
	header["X-Amz-Crc32"] = []string{a.crc}
	header["X-Amzn-Requestid"] = []string{"STANDIN0000000000000000000000000000000000000000000000"}
	w.WriteHeader(status)
	w.Write(a.body)
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: dynamodb_standin <config.json>")
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var c config
	if err := json.Unmarshal(data, &c); err != nil {
		log.Fatal(err)
	}
	s, err := newStandin(c)
	if err != nil {
		log.Fatal(err)
	}
	// Listen before serving so that an open port means ready.
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", c.Port))
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(listener, s))
}
