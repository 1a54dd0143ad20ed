package privacy

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store"
)

// jobsColl holds one document per erasure, "erase:<user id>": the steps
// done so far, so that a run stopped half-way is finished by the next.
const jobsColl = "privacy_jobs"

// Users finds people.
type Users interface {
	Get(id string) (identity.User, bool)
}

// Accounts ends a person's access and replaces their profile.
type Accounts interface {
	// Deactivate ends every session and refuses later logins.
	Deactivate(ctx context.Context, actor *identity.Actor, userID string) error
	// Anonymise replaces the stored name by the pseudonym and clears the
	// other profile fields. Idempotent.
	Anonymise(ctx context.Context, userID, pseudonym string) error
}

// Options configure the service.
type Options struct {
	Logger    *slog.Logger
	Now       func() time.Time
	Retention []Rule
}

// Service exports and erases personal data and enforces retention.
type Service struct {
	users     Users
	accounts  Accounts
	domains   []Domain
	retention []Rule
	jobs      *mongo.Collection
	log       *slog.Logger
	now       func() time.Time
}

// NewService builds the service over the registered domains.
func NewService(st *store.Store, users Users, accounts Accounts, domains []Domain, o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{users: users, accounts: accounts, domains: domains, retention: o.Retention,
		jobs: st.DB.Collection(jobsColl), log: o.Logger, now: o.Now}
}

// Domains are the registered domains.
func (s *Service) Domains() []Domain { return slices.Clone(s.domains) }

// Collections are the collections the service itself keeps.
var Collections = []string{jobsColl}

// Export gathers everything held about userID. People export themselves;
// administrators export anyone (the caller logs that access).
func (s *Service) Export(ctx context.Context, actor *identity.Actor, userID string) (*Export, error) {
	if actor == nil {
		return nil, apperr.ErrUnauthenticated
	}
	if actor.UserID != userID && !actor.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators export other people's data")
	}
	u, ok := s.users.Get(userID)
	if !ok {
		return nil, apperr.NotFound("not_found", "user not found")
	}
	out := &Export{GeneratedAt: s.now().UTC(), Subject: Subject{ID: u.ID, Name: u.Name}, Sections: map[string]any{}}
	for _, d := range s.domains {
		if d.Holder == nil {
			continue
		}
		v, err := d.Holder.PersonalData(ctx, userID)
		if err != nil {
			return nil, fmt.Errorf("%w: export %s: %v", apperr.ErrUnavailable, d.Name, err)
		}
		out.Sections[d.Name] = v
	}
	return out, nil
}

// Job is an erasure: what has been done, and whether it is finished.
type Job struct {
	ID          string    `bson:"_id" json:"-"`
	UserID      string    `bson:"userId" json:"userId"`
	Pseudonym   string    `bson:"pseudonym" json:"pseudonym"`
	RequestedBy string    `bson:"requestedBy" json:"requestedBy"`
	StartedAt   time.Time `bson:"startedAt" json:"startedAt"`
	Steps       []string  `bson:"steps" json:"steps"` // done, in order
	FinishedAt  time.Time `bson:"finishedAt,omitempty" json:"finishedAt,omitzero"`
	Runs        int       `bson:"runs" json:"runs"`
}

// Done reports whether the job has finished.
func (j *Job) Done() bool { return !j.FinishedAt.IsZero() }

// Erasure steps, in the order they run.
const (
	StepAccount = "account" // sessions ended, account deactivated
	StepProfile = "profile" // name replaced, other profile fields cleared
)

// Steps are the erasure's steps in order: the account first (access ends
// at once), then each domain's stored names, the profile last.
func (s *Service) Steps() []string {
	out := []string{StepAccount}
	for _, d := range s.domains {
		if d.Pseudonymiser != nil {
			out = append(out, "domain:"+d.Name)
		}
	}
	return append(out, StepProfile)
}

// Erase deactivates a person and replaces their name everywhere by a
// stable pseudonym; their records (posts, messages, comments) stay, so
// other people's conversations stay whole. confirmName must be the
// person's current name (or the pseudonym, when a run stopped after the
// profile step). Each finished step is recorded in the job document before
// the next starts, and every step is idempotent: after a failure half-way,
// calling Erase again finishes the job.
func (s *Service) Erase(ctx context.Context, actor *identity.Actor, userID, confirmName string) (*Job, error) {
	if actor == nil {
		return nil, apperr.ErrUnauthenticated
	}
	if !actor.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators erase people's data")
	}
	u, ok := s.users.Get(userID)
	if !ok {
		return nil, apperr.NotFound("not_found", "user not found")
	}
	var v apperr.Validator
	v.Check(actor.UserID != userID, "userId", "not_yourself", "you cannot erase yourself")
	pseudonym := Pseudonym(userID)
	confirm := strings.TrimSpace(confirmName)
	v.Check(confirm != "" && (strings.EqualFold(confirm, strings.TrimSpace(u.Name)) || strings.EqualFold(confirm, pseudonym)),
		"confirmName", "erase_name_mismatch", "type the person's name to confirm")
	if err := v.Err(); err != nil {
		return nil, err
	}
	id := "erase:" + userID
	_, err := s.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
		{Key: "$setOnInsert", Value: bson.D{{Key: "userId", Value: userID}, {Key: "pseudonym", Value: pseudonym},
			{Key: "requestedBy", Value: actor.UserID}, {Key: "startedAt", Value: s.now().UTC()}, {Key: "steps", Value: bson.A{}}}},
		{Key: "$inc", Value: bson.D{{Key: "runs", Value: 1}}},
	}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return nil, fmt.Errorf("%w: record erasure: %v", apperr.ErrUnavailable, err)
	}
	job, err := s.job(ctx, userID)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, actor, job)
}

