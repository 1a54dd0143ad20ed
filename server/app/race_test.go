//go:build race

package app_test

// boundScale stretches the freshness bound under the race detector, which
// makes the embedded store's SQLite (modernc, transpiled C) about 50 times
// slower (server/store/race_test.go): applying a change then takes longer
// than the bound itself. Without -race the bound is checked as stated.
const boundScale = 20
