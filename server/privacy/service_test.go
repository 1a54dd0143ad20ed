package privacy

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store/storetest"
)

// people is a small directory with an account service beside it.
type people struct {
	mu          sync.Mutex
	users       map[string]identity.User
	deactivated int
}

func (p *people) Get(id string) (identity.User, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	u, ok := p.users[id]
	return u, ok
}

func (p *people) Deactivate(_ context.Context, _ *identity.Actor, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[id]
	u.Active = false
	p.users[id] = u
	p.deactivated++
	return nil
}

func (p *people) Anonymise(_ context.Context, id, pseudonym string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	u := p.users[id]
	u.Name, u.Email = pseudonym, ""
	p.users[id] = u
	return nil
}

var (
	admin  = &identity.Actor{UserID: "uadmin", Roles: []identity.Role{identity.RoleBeheerder}}
	worker = &identity.Actor{UserID: "uworker", Roles: []identity.Role{identity.RoleZorgmedewerker}}
)

// TestErasureFinishesAfterAFaultHalfWay: a fault in the middle of an
// erasure (one domain's store write fails) stops it with the steps before
// recorded; the next run — by the administrator or by the background
// Resume — does only what is left, and the stored names end up replaced.
func TestErasureFinishesAfterAFaultHalfWay(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	db := st.DB
	// Two domains keep copies of names: posts (plain documents) and a
	// second one whose first write fails.
	posts := db.Collection("posts")
	if _, err := posts.InsertMany(ctx, []any{
		bson.D{{Key: "_id", Value: "p1"}, {Key: "author", Value: bson.D{{Key: "id", Value: "uleaver"}, {Key: "name", Value: "Lotte Leaver"}}}, {Key: "body", Value: "Mijn post"}},
		bson.D{{Key: "_id", Value: "p2"}, {Key: "author", Value: bson.D{{Key: "id", Value: "ustays"}, {Key: "name", Value: "Sam Stays"}}}, {Key: "body", Value: "Succes!"}},
	}); err != nil {
		t.Fatal(err)
	}
	holder, names := Places(db, Place{Collection: "posts", Fields: []string{"author.id"}, Names: map[string]string{"author.id": "author.name"}})
	var faulty struct {
		sync.Mutex
		calls int
	}
	flaky := PseudonymiserFunc(func(ctx context.Context, userID, pseudonym string) error {
		faulty.Lock()
		defer faulty.Unlock()
		faulty.calls++
		if faulty.calls == 1 {
			return errors.New("injected fault: the store went away")
		}
		return nil
	})
	dir := &people{users: map[string]identity.User{
		"uleaver": {ID: "uleaver", Name: "Lotte Leaver", Email: "lotte@example.nl", Active: true},
		"ustays":  {ID: "ustays", Name: "Sam Stays", Active: true},
		"uadmin":  {ID: "uadmin", Name: "Ada Admin", Active: true},
	}}
	domains := []Domain{
		{Name: "posts", Collections: []string{"posts"}, Holder: holder, Pseudonymiser: names},
		{Name: "flaky", Pseudonymiser: flaky},
	}
	svc := NewService(st, dir, dir, domains, Options{})

	// Refusals store nothing.
	if _, err := svc.Erase(ctx, worker, "uleaver", "Lotte Leaver"); !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("a care worker erases: %v", err)
	}
	var ve *apperr.ValidationError
	if _, err := svc.Erase(ctx, admin, "uleaver", "Lotte"); !errors.As(err, &ve) || ve.Fields[0].Code != "erase_name_mismatch" {
		t.Fatalf("wrong name: %v", err)
	}
	if n, _ := db.Collection(jobsColl).CountDocuments(ctx, bson.D{}); n != 0 {
		t.Fatalf("refusals stored %d jobs", n)
	}

	// The first run stops at the flaky domain, with the steps before it done.
	if _, err := svc.Erase(ctx, admin, "uleaver", "Lotte Leaver"); err == nil || !strings.Contains(err.Error(), "injected fault") {
		t.Fatalf("first run: %v", err)
	}
	job, err := svc.Job(ctx, admin, "uleaver")
	if err != nil || job.Done() || !slices.Equal(job.Steps, []string{StepAccount, "domain:posts"}) {
		t.Fatalf("after the fault: %+v %v", job, err)
	}
	var p struct{ Author struct{ Name string } }
	_ = posts.FindOne(ctx, bson.D{{Key: "_id", Value: "p1"}}).Decode(&p)
	if p.Author.Name != Pseudonym("uleaver") {
		t.Errorf("the step before the fault did not hold: %q", p.Author.Name)
	}
	if u, _ := dir.Get("uleaver"); u.Active || u.Name != "Lotte Leaver" {
		t.Errorf("after the fault: %+v (deactivated, profile not yet replaced)", u)
	}

	// The background loop finishes it: only the steps left run.
	if n, err := svc.Resume(ctx); err != nil || n != 1 {
		t.Fatalf("resume: %d %v", n, err)
	}
	job, _ = svc.Job(ctx, admin, "uleaver")
	if !job.Done() || !slices.Equal(job.Steps, svc.Steps()) || dir.deactivated != 1 || faulty.calls != 2 {
		t.Fatalf("after resume: %+v, deactivated %d times, flaky called %d times", job, dir.deactivated, faulty.calls)
	}
	if u, _ := dir.Get("uleaver"); u.Name != Pseudonym("uleaver") || u.Email != "" {
		t.Errorf("profile: %+v", u)
	}
	var other struct{ Author struct{ Name string } }
	_ = posts.FindOne(ctx, bson.D{{Key: "_id", Value: "p2"}}).Decode(&other)
	if other.Author.Name != "Sam Stays" {
		t.Errorf("another person's post changed: %q", other.Author.Name)
	}
	if n, _ := posts.CountDocuments(ctx, bson.D{}); n != 2 {
		t.Errorf("%d posts left, want both", n)
	}
	// Nothing left to resume; an administrator's re-run (confirming with
	// the pseudonym now) changes nothing.
	if n, err := svc.Resume(ctx); err != nil || n != 0 {
		t.Errorf("second resume: %d %v", n, err)
	}
	again, err := svc.Erase(ctx, admin, "uleaver", Pseudonym("uleaver"))
	if err != nil || !again.FinishedAt.Equal(job.FinishedAt) || faulty.calls != 2 {
		t.Errorf("re-run: %+v %v (flaky called %d times)", again, err, faulty.calls)
	}
}

