package app_test

import (
	"testing"

	"github.com/plein/plein/chat/broker/redistest"
	"github.com/plein/plein/server/app/apptest"
	"github.com/plein/plein/server/identity"
)

type userBody struct {
	ID          string          `json:"id"`
	Roles       []identity.Role `json:"roles"`
	DeniedRoles []identity.Role `json:"deniedRoles"`
	Active      bool            `json:"active"`
}

// TestAccessCanBeTakenAway: an administrator ends a person's sessions (their
// requests and sockets stop at once, a new login works), deactivates them
// (sessions end, logins are refused until reactivated) and takes away a
// role the identity provider grants (it stays away after the next login,
// until given back). Every refusal and bad input is checked too.
func TestAccessCanBeTakenAway(t *testing.T) {
	t.Parallel()
	srv := apptest.Start(t)
	iss := srv.App.Config.Issuer()
	admin := srv.Login(t, "yvonne.kramer")
	anouk := srv.Login(t, "anouk.devries")
	ilse := srv.Login(t, "ilse.dekker")
	anoukID, ilseID, adminID := identity.UserID(iss, "anouk.devries"), identity.UserID(iss, "ilse.dekker"), identity.UserID(iss, "yvonne.kramer")

	// Refusals: only administrators act on others; nobody deactivates themselves.
	if st, _ := anouk.Do("POST", "/api/v1/users/"+ilseID+"/sessions/end", nil); st != 403 {
		t.Errorf("care worker ends another's sessions: %d", st)
	}
	if st, _ := anouk.Do("PUT", "/api/v1/users/"+ilseID+"/active", map[string]any{"active": false}); st != 403 {
		t.Errorf("care worker deactivates: %d", st)
	}
	if st, b := admin.Do("PUT", "/api/v1/users/"+adminID+"/active", map[string]any{"active": false}); st != 422 {
		t.Errorf("administrator deactivates herself: %d %s", st, b)
	}
	for _, body := range []any{nil, "null", map[string]any{}, map[string]any{"active": "no"}, map[string]any{"active": false, "x": 1}} {
		if st, b := admin.Do("PUT", "/api/v1/users/"+anoukID+"/active", body); st != 422 && st != 400 && st != 415 {
			t.Errorf("bad body %v: %d %s", body, st, b)
		}
	}
	if st, _ := admin.Do("POST", "/api/v1/users/unknown/sessions/end", nil); st != 404 {
		t.Errorf("unknown user: %d", st)
	}
	if st, _ := anouk.Do("GET", "/api/v1/session", nil); st != 200 {
		t.Fatalf("refused requests changed something: %d", st)
	}

	// Ending the sessions: the next request and the open socket end at once.
	ws := anouk.DialWS(t)
	ws.Until("ready", nil)
	if st, b := admin.Do("POST", "/api/v1/users/"+anoukID+"/sessions/end", nil); st != 204 {
		t.Fatalf("end sessions: %d %s", st, b)
	}
	if st, _ := anouk.Do("GET", "/api/v1/session", nil); st != 401 {
		t.Errorf("request after the sessions ended: %d", st)
	}
	assertClose(t, ws, 4001)
	if st, path := anouk.TryLogin("anouk.devries"); st != 200 || path != "/" {
		t.Fatalf("a new login after the sessions ended: %d at %s", st, path)
	}
	if st, _ := anouk.Do("GET", "/api/v1/session", nil); st != 200 {
		t.Fatalf("new session: %d", st)
	}

	// Deactivating: the session ends and logging in is refused.
	var u userBody
	if st := admin.JSON("PUT", "/api/v1/users/"+anoukID+"/active", map[string]any{"active": false}, &u); st != 200 || u.Active {
		t.Fatalf("deactivate: %d %+v", st, u)
	}
	if st, _ := anouk.Do("GET", "/api/v1/session", nil); st != 401 {
		t.Errorf("a deactivated person's session: %d", st)
	}
	if _, path := srv.NewClient(t).TryLogin("anouk.devries"); path == "/" {
		t.Error("a deactivated person logged in")
	}
	if st := admin.JSON("PUT", "/api/v1/users/"+anoukID+"/active", map[string]any{"active": true}, &u); st != 200 || !u.Active {
		t.Fatalf("reactivate: %d %+v", st, u)
	}
	if _, path := anouk.TryLogin("anouk.devries"); path != "/" {
		t.Error("a reactivated person cannot log in")
	}

	// A role the identity provider grants can be taken away, and stays away
	// after the next login.
	if st, _ := ilse.Do("GET", "/api/v1/dashboard/imports", nil); st != 200 {
		t.Fatalf("support services read imports: %d", st)
	}
	if st := admin.JSON("PUT", "/api/v1/users/"+ilseID+"/roles", map[string]any{"roles": []string{}}, &u); st != 200 || len(u.Roles) != 0 || len(u.DeniedRoles) == 0 {
		t.Fatalf("take the claimed role away: %d %+v", st, u)
	}
	if st, _ := ilse.Do("GET", "/api/v1/dashboard/imports", nil); st != 403 {
		t.Errorf("with the role taken away: %d", st)
	}
	if _, path := ilse.TryLogin("ilse.dekker"); path != "/" {
		t.Fatal("login after a role was taken away")
	}
	if st, _ := ilse.Do("GET", "/api/v1/dashboard/imports", nil); st != 403 {
		t.Errorf("the identity provider's claim brought the role back: %d", st)
	}
	if st := admin.JSON("PUT", "/api/v1/users/"+ilseID+"/roles", map[string]any{"roles": u.DeniedRoles}, &u); st != 200 || len(u.DeniedRoles) != 0 {
		t.Fatalf("give it back: %d %+v", st, u)
	}
	if st, _ := ilse.Do("GET", "/api/v1/dashboard/imports", nil); st != 200 {
		t.Errorf("with the role given back: %d", st)
	}
	// The administrator keeps her own role.
	if st, _ := admin.Do("PUT", "/api/v1/users/"+adminID+"/roles", map[string]any{"roles": []string{}}); st != 422 {
		t.Errorf("administrator removes her own role: %d", st)
	}
	// A person may end their own sessions ("log out everywhere").
	if st, _ := ilse.Do("POST", "/api/v1/users/"+ilseID+"/sessions/end", nil); st != 204 {
		t.Errorf("end own sessions: %d", st)
	}
	if st, _ := ilse.Do("GET", "/api/v1/session", nil); st != 401 {
		t.Errorf("after ending own sessions: %d", st)
	}
}

