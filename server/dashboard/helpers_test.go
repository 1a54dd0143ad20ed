package dashboard

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/storetest"
)

// fakeOrg is an organisation in memory.
type fakeOrg struct {
	regions []org.RegionSummary
	teams   []org.TeamSummary
	gen     uint64 // bump after changing regions or teams
}

func (f *fakeOrg) ListRegions(*identity.Actor) ([]org.RegionSummary, error) { return f.regions, nil }
func (f *fakeOrg) ListTeams(*identity.Actor, string) ([]org.TeamSummary, error) {
	return f.teams, nil
}
func (f *fakeOrg) TeamIDsOf(string) []string { return nil }
func (f *fakeOrg) Generation() uint64        { return f.gen }

// seedOrg is the demo organisation's 54 teams.
func seedOrg() *fakeOrg {
	f := &fakeOrg{}
	for _, r := range orgdata.Regions() {
		f.regions = append(f.regions, org.RegionSummary{ID: r.ID, Name: r.Name})
	}
	for _, t := range orgdata.Teams() {
		f.teams = append(f.teams, org.TeamSummary{ID: t.ID, Name: t.Name, RegionID: t.RegionID})
	}
	return f
}

// testNow is the tests' clock: November 2026, so 2026-11 is the current month.
var testNow = time.Date(2026, 11, 15, 9, 0, 0, 0, time.UTC)

var (
	support   = &identity.Actor{UserID: "u-ilse", Name: "Ilse Dekker", Roles: []identity.Role{identity.RoleOndersteunendeDienst}}
	admin     = &identity.Actor{UserID: "u-yvonne", Name: "Yvonne Kramer", Roles: []identity.Role{identity.RoleBeheerder}}
	carer     = &identity.Actor{UserID: "u-anouk", Name: "Anouk de Vries", Roles: []identity.Role{identity.RoleZorgmedewerker}}
	coach     = &identity.Actor{UserID: "u-peter", Name: "Peter Smit", Roles: []identity.Role{identity.RoleTeamcoach}}
	regionMgr = &identity.Actor{UserID: "u-johan", Name: "Johan Mulder", Roles: []identity.Role{identity.RoleRegiomanager}}
)

func newTestService(t testing.TB, o Org) (*Service, *store.Store) {
	t.Helper()
	st := storetest.New(t)
	svc, err := NewService(context.Background(), st, o, Options{Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return svc, st
}

// storedCounts counts the documents of the dashboard collections.
func storedCounts(t testing.TB, st *store.Store) (figures, imports int64) {
	t.Helper()
	ctx := context.Background()
	f, err := st.DB.Collection(figuresColl).CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	i, err := st.DB.Collection(importsColl).CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	return f, i
}

func mustImport(t testing.TB, svc *Service, name, csv string) *CommitResult {
	t.Helper()
	res, err := svc.ImportFile(context.Background(), support, Upload{FileName: name, Data: []byte(csv)})
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return res
}

func val2(p *float64) float64 {
	if p == nil {
		return -999
	}
	return *p
}