// run does the steps the job has not done yet, recording each.
func (s *Service) run(ctx context.Context, actor *identity.Actor, job *Job) (*Job, error) {
	id, userID := job.ID, job.UserID
	for _, step := range s.Steps() {
		if slices.Contains(job.Steps, step) {
			continue
		}
		if err := s.runStep(ctx, actor, step, userID, job.Pseudonym); err != nil {
			s.log.Warn("erasure stopped", "user", userID, "step", step, "err", err)
			return nil, fmt.Errorf("%w: erasure step %s: %v", apperr.ErrUnavailable, step, err)
		}
		if _, err := s.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
			bson.D{{Key: "$addToSet", Value: bson.D{{Key: "steps", Value: step}}}}); err != nil {
			return nil, fmt.Errorf("%w: record erasure step: %v", apperr.ErrUnavailable, err)
		}
		job.Steps = append(job.Steps, step)
	}
	if !job.Done() {
		job.FinishedAt = s.now().UTC()
		if _, err := s.jobs.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "finishedAt", Value: job.FinishedAt}}}}); err != nil {
			return nil, fmt.Errorf("%w: record erasure: %v", apperr.ErrUnavailable, err)
		}
	}
	return job, nil
}

// systemActor finishes erasures an administrator started.
var systemActor = &identity.Actor{UserID: "system:privacy", Name: "Plein", Roles: []identity.Role{identity.RoleBeheerder}}

// Resume finishes the erasures a crash or a failure left half-way (the
// background loop calls it). A job is resumed by the same idempotent steps.
func (s *Service) Resume(ctx context.Context) (int, error) {
	cur, err := s.jobs.Find(ctx, bson.D{{Key: "finishedAt", Value: bson.D{{Key: "$exists", Value: false}}}})
	if err != nil {
		return 0, fmt.Errorf("%w: list erasures: %v", apperr.ErrUnavailable, err)
	}
	var open []Job
	if err := cur.All(ctx, &open); err != nil {
		return 0, fmt.Errorf("%w: list erasures: %v", apperr.ErrUnavailable, err)
	}
	n := 0
	for _, j := range open {
		if _, err := s.run(ctx, systemActor, &j); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Service) runStep(ctx context.Context, actor *identity.Actor, step, userID, pseudonym string) error {
	switch step {
	case StepAccount:
		return s.accounts.Deactivate(ctx, actor, userID)
	case StepProfile:
		return s.accounts.Anonymise(ctx, userID, pseudonym)
	}
	for _, d := range s.domains {
		if "domain:"+d.Name == step {
			return d.Pseudonymiser.Pseudonymise(ctx, userID, pseudonym)
		}
	}
	return fmt.Errorf("unknown step %q", step)
}

func (s *Service) job(ctx context.Context, userID string) (*Job, error) {
	var j Job
	err := s.jobs.FindOne(ctx, bson.D{{Key: "_id", Value: "erase:" + userID}}).Decode(&j)
	if err != nil {
		if store.IsNotFound(err) {
			return nil, apperr.NotFound("not_found", "no erasure for this person")
		}
		return nil, fmt.Errorf("%w: read erasure: %v", apperr.ErrUnavailable, err)
	}
	return &j, nil
}

// Jobs lists the erasures (administrators). The collection holds one small
// document per erased person.
func (s *Service) Jobs(ctx context.Context, actor *identity.Actor) ([]Job, error) {
	if !actor.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators see erasures")
	}
	cur, err := s.jobs.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("%w: list erasures: %v", apperr.ErrUnavailable, err)
	}
	out := []Job{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("%w: list erasures: %v", apperr.ErrUnavailable, err)
	}
	slices.SortFunc(out, func(a, b Job) int { return b.StartedAt.Compare(a.StartedAt) })
	return out, nil
}

// Job returns one person's erasure (administrators).
func (s *Service) Job(ctx context.Context, actor *identity.Actor, userID string) (*Job, error) {
	if !actor.Has(identity.RoleBeheerder) {
		return nil, apperr.Forbidden("admin_only", "only administrators see erasures")
	}
	return s.job(ctx, userID)
}
