package org

import (
	"context"
	"testing"

	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/store/storetest"
)

type fakePeople map[string]identity.User

func (p fakePeople) Get(id string) (identity.User, bool) { u, ok := p[id]; return u, ok }

type recorded []identity.Change

func (r *recorded) RecordChange(_ context.Context, _ *identity.Actor, c identity.Change) error {
	*r = append(*r, c)
	return nil
}

// testAdmin is the administrator the tests act as.
var testAdmin = &identity.Actor{UserID: "u0", Name: "Yvonne Kramer", Roles: []identity.Role{identity.RoleBeheerder}}

// newTestService starts a service on a store of its own, with people as
// the user directory and its change log recorded in the returned list.
func newTestService(t *testing.T, people fakePeople) (*Service, *recorded) {
	t.Helper()
	svc, err := NewService(context.Background(), storetest.New(t), people, nil)
	if err != nil {
		t.Fatal(err)
	}
	log := &recorded{}
	svc.SetChangeLog(log)
	return svc, log
}