// TestRevocationReachesOtherInstancesAtOnce: a role taken away and sessions
// ended on one instance apply on the other at once, through the broker
// (test servers run no periodic reload, so nothing else could carry it).
func TestRevocationReachesOtherInstancesAtOnce(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	srvs := apptest.StartCluster(t, 2, rs.URL())
	iss := srvs[0].App.Config.Issuer()
	admin := srvs[0].Login(t, "yvonne.kramer")
	ilse := srvs[0].Login(t, "ilse.dekker")
	ilseThere := ilse.On(srvs[1])
	ilseID := identity.UserID(iss, "ilse.dekker")
	if st, _ := ilseThere.Do("GET", "/api/v1/dashboard/imports", nil); st != 200 {
		t.Fatalf("before: %d", st)
	}
	if st, _ := admin.Do("PUT", "/api/v1/users/"+ilseID+"/roles", map[string]any{"roles": []string{}}); st != 200 {
		t.Fatal(st)
	}
	waitStatus(t, ilseThere, "/api/v1/dashboard/imports", 403, "the role taken away on the other instance")
	if st, _ := admin.Do("PUT", "/api/v1/users/"+ilseID+"/roles", map[string]any{"roles": []string{string(identity.RoleOndersteunendeDienst)}}); st != 200 {
		t.Fatal(st)
	}
	waitStatus(t, ilseThere, "/api/v1/dashboard/imports", 200, "the role given back on the other instance")
	if st, _ := admin.Do("POST", "/api/v1/users/"+ilseID+"/sessions/end", nil); st != 204 {
		t.Fatal(st)
	}
	waitStatus(t, ilseThere, "/api/v1/session", 401, "the session ended on the other instance")
}

// waitStatus polls until path answers want (see waitFor).
func waitStatus(t *testing.T, c *apptest.Client, path string, want int, what string) {
	t.Helper()
	waitFor(t, what, func() bool { st, _ := c.Do("GET", path, nil); return st == want })
}
