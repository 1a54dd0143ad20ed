package learning

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/plein/plein/server/store"
)

// Imported is a learning programme's history as a migration from another
// system brings it in (the demo programme, server/demo, comes in this way
// too): programme versions, cohorts with their teams' trajectories,
// sessions with their attendance, reflections, closed scans, and who
// designs programmes. Every document carries its own id (ProgrammeDocID,
// TrajectoryID, ScanID; sessions and cohorts any stable id).
type Imported struct {
	Programmes   []*Programme
	Cohorts      []*Cohort
	Trajectories []*Trajectory
	Sessions     []*Session
	Reflections  []*Reflection
	Scans        []*Scan
	Designers    []string // user ids added to the designers
}

// Import stores the documents that are not stored yet and adds the
// designers, then reads the whole state again (here and, through the
// change log, on other instances). A document already stored is left as
// it is: every document has a fixed id and an insert that finds it present
// skips it, so a re-run after a failure half-way completes the import.
// Cohorts are written after their trajectories, sessions, reflections and
// scans (a cohort makes its teams' trajectories current).
func (s *Service) Import(ctx context.Context, in Imported) error {
	for _, b := range []struct {
		c    *mongo.Collection
		docs []any
	}{{s.st.programmes, anys(in.Programmes)}, {s.st.trajectories, anys(in.Trajectories)}, {s.st.sessions, anys(in.Sessions)},
		{s.st.reflections, anys(in.Reflections)}, {s.st.scans, anys(in.Scans)}, {s.st.cohorts, anys(in.Cohorts)}} {
		if err := store.InsertMissing(ctx, b.c, b.docs); err != nil {
			return unavailable("import "+b.c.Name(), err)
		}
	}
	if err := s.importDesigners(ctx, in.Designers); err != nil {
		return err
	}
	s.logChange(ctx, nil) // other instances read everything again
	return s.Reload(ctx)
}

// importDesigners adds the designers who are not designers yet.
func (s *Service) importDesigners(ctx context.Context, ids []string) error {
	s.mu.RLock()
	set := s.cur.settings
	s.mu.RUnlock()
	designers := slices.Clone(set.Designers)
	for _, id := range ids {
		if !slices.Contains(designers, id) {
			designers = append(designers, id)
		}
	}
	if len(designers) == len(set.Designers) {
		return nil
	}
	next := Settings{ID: settingsID, Designers: designers, UpdatedAt: s.now().UTC()}
	if err := put(ctx, s.st.meta, settingsID, &next); err != nil {
		return fmt.Errorf("import designers: %w", err)
	}
	return nil
}

func anys[T any](l []*T) []any {
	out := make([]any, len(l))
	for i, x := range l {
		out[i] = x
	}
	return out
}

// TeamFigures are the teams' dashboard figures from month from to month
// to, as the service reads them (none when no figures are wired): an
// import that follows the figures reads them here.
func (s *Service) TeamFigures(teams []string, from, to Month) map[string][]FigureMonth {
	return s.series(systemActor, teams, from, to)
}
