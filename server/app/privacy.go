package app

import (
	"context"
	"time"

	"github.com/plein/plein/chat"
	"github.com/plein/plein/server/accesslog"
	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/changelog"
	"github.com/plein/plein/server/config"
	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/learning"
	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/privacy"
	"github.com/plein/plein/server/push"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/teamspace"
)

// NoPersonalData are the collections that hold nothing about a person:
// schema bookkeeping and seed markers. Every other collection must belong
// to a registered privacy domain (TestEveryCollectionIsInThePrivacyRegister).
var NoPersonalData = []string{"meta", "migrations"}

// privacyDomains is the register of personal data: every domain that keeps
// data about people, in the order the export shows them. A domain added
// without an entry here fails TestEveryCollectionIsInThePrivacyRegister as
// soon as it stores a document.
func (a *App) privacyDomains() []privacy.Domain {
	db := a.Store.DB
	places := func(name string, colls []string, ps []privacy.Place) privacy.Domain {
		h, p := privacy.Places(db, ps...)
		return privacy.Domain{Name: name, Collections: colls, Holder: h, Pseudonymiser: p}
	}
	return []privacy.Domain{
		{Name: "account", Collections: identity.Collections, Holder: a.Identity},
		a.teamsDomain(places("teams", org.Collections, a.Org.Places())),
		{Name: "chat", Collections: chat.Collections, Holder: a.Chat, Pseudonymiser: privacy.PseudonymiserFunc(a.pseudonymiseChat)},
		{Name: "teamSpaces", Collections: teamspace.Collections, Holder: a.Spaces},
		places("knowledge", knowledge.Collections, a.Knowledge.Places()),
		places("learning", learning.Collections, a.Learning.Places()),
		places("audits", audits.Collections, a.Audits.Places()),
		places("dashboard", dashboard.Collections, a.Dashboard.Places()),
		{Name: "notifications", Collections: notify.Collections, Holder: a.Notify, Pseudonymiser: a.Notify},
		{Name: "pushDevices", Collections: push.Collections, Holder: a.Push, Pseudonymiser: a.Push},
		{Name: "accessLog", Collections: accesslog.Collections, Holder: a.Access},
		places("adminChanges", changelog.Collections, changelog.Places(db)),
		// The replicas' shared change log (replicas.go): which person's
		// record changed, by id, no name; the record itself is the account's.
		{Name: "replicaLog", Collections: []string{appChangesColl}},
		// The erasure records: who was erased, when, by whom (no export:
		// they exist only for people who are gone).
		{Name: "erasures", Collections: privacy.Collections},
	}
}

// backfillPersonIndexes puts the documents stored before the person
// indexes existed into them (migration 3): the sessions, the change log
// and the knowledge base's revisions, one read of each collection. Until
// an index is complete the export and erasure read its collection by
// filter, as before. Re-runnable: a run stopped half-way is done again and
// adds nothing twice.
func backfillPersonIndexes(ctx context.Context, s *store.Store) error {
	if err := identity.BackfillSessions(ctx, s, time.Now); err != nil {
		return err
	}
	if err := changelog.Backfill(ctx, s); err != nil {
		return err
	}
	return knowledge.BackfillRevisions(ctx, s)
}

// RetentionRules pair each content type's configured period with the
// domain code that enforces it.
func (a *App) RetentionRules(r config.Retention) []privacy.Rule {
	return []privacy.Rule{
		{Kind: privacy.KindChat, Days: r.Chat, Sweeper: privacy.SweeperFunc(a.Chat.SweepMessages)},
		{Kind: privacy.KindPosts, Days: r.Posts, Sweeper: privacy.SweeperFunc(a.Spaces.SweepPosts)},
		{Kind: privacy.KindDocuments, Days: r.Documents, Sweeper: privacy.SweeperFunc(a.Spaces.SweepDocuments)},
		{Kind: privacy.KindNotifications, Days: r.Notifications, Sweeper: privacy.SweeperFunc(a.Notify.SweepItems)},
		{Kind: privacy.KindAccessLog, Days: r.AccessLog, Sweeper: privacy.SweeperFunc(a.Access.Sweep)},
		{Kind: privacy.KindLoginAttempts, Days: r.LoginAttempts, Sweeper: privacy.SweeperFunc(a.Identity.SweepLoginAttempts)},
	}
}

// renameInMemory gives an erased person their pseudonym in the knowledge
// base's heads and in the team spaces' rendered mentions on this instance
// (chat's windows: Chat.RenameInWindows). Idempotent.
func (a *App) renameInMemory(userID string) {
	a.Knowledge.RenameInMemory(userID, privacy.Pseudonym(userID))
	a.Spaces.ForgetRendered()
}

// claimFiles lets the blob sweep (every 10 minutes, blob.SweepAll) remove
// complete uploads that their owning domain no longer names (issue 16).
func (a *App) claimFiles(c *chat.Service) {
	c.ClaimFiles()
	a.Spaces.ClaimFiles()
	a.Knowledge.ClaimFiles()
	a.Audits.ClaimFiles()
}

// teamsDomain: erasure takes a departed person out of every team.
func (a *App) teamsDomain(d privacy.Domain) privacy.Domain {
	d.Pseudonymiser = privacy.PseudonymiserFunc(a.Org.LeaveAllTeams)
	return d
}

// topicRenamed carries the id of an erased person: every instance renames
// them in the chat entries, article heads and rendered mentions it holds in
// memory (the store is done already).
const topicRenamed = "privacy.renamed"

// pseudonymiseChat renames the person in the stored chat entries and tells
// every instance to rename them in memory too.
func (a *App) pseudonymiseChat(ctx context.Context, userID, pseudonym string) error {
	if err := a.Chat.Pseudonymise(ctx, userID, pseudonym); err != nil {
		return err
	}
	a.renameInMemory(userID) // here at once; the others on the broker's message
	if a.Broker != nil {
		if err := a.Broker.Publish(ctx, topicRenamed, []byte(userID)); err != nil {
			// The store has the pseudonym; other instances show it once the
			// entries leave their windows or they restart.
			a.Log.Warn("publish erasure", "err", err)
		}
	}
	return nil
}
