//go:build race

package store

// raceEnabled: the race detector makes modernc's SQLite (transpiled C) about
// 50 times slower, so the 100,000-row plan test fills fewer rows under -race;
// `make test` also runs it without -race at full size.
const raceEnabled = true
