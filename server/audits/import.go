package audits

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/store"
)

// Imported is audit history as a migration from another system brings it
// in (the demo audits, server/demo, come in this way too): who audits in
// which region, rounds with their assignments, audits with their answers,
// and the actions on their findings. Ids follow from what a document is
// (RoundID, AuditID; an action any stable id).
type Imported struct {
	Auditors []Auditor
	Rounds   []*Round
	Audits   []*Audit
	Actions  []*Action
}

// Import stores the documents that are not stored yet, in that order, then
// reads them into memory (here and, through the change log, on other
// instances): a few by id, many by reading everything again. A document
// already stored is left as it is: every document has a fixed id and an
// insert that finds it present skips it, so a re-run after a failure
// half-way completes the import. An import that plans its rounds the way a
// planner would imports the auditors first and each round before planning
// the next (Proposal and Violations read what is stored).
func (s *Service) Import(ctx context.Context, in Imported) error {
	var refs []ref
	auditors := make([]any, len(in.Auditors))
	for i := range in.Auditors {
		auditors[i] = &in.Auditors[i]
		refs = append(refs, ref{C: auditorsColl, ID: in.Auditors[i].UserID})
	}
	for _, r := range in.Rounds {
		refs = append(refs, ref{C: roundsColl, ID: r.ID})
	}
	for _, a := range in.Audits {
		refs = append(refs, ref{C: auditsColl, ID: a.ID})
	}
	for _, a := range in.Actions {
		refs = append(refs, ref{C: actionsColl, ID: a.ID})
	}
	for _, b := range []struct {
		c    *mongo.Collection
		docs []any
	}{{s.st.auditors, auditors}, {s.st.rounds, anys(in.Rounds)}, {s.st.audits, anys(in.Audits)}, {s.st.actions, anys(in.Actions)}} {
		if err := store.InsertMissing(ctx, b.c, b.docs); err != nil {
			return unavailable("import "+b.c.Name(), err)
		}
	}
	if len(refs) > importByID {
		if err := s.load(ctx); err != nil {
			return err
		}
		refs = nil // other instances read everything again
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for _, r := range refs {
		if err := s.refresh(ctx, r); err != nil {
			return err
		}
	}
	s.changed(ctx, refs...)
	return nil
}

// importByID is how many imported documents are read back one by one; an
// import of more reads everything again.
const importByID = 50

// Proposal is what CreateRound would propose for a new round of type typ
// in quarter, storing nothing: the default teams (every team for an
// internal round, for a peer round two per region), each with the auditor
// the rule gives it ("" when nobody may audit it), given the stored rounds
// and auditors.
func (s *Service) Proposal(typ, quarter string) []Assignment {
	d := s.dir()
	r := &Round{Type: typ, Quarter: quarter}
	for _, t := range s.defaultTeams(typ, d) {
		r.Assignments = append(r.Assignments, Assignment{TeamID: t})
	}
	byTeam := map[string]string{}
	for _, p := range Propose(typ, unitsOf(r, d), s.candidates(typ, d), s.recentFor(r, d)) {
		byTeam[p.TeamID] = p.AuditorID
	}
	for i := range r.Assignments {
		r.Assignments[i].AuditorID = byTeam[r.Assignments[i].TeamID]
	}
	return r.Assignments
}

// Violations are the rule's violations of the assignments as in a round of
// type typ in quarter, given the stored rounds and auditors.
func (s *Service) Violations(typ, quarter string, as []Assignment) []Violation {
	d := s.dir()
	r := &Round{Type: typ, Quarter: quarter}
	vs, _ := Check(typ, unitsOfTeams(as, d), s.candidates(typ, d), s.recentFor(r, d), as)
	return vs
}

// StoredRound is a copy of round id as stored, or nil.
func (s *Service) StoredRound(id string) *Round {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.rounds[id]
	if r == nil {
		return nil
	}
	cp := *r
	cp.Assignments = append([]Assignment(nil), r.Assignments...)
	return &cp
}

func anys[T any](l []*T) []any {
	out := make([]any, len(l))
	for i, x := range l {
		out[i] = x
	}
	return out
}