func TestPseudonymIsStable(t *testing.T) {
	a, b := Pseudonym("u1"), Pseudonym("u2")
	if a != Pseudonym("u1") || a == b || !strings.HasPrefix(a, "Oud-medewerker ") || len(a) != len("Oud-medewerker 4F2A") {
		t.Errorf("%q %q", a, b)
	}
}

func TestExportRefusesOthers(t *testing.T) {
	dir := &people{users: map[string]identity.User{"uworker": {ID: "uworker", Name: "W"}, "uother": {ID: "uother", Name: "O"}}}
	svc := NewService(storetest.New(t), dir, dir, []Domain{{Name: "x", Holder: HolderFunc(func(context.Context, string) (any, error) { return 1, nil })}},
		Options{Now: func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if _, err := svc.Export(context.Background(), worker, "uother"); !errors.Is(err, apperr.ErrForbidden) {
		t.Errorf("export of another: %v", err)
	}
	x, err := svc.Export(context.Background(), worker, "uworker")
	if err != nil || x.Sections["x"] != 1 || x.Subject.Name != "W" {
		t.Errorf("own export: %+v %v", x, err)
	}
}

// TestPlaceFilters: ids never change a field path; map keys and id
// suffixes match as declared.
func TestPlaceFilters(t *testing.T) {
	if _, err := (Place{Fields: []string{"attendance.{user}"}}).filter("u1.$x"); err == nil {
		t.Error("an id with a dot and a dollar made a filter")
	}
	f, err := (Place{Fields: []string{"a", "attendance.{user}", "_id=*:{user}"}}).filter("u1")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := bson.MarshalExtJSON(f, false, false)
	want := `{"$or":[{"a":"u1"},{"attendance.u1":{"$exists":true}},{"_id":{"$regex":":u1$"}}]}`
	if string(got) != want {
		t.Errorf("filter %s, want %s", got, want)
	}
}
