// Package app assembles the whole server from its parts. It is the only
// package that knows every domain; cmd/plein runs it and tests build it.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/plein/plein/chat"
	"github.com/plein/plein/chat/broker"
	"github.com/plein/plein/chat/broker/memory"
	redisbroker "github.com/plein/plein/chat/broker/redis"
	"github.com/plein/plein/frontend"
	"github.com/plein/plein/server/accesslog"
	"github.com/plein/plein/server/audits"
	"github.com/plein/plein/server/changelog"
	"github.com/plein/plein/server/config"
	"github.com/plein/plein/server/dashboard"
	"github.com/plein/plein/server/demo"
	"github.com/plein/plein/server/demo/orgdata"
	"github.com/plein/plein/server/globalsearch"
	"github.com/plein/plein/server/httpapi"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/identity/devidp"
	"github.com/plein/plein/server/knowledge"
	"github.com/plein/plein/server/learning"
	"github.com/plein/plein/server/notify"
	"github.com/plein/plein/server/org"
	"github.com/plein/plein/server/privacy"
	"github.com/plein/plein/server/push"
	"github.com/plein/plein/server/store"
	"github.com/plein/plein/server/store/blob"
	"github.com/plein/plein/server/store/streamlog"
	"github.com/plein/plein/server/teamspace"
)

// App is a running Plein server (without its listener).
type App struct {
	Config   *config.Config
	Store    *store.Store
	Identity *identity.Service
	Org      *org.Service
	Chat     *chat.Service
	Hub      *chat.Hub
	Broker   broker.Broker
	Engine   *gin.Engine
	Log      *slog.Logger

	Dashboard *dashboard.Service // monthly team figures
	Knowledge *knowledge.Service // articles, confirmations, search
	Notify    *notify.Service    // the notification centre
	Push      *push.Service      // Web Push for the notification centre's deliveries
	Spaces    *teamspace.Service // team spaces, communities, announcements
	Search    *globalsearch.Service
	Access    *accesslog.Log    // the NEN 7513 access log
	Learning  *learning.Service // the learning programme (leertraject)
	Audits    *audits.Service   // peer and internal audits, findings, actions
	Privacy   *privacy.Service  // AVG rights: export, erasure, retention
	// Metrics is the Prometheus handler; served on the public listener too
	// unless PLEIN_METRICS_LISTEN moves it (cmd/plein).
	Metrics http.Handler

	// Now is the app's calendar (config.Config.Clock): the wall clock, or a
	// moved one under PLEIN_TEST_NOW. Seeds and the content domains read it.
	Now func() time.Time

	stop context.CancelFunc
	done chan struct{}
	// warmed closes once the background start-up loads are done (see
	// StartBackground): until then /readyz answers 503 warming_up, so a
	// load balancer sends no traffic to an instance that would answer slowly.
	warmed chan struct{}
	// The replicas' change logs (replicas.go): the bus that signals an
	// append to every instance, and the follower of the shared log.
	logBus   *streamlog.Bus
	changes  *streamlog.Follower[appChange]
	instance string
	// stopFollow ends the shared log's follower and waits for it.
	stopFollow func()
	// afterRename runs once this instance has renamed an erased person in
	// the chat it holds in memory (AfterRename).
	afterRename atomic.Pointer[func(userID string)]
}

// WarmupMax bounds how long /readyz waits for the start-up loads: after it
// the instance reports ready anyway (and logs it), so a store too slow to
// finish them cannot keep every instance out of the load balancer.
var WarmupMax = 3 * time.Minute

// Migrations are the numbered schema changes, applied in order at start.
var Migrations = []store.Migration{
	{ID: 1, Name: "record schema owner", Up: func(ctx context.Context, s *store.Store) error {
		// The first migration only proves the machinery; later ones reshape data.
		_, err := s.DB.Collection("meta").UpdateOne(ctx,
			bson.D{{Key: "_id", Value: "schema"}},
			bson.D{{Key: "$setOnInsert", Value: bson.D{{Key: "owner", Value: "plein"}, {Key: "createdAt", Value: time.Now().UTC()}}}},
			options.UpdateOne().SetUpsert(true))
		return err
	}},
	{ID: 2, Name: "access log: one collection per day", Up: accesslog.MigrateToDays},
	{ID: 3, Name: "person indexes: sessions, change log, knowledge revisions", Up: backfillPersonIndexes},
}

