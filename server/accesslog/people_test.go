package accesslog

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/plein/plein/server/store/storetest"
)

// TestExportReadsOnlyTheDaysThatNameThePerson (issue 16): with the day
// index, a person's export reads the day collections whose index names
// them (by them or about them), not every day kept; days from before the
// index existed are still read; the retention sweep drops a day's index
// with the day.
func TestExportReadsOnlyTheDaysThatNameThePerson(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	l := New(st)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	add := func(at time.Time, user, subject string) {
		t.Helper()
		if err := l.Append(ctx, Entry{At: at, UserID: user, Action: "read", Subject: subject}); err != nil {
			t.Fatal(err)
		}
	}
	add(day(1), "u-ann", "team:x members") // the index starts the next day: day 1 is read whole
	add(day(2), "u-bob", "team:x members") // Ann is not named: not read
	add(day(3), "u-bob", "user:u-ann personal data")
	add(day(4), "u-ann", "team:y members")
	add(day(5), "u-bob", "team:z members") // not read

	before := st.Scans.Snapshot()
	x, err := l.PersonalData(ctx, "u-ann")
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	for k, n := range st.Scans.Snapshot() {
		if n != before[k] && strings.HasPrefix(k.Collection, dayPrefix) {
			read[strings.TrimPrefix(k.Collection, dayPrefix)] = true
		}
	}
	for d, want := range map[string]bool{"20261101": true, "20261102": false, "20261103": true, "20261104": true, "20261105": false} {
		if read[d] != want {
			t.Errorf("day %s read: %v, want %v (read %v)", d, read[d], want, read)
		}
	}
	b, _ := json.Marshal(x)
	if got := string(b); strings.Count(got, `"UserID":"u-ann"`) != 2 || !strings.Contains(got, "user:u-ann personal data") {
		t.Errorf("export: %s", got)
	}

	// Retention drops days 1–2 and their index; Ann's day 3 stays found.
	if n, err := l.Sweep(ctx, day(3).Truncate(24*time.Hour)); err != nil || n != 2 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	if ok, err := l.namesOn(ctx, "u-bob", "20261102"); err != nil || ok {
		t.Errorf("index of a dropped day: %v %v", ok, err)
	}
	if ok, err := l.namesOn(ctx, "u-ann", "20261103"); err != nil || !ok {
		t.Errorf("index of a kept day: %v %v", ok, err)
	}
}
