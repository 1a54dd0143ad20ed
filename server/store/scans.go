package store

import (
	"context"
	"maps"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
)

// Scans counts the commands the embedded engine answers by reading a whole
// collection: every find, count, distinct, aggregate, update, delete and
// findAndModify whose filter is not exactly {_id: <value>} (the one filter
// FerretDB's SQLite backend pushes down, through idindex.go's index). On
// MongoDB the same commands may well use a secondary index; the count is
// still the honest measure of what the embedded store would scan.
//
// It is always on (a map update a command) and exported to Prometheus as
// plein_store_scans_total{collection,command,origin}, so an operator sees which
// collection is read whole, and tests can assert that growing collections
// are never scanned on a request path (docs/architecture.md, "The store").
type Scans struct {
	mu        sync.Mutex
	counts    map[ScanKey]int64
	inRequest func(context.Context) bool
}

// ScanKey names one kind of scan.
type ScanKey struct {
	Collection string
	Command    string
	// Request: the command ran on an HTTP request's context (see
	// SetRequestTest), not in start-up or background work.
	Request bool
	// Rare: the context was marked by Rare — an operation a person asks
	// for a few times a year (a personal-data export, an erasure), which
	// reads whole collections by design and is rate-limited.
	Rare bool
}

type rareKey struct{}

// Rare marks ctx as a rare, deliberate operation whose scans are counted
// apart (origin "rare"), not as the request path's. Use it only for
// operations that are rate-limited and that no page load triggers.
func Rare(ctx context.Context) context.Context { return context.WithValue(ctx, rareKey{}, true) }

func isRare(ctx context.Context) bool { v, _ := ctx.Value(rareKey{}).(bool); return v }

// SetRequestTest tells scans made for an HTTP request from the rest; the
// app passes "the context carries a request id". Call it before serving.
func (s *Scans) SetRequestTest(f func(context.Context) bool) {
	s.mu.Lock()
	s.inRequest = f
	s.mu.Unlock()
}

func newScans() *Scans { return &Scans{counts: map[ScanKey]int64{}} }

// Snapshot returns the counts so far.
func (s *Scans) Snapshot() map[ScanKey]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.counts)
}

// monitor is the driver hook that classifies each command as it starts.
func (s *Scans) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{Started: func(ctx context.Context, e *event.CommandStartedEvent) {
		coll, ok := scanOf(e.CommandName, e.Command)
		if !ok {
			return
		}
		s.mu.Lock()
		req := s.inRequest != nil && s.inRequest(ctx)
		s.counts[ScanKey{coll, e.CommandName, req, isRare(ctx)}]++
		s.mu.Unlock()
	}}
}

// scanOf reports whether a command reads its whole collection on the
// embedded engine, and which collection.
func scanOf(name string, cmd bson.Raw) (string, bool) {
	collVal, err := cmd.LookupErr(name)
	if err != nil {
		return "", false
	}
	coll, ok := collVal.StringValueOK()
	if !ok {
		return "", false // e.g. aggregate: 1 on the database
	}
	switch name {
	case "find":
		return coll, !isIDFilter(cmd.Lookup("filter"))
	case "count", "distinct":
		return coll, !isIDFilter(cmd.Lookup("query"))
	case "findAndModify":
		return coll, !isIDFilter(cmd.Lookup("query"))
	case "aggregate":
		return coll, true // FerretDB pushes no pipeline stage down
	case "update", "delete":
		field := "updates"
		if name == "delete" {
			field = "deletes"
		}
		arr, ok := cmd.Lookup(field).ArrayOK()
		if !ok {
			return coll, true
		}
		vals, err := arr.Values()
		if err != nil {
			return coll, true
		}
		for _, v := range vals {
			d, ok := v.DocumentOK()
			if !ok || !isIDFilter(d.Lookup("q")) {
				return coll, true
			}
		}
		return coll, false
	}
	return "", false
}

// isIDFilter: exactly {_id: v} with v not an operator document.
func isIDFilter(v bson.RawValue) bool {
	d, ok := v.DocumentOK()
	if !ok {
		return false
	}
	elems, err := d.Elements()
	if err != nil || len(elems) != 1 || elems[0].Key() != "_id" {
		return false
	}
	t := elems[0].Value().Type
	return t != bson.TypeEmbeddedDocument && t != bson.TypeArray && t != bson.TypeRegex
}

var scansDesc = prometheus.NewDesc("plein_store_scans_total",
	"Store commands that read a whole collection on the embedded engine (any filter but {_id: value}).",
	[]string{"collection", "command", "origin"}, nil)

// Describe implements prometheus.Collector.
func (s *Scans) Describe(ch chan<- *prometheus.Desc) { ch <- scansDesc }

// Collect implements prometheus.Collector.
func (s *Scans) Collect(ch chan<- prometheus.Metric) {
	for k, n := range s.Snapshot() {
		origin := "background"
		switch {
		case k.Rare:
			origin = "rare"
		case k.Request:
			origin = "request"
		}
		ch <- prometheus.MustNewConstMetric(scansDesc, prometheus.CounterValue, float64(n), k.Collection, k.Command, origin)
	}
}