// New connects the store, migrates, seeds (development) and builds the HTTP engine.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*App, error) {
	st, err := store.Open(ctx, store.Options{URI: cfg.MongoURI, Database: cfg.MongoDatabase, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Store: st, Log: log, Now: cfg.Clock(), warmed: make(chan struct{})}
	if err := a.build(ctx); err != nil {
		if a.Notify != nil {
			a.Notify.Close(context.Background()) // stops its worker
		}
		if a.Push != nil {
			a.Push.Close(context.Background())
		}
		st.Close(context.Background())
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context) error {
	cfg, st, log := a.Config, a.Store, a.Log
	if err := st.Migrate(ctx, Migrations, log); err != nil {
		return err
	}
	if err := st.EnsureIndexes(ctx, slices.Concat(identity.Indexes, org.Indexes, dashboard.Indexes, knowledge.Indexes, notify.Indexes, teamspace.Indexes, learning.Indexes, audits.Indexes)); err != nil {
		return err
	}
	host, _ := os.Hostname()
	instance := host + "-" + randomHex(3)
	if err := a.startChanges(ctx, instance); err != nil {
		return err
	}
	users, err := identity.NewUsers(ctx, st)
	if err != nil {
		return err
	}
	orgSvc, err := org.NewService(ctx, st, users, log)
	if err != nil {
		return err
	}
	a.Org = orgSvc
	dashSvc, err := dashboard.NewService(ctx, st, orgSvc, dashboard.Options{Logger: log, Now: a.Now,
		Changed: func(ctx context.Context) { a.logChange(ctx, changedDashboard, "") }})
	if err != nil {
		return err
	}
	a.Dashboard = dashSvc
	notifySvc, err := notify.NewService(ctx, st, notify.Options{Logger: log, Instance: instance, Now: a.Now, Bus: a.logBus})
	if err != nil {
		return err
	}
	a.Notify = notifySvc
	pushSvc, err := a.newPush(ctx)
	if err != nil {
		return err
	}
	a.Push = pushSvc
	notifySvc.SetForwarder(pushSvc) // every notification delivered to a person may become a push
	notice := func(ctx context.Context, userIDs []string, kind, title, text, link, key string) {
		notifySvc.Notify(ctx, userIDs, notify.Notice{Kind: kind, Title: title, Text: text, Link: link, Key: key})
	}
	kbSvc, err := knowledge.NewService(ctx, st, orgSvc, users, knowledge.Options{Logger: log, Notify: notice, Now: a.Now, Bus: a.logBus})
	if err != nil {
		return err
	}
	a.Knowledge = kbSvc
	spaces, err := teamspace.NewService(ctx, st, orgSvc, users, teamspace.Options{Logger: log, Notifier: spaceNotifier{notifySvc}, Now: a.Now, Bus: a.logBus})
	if err != nil {
		return err
	}
	a.Spaces = spaces
	// One profile per team: the team space's revisions own description,
	// working area and contact; org shows and changes them through it.
	orgSvc.SetProfiles(spaces)
	learnSvc, err := learning.NewService(ctx, st, orgSvc, users, learning.Options{Logger: log, Notify: notice, Figures: learningFigures{dashSvc}, Now: a.Now, Bus: a.logBus})
	if err != nil {
		return err
	}
	a.Learning = learnSvc
	spaces.SetExtraEvents(learningAgenda{learnSvc})
	auditSvc, err := audits.NewService(ctx, st, orgSvc, users, audits.Options{Logger: log, Notify: audits.Notifier(notice), Now: a.Now, Bus: a.logBus})
	if err != nil {
		return err
	}
	a.Audits = auditSvc
	if cfg.SeedDemo {
		if cfg.Mode == config.Production {
			return fmt.Errorf("refusing to seed demo data in production")
		}
		if err := demo.Seed(ctx, demo.Deps{Store: st, Users: users, Org: orgSvc, Dashboard: dashSvc, Knowledge: kbSvc, Spaces: spaces,
			Learning: learnSvc, Audits: auditSvc, Issuer: cfg.Issuer(), Now: a.Now, Log: log}); err != nil {
			return err
		}
	}
	base := cfg.BaseURL.String()
	clientSecret := cfg.OIDCClientSecret
	if cfg.DevIdP() {
		clientSecret = randomHex(24) // the built-in provider lives and dies with this process
	}
	a.Identity = identity.New(identity.Config{
		Issuer: cfg.Issuer(), ClientID: cfg.OIDCClientID, ClientSecret: clientSecret, BaseURL: base,
		GroupsClaim: cfg.OIDCGroupsClaim, RoleGroupPrefix: cfg.RoleGroupPrefix, TeamGroupPrefix: cfg.TeamGroupPrefix,
		SessionIdle: cfg.SessionIdle, SessionAbsolute: cfg.SessionAbsolute, SecureCookies: cfg.SecureCookies(),
		Logger: log,
	}, st, users, orgSvc)

	reg := prometheus.NewRegistry()
	reg.MustRegister(st.Scans)
	a.Metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	st.Scans.SetRequestTest(func(ctx context.Context) bool { return httpapi.RequestIDFrom(ctx) != "" })
	e, err := httpapi.NewEngine(httpapi.Options{Logger: log, Registry: reg, MaxBodyBytes: cfg.MaxBodyBytes,
		TrustedProxies: cfg.TrustedProxies, HSTS: cfg.BaseURL.Scheme == "https", MetricsElsewhere: cfg.MetricsListen != "",
		LargeBodies: map[string]int64{
			"POST /api/v1" + knowledge.UploadRoute:       knowledge.MaxUploadBody,
			"POST /api/v1/spaces/:id/documents":          teamspace.MaxFileBytes + 64<<10,
			"POST /api/v1/spaces/:id/uploads":            teamspace.MaxFileBytes + 64<<10,
			"POST /api/v1" + audits.PhotoRoute:           audits.MaxPhotoBody,
			"POST /api/v1/chat/channels/:id/attachments": chat.MaxAttachmentBytes + 64<<10,
		}})
	if err != nil {
		return err
	}
	httpapi.Readyz(e, func(ctx context.Context) error {
		if err := st.Ping(ctx); err != nil {
			return err
		}
		select {
		case <-a.warmed:
			return nil
		default:
			return httpapi.ErrWarmingUp
		}
	})
	if cfg.DevIdP() {
		if cfg.Mode != config.Development {
			return fmt.Errorf("the development identity provider never runs in production")
		}
		h, err := devidp.New(devidp.Config{
			Issuer: cfg.Issuer(), ClientID: cfg.OIDCClientID, ClientSecret: clientSecret,
			RedirectURIs: []string{base + "/auth/callback"}, PostLogoutRedirectURIs: []string{base + "/"},
			Users: DemoUsers(cfg), AllowInsecure: cfg.BaseURL.Scheme == "http",
		})
		if err != nil {
			return fmt.Errorf("development identity provider: %w", err)
		}
		e.Any(config.DevIdPPath+"/*path", gin.WrapH(h))
	}
	var sharedLimits httpapi.SharedLimits // with Redis: limits that hold across instances
	if cfg.RedisURL != "" {
		rb, err := redisbroker.New(ctx, cfg.RedisURL, redisbroker.WithPrefix("plein:"), redisbroker.WithLogger(log))
		if err != nil {
			return fmt.Errorf("redis broker: %w", err)
		}
		a.Broker = rb
		sharedLimits = rb
		httpapi.UseSharedLimits(e, rb) // login and export limits hold across instances
	} else {
		a.Broker = memory.New()
	}
	// An entry appended to a change log on one instance: every instance's
	// follower of that log catches up at once (replicas.go). After a broker
	// outage signals may have been lost, so every follower catches up.
	if _, err := a.Broker.Subscribe(ctx, []string{topicLog}, func(_ string, payload []byte) {
		a.logBus.Signal(string(payload))
	}); err != nil {
		return fmt.Errorf("subscribe %s: %w", topicLog, err)
	}
	if _, err := a.Broker.Subscribe(ctx, []string{topicSessionEnded}, func(_ string, payload []byte) {
		var m struct{ User, Session string }
		if json.Unmarshal(payload, &m) == nil {
			a.Identity.ForgetSessions(m.User, m.Session)
		}
	}); err != nil {
		return fmt.Errorf("subscribe %s: %w", topicSessionEnded, err)
	}
	a.Broker.OnEvent(func(ev broker.Event) {
		if ev == broker.Reconnected {
			a.Identity.ForgetAllSessions() // an end of session may have been missed
			a.logBus.SignalAll()
		}
	})
	// A person's record changed here: every instance re-reads that person.
	a.Identity.OnUserChange(func(ctx context.Context, userID string) { a.logChange(ctx, changedUser, userID) })
	chatSvc, err := chat.NewService(ctx, chat.NewStore(st), chatDirectory{org: orgSvc, users: users}, log)
	if err != nil {
		return err
	}
	chatSvc.SetNotifier(chatNotifier{notifySvc}) // chat @mentions land in the notification centre
	chatSvc.EnableAttachments(st)                // files in messages (chat/attachments.go)
	hub, err := chat.NewHub(ctx, chatSvc, a.Broker, chat.HubOptions{
		Instance: instance, Logger: log, SessionValid: a.Identity.SessionValid, NoReceipts: !cfg.ChatReceipts,
		Limits: sharedLimits, // a user's send limit holds across instances
		BeforeResync: func() { // the organisation as it is now: team channels follow it (users follow their log)
			rctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := orgSvc.Reload(rctx); err != nil {
				log.Warn("reload organisation", "err", err)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("chat hub: %w", err)
	}
	a.Chat, a.Hub = chatSvc, hub
	// An erased person's name, replaced in the store on one instance: every
	// instance renames them in what it holds in memory.
	if _, err := a.Broker.Subscribe(ctx, []string{topicRenamed}, func(_ string, payload []byte) {
		chatSvc.RenameInWindows(string(payload), privacy.Pseudonym(string(payload)))
		a.renameInMemory(string(payload))
		if f := a.afterRename.Load(); f != nil {
			(*f)(string(payload))
		}
	}); err != nil {
		return fmt.Errorf("subscribe %s: %w", topicRenamed, err)
	}
	notifySvc.SetPusher(notify.PusherFunc(func(ctx context.Context, userID string, item notify.Notification, unread int) {
		hub.SendToUser(ctx, userID, chat.NotificationFrame{Item: item, Unread: unread})
	}))
	cs := chatSearch{svc: chatSvc, authors: newChatAuthors()}
	chatSvc.SetAuthorIndex(cs.authors) // exports find a person's messages in memory
	gs, err := globalsearch.New(ctx, spaces, kbSvc, cs, orgSvc, users)
	if err != nil {
		return err
	}
	a.Search = gs
	spaces.SetIndexer(gs)
	chatSvc.OnEntry(cs.observer(gs))
	chatSvc.SetSearcher(conversationSearch{gs})
	// A team membership change anywhere re-checks chat access everywhere.
	orgSvc.OnChange(func() {
		pctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		a.logChange(pctx, changedOrg, "")
		hub.MembersChanged(pctx, "", true)
	})
	// Logout closes that session's live connections on every instance, and
	// every instance forgets the session it may have cached.
	a.Identity.OnSessionEnd(func(userID, sessionID string) {
		pctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		payload, _ := json.Marshal(map[string]string{"user": userID, "session": sessionID})
		if err := a.Broker.Publish(pctx, topicSessionEnded, payload); err != nil {
			log.Warn("publish session end", "err", err) // other instances' caches expire within seconds
		}
		hub.Kick(pctx, userID, sessionID)
		// Push goes off on the devices turned on in that session (every
		// device when every session ended).
		if err := a.Push.SessionEnded(pctx, userID, sessionID); err != nil {
			log.Warn("turn push off at session end", "err", err)
		}
	})

	access := accesslog.New(st)
	a.Access = access
	// Administrative changes (org and identity) are recorded with their
	// before and after for the administrators' "Wijzigingen".
	changes := changelog.New(st)
	orgSvc.SetChangeLog(changes)
	a.Identity.SetChangeLog(changes)
	idHTTP := identity.NewHTTP(a.Identity, orgSvc, access)
	api := e.Group("/api/v1", idHTTP.Authenticate())
	idHTTP.Routes(e, api)
	authed := api.Group("", idHTTP.RequireUser())
	org.NewHTTP(orgSvc, access).Routes(authed)
	dashboard.NewHTTP(dashSvc, access).Routes(authed)
	knowledge.NewHTTP(kbSvc, access).Routes(authed)
	learning.NewHTTP(learnSvc, access).Routes(authed)
	notify.NewHTTP(notifySvc).Routes(authed)
	push.NewHTTP(pushSvc).Routes(authed)
	spacesHTTP := teamspace.NewHTTP(spaces, access, base)
	spacesHTTP.Routes(authed)
	globalsearch.NewHTTP(gs, access).Routes(authed)
	accesslog.NewHTTP(access, users).Routes(authed)
	changelog.NewHTTP(changes, access).Routes(authed)
	audits.NewHTTP(auditSvc, access).Routes(authed)
	a.Privacy = privacy.NewService(st, users, a.Identity, a.privacyDomains(),
		privacy.Options{Logger: log, Now: a.Now, Retention: a.RetentionRules(cfg.Retention)})
	privacy.NewHTTP(a.Privacy, access).Routes(authed)
	a.claimFiles(chatSvc)
	spacesHTTP.FeedRoutes(e) // GET /ical/:file: the secret token in the URL is the credential
	chat.NewHTTP(chatSvc, hub, cfg.BaseURL.Scheme+"://"+cfg.BaseURL.Host, access).Routes(authed)
	httpapi.Frontend(e, frontend.Files())
	a.Engine = e
	a.followChanges()
	return nil
}

// topicSessionEnded carries {"user","session"} of a session that ended
// (session empty: all of the user's): every instance drops it from its
// session cache at once (server/identity/sessioncache.go).
const topicSessionEnded = "identity.session_ended"

// newPush builds Web Push with the configured VAPID keys; in development
// without keys it generates a pair and keeps it in the data dir; in
// production without keys push is off (and the log says so).
func (a *App) newPush(ctx context.Context) (*push.Service, error) {
	cfg := a.Config
	keys := push.Keys{Public: cfg.VAPIDPublicKey, Private: cfg.VAPIDPrivateKey, Subject: cfg.VAPIDSubject}
	switch {
	case keys.Public != "":
	case cfg.Mode == config.Development:
		dir := cfg.DataDir
		if cfg.MongoURI != "" {
			dir = "" // no data dir in use: a pair for this process only
		}
		k, err := push.DevelopmentKeys(dir, cfg.VAPIDSubject)
		if err != nil {
			return nil, err
		}
		keys = k
		a.Log.Info("push notifications on with development VAPID keys", "kept", dir != "")
	default:
		a.Log.Warn("push notifications off: set PLEIN_VAPID_PUBLIC_KEY, PLEIN_VAPID_PRIVATE_KEY and PLEIN_VAPID_SUBJECT (docs/operations.md)")
	}
	return push.NewService(ctx, a.Store, push.Options{Logger: a.Log, Now: a.Now, Keys: keys, AllowLoopback: cfg.PushLoopback,
		OnChange: func(ctx context.Context, user string) { a.logChange(ctx, changedPush, user) }})
}

// spaceNotifier hands team-space notices to the notification centre.
type spaceNotifier struct{ n *notify.Service }

func (t spaceNotifier) Notify(ctx context.Context, userIDs []string, n teamspace.Notice) {
	t.n.Notify(ctx, userIDs, notify.Notice{Kind: n.Kind, Title: n.Title, Text: n.Text, Link: n.Link, ActorID: n.ActorID, ActorName: n.ActorName, Place: n.Place, Key: n.Key,
		PushSubject: n.PushSubject})
}

// chatNotifier hands chat mentions to the notification centre, and
// conversation messages as ephemeral notices (pushed, not stored).
type chatNotifier struct{ n *notify.Service }

func (t chatNotifier) Notify(ctx context.Context, userIDs []string, n chat.Notice) {
	kind := notify.KindMention
	if n.Message {
		kind = notify.KindMessage
	}
	t.n.Notify(ctx, userIDs, notify.Notice{Kind: kind, Title: n.Title, Text: n.Text, Link: n.Link,
		ActorID: n.ActorID, ActorName: n.ActorName, Place: n.Place, Key: n.Key, Ephemeral: n.Message})
}

// learningFigures lets the learning programme read the dashboard's figures.
type learningFigures struct{ d *dashboard.Service }

func (f learningFigures) Series(a *identity.Actor, teams []string, from, to learning.Month) map[string][]learning.FigureMonth {
	src := f.d.Series(a, teams, dashboard.Month(from), dashboard.Month(to))
	out := make(map[string][]learning.FigureMonth, len(src))
	for team, months := range src {
		l := make([]learning.FigureMonth, len(months))
		for i, m := range months {
			l[i] = learning.FigureMonth{Values: m.Values, Withheld: m.Withheld}
		}
		out[team] = l
	}
	return out
}

// learningAgenda puts learning sessions in the team agendas and feeds.
type learningAgenda struct{ l *learning.Service }

func (g learningAgenda) TeamEvents(team string, from, to time.Time) []teamspace.ExtraEvent {
	var out []teamspace.ExtraEvent
	for _, x := range g.l.TeamAgenda(team, from, to) {
		out = append(out, teamspace.ExtraEvent{ID: x.ID, Title: x.Title, Location: x.Location, Description: x.Description,
			URL: x.URL, Organizer: x.Organizer, Start: x.Start, End: x.End, CreatedAt: x.CreatedAt})
	}
	return out
}

// DemoUsers are the development provider's logins: the demo organisation's demo people,
// with groups that grant their roles and teams.
func DemoUsers(cfg *config.Config) []devidp.User {
	var out []devidp.User
	for _, p := range orgdata.People() {
		if !p.Demo {
			continue
		}
		out = append(out, devidp.User{Sub: p.Sub, Name: p.Name, Email: p.Email, Description: p.DemoDescription,
			Groups: p.Groups(cfg.RoleGroupPrefix, cfg.TeamGroupPrefix)})
	}
	return out
}

// StartBackground runs background work: following other instances'
// changes (the replicas' change logs, within a second: see replicas.go),
// reminders, and purging expired sessions.
func (a *App) StartBackground() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop, a.done = cancel, make(chan struct{})
	kbDone, searchDone, learnDone, auditsDone := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
	spacesDone := make(chan struct{})
	go func() {
		defer close(spacesDone)
		a.Spaces.Run(ctx) // follows other instances' team-space changes, seals full log segments
	}()
	go func() {
		defer close(learnDone)
		a.Learning.Run(ctx, 30*time.Second) // follows learning_changes; session reminders every 30 s
	}()
	go func() {
		defer close(kbDone)
		a.Knowledge.Run(ctx, time.Second) // follows other instances' knowledge base writes
	}()
	go func() {
		defer close(searchDone)
		a.Search.Run(ctx) // indexes document contents
	}()
	go a.warmUp(ctx)
	go func() {
		defer close(auditsDone)
		a.Audits.Run(ctx, time.Hour) // follows audits_changes; action reminders every hour
	}()
	go func() {
		defer close(a.done)
		defer func() {
			<-kbDone
			<-searchDone
			<-learnDone
			<-auditsDone
			<-spacesDone
		}() // runs before close(a.done)
		refresh := time.NewTicker(30 * time.Second)
		purge := time.NewTicker(10 * time.Minute)
		touches := time.NewTicker(identity.TouchFlushEvery)
		defer refresh.Stop()
		defer purge.Stop()
		defer touches.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-touches.C:
				if err := a.Identity.FlushTouches(ctx); err != nil {
					a.Log.Warn("session touch failed", "err", err)
				}
			case <-refresh.C:
				if err := a.Notify.Reload(ctx); err != nil {
					a.Log.Warn("reload notifications", "err", err)
				}
			case <-purge.C:
				if err := a.Identity.Purge(ctx); err != nil {
					a.Log.Warn("purge sessions", "err", err)
				}
				if _, err := a.PruneLogs(ctx); err != nil { // change logs (replicas.go)
					a.Log.Warn("prune change logs", "err", err)
				}
				// Bytes a crash during an upload left behind (issue 16).
				if swept, err := blob.SweepAll(ctx, a.Store, blob.SweepAge); err != nil {
					a.Log.Warn("sweep left-over upload bytes", "err", err)
				} else if swept.Files > 0 {
					a.Log.Info("swept left-over upload bytes", "files", swept.Files, "bytes", swept.Bytes)
				}
				// Chat files uploaded but never sent.
				if n, err := a.Chat.SweepUnsentAttachments(ctx, time.Now().Add(-chat.UnsentAttachmentAge)); err != nil {
					a.Log.Warn("sweep unsent chat files", "err", err)
				} else if n > 0 {
					a.Log.Info("swept unsent chat files", "files", n)
				}
				// Team-space files staged for a post never published (#14 §7).
				if n, err := a.Spaces.SweepStagedUploads(ctx, time.Now().Add(-teamspace.StagedUploadAge)); err != nil {
					a.Log.Warn("sweep staged post files", "err", err)
				} else if n > 0 {
					a.Log.Info("swept staged post files", "files", n)
				}
				// Erasures a crash or failure left half-way (AVG).
				if n, err := a.Privacy.Resume(store.Rare(ctx)); err != nil {
					a.Log.Warn("resume erasures", "err", err)
				} else if n > 0 {
					a.Log.Info("resumed erasures", "count", n)
				}
				// Retention per content type (AVG): every instance runs it;
				// each removal is idempotent, so two at once are safe.
				if swept, err := a.Privacy.Sweep(ctx); err != nil {
					a.Log.Warn("retention sweep", "err", err)
				} else {
					for kind, n := range swept {
						if n > 0 {
							a.Log.Info("retention sweep", "kind", kind, "removed", n)
						}
					}
				}
			}
		}
	}()
}

// warmUp marks the instance ready once search has loaded the stored chat
// messages and the texts of the documents (a scan that grows with history
// and, on the embedded store, holds up writes while it runs: issue 16
// measured writes of up to 14 s for a minute or two after a restart while
// /readyz already said ready), or after WarmupMax.
func (a *App) warmUp(ctx context.Context) {
	start := time.Now()
	wctx, cancel := context.WithTimeout(ctx, WarmupMax)
	defer cancel()
	if err := a.Search.Settle(wctx); err != nil {
		if ctx.Err() != nil {
			return
		}
		a.Log.Warn("start-up loads unfinished; reporting ready anyway", "after", WarmupMax)
	}
	close(a.warmed)
	a.Log.Info("ready", "warm_up", time.Since(start).Round(time.Millisecond))
}

// AfterRename registers f to run each time this instance has applied an
// erasure announced on the broker to the chat it holds in memory (tests
// wait on it instead of polling).
func (a *App) AfterRename(f func(userID string)) { a.afterRename.Store(&f) }

// Warmed is closed once the start-up loads are done and /readyz answers 200
// (the store permitting).
func (a *App) Warmed() <-chan struct{} { return a.warmed }

// Drain closes every websocket with "reconnect elsewhere" (close code 1012)
// and waits for them, before the HTTP server shuts down: http.Server's
// Shutdown does not close hijacked connections.
func (a *App) Drain(ctx context.Context) {
	if a.Hub != nil {
		a.Hub.Shutdown(ctx)
	}
}

// Close stops background work, the broker and the store.
func (a *App) Close(ctx context.Context) {
	a.Drain(ctx)
	if a.stop != nil {
		a.stop()
		<-a.done
	}
	if a.Identity != nil {
		if err := a.Identity.FlushTouches(ctx); err != nil {
			a.Log.Warn("session touch failed", "err", err)
		}
	}
	if a.Access != nil { // entries recorded and not yet written (accesslog/batch.go)
		if err := a.Access.Close(ctx); err != nil {
			a.Log.Error("access log entries not written at shutdown", "err", err)
		}
	}
	if a.stopFollow != nil {
		a.stopFollow()
	}
	if a.Notify != nil {
		a.Notify.Close(ctx)
	}
	if a.Push != nil {
		a.Push.Close(ctx)
	}
	if a.Broker != nil {
		_ = a.Broker.Close()
	}
	a.Store.Close(ctx)
}

// Handler is the HTTP handler.
func (a *App) Handler() http.Handler { return a.Engine }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
