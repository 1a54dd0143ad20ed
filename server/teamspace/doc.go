// Package teamspace holds the team spaces and communities — posts,
// comments, reactions, pins, the team profile with its history, documents
// with versions, events with a personal iCalendar feed — and the
// announcements that support services send to (part of) the organisation,
// with acknowledgement and a report of who has not read them yet.
//
// # Spaces and who sees what
//
// A team space belongs to a team of the organisation (its id is the team
// id, its members are the team's members in server/org). A community
// (id "c-<slug>") is an open space around a theme that anyone joins and
// leaves. Every member of staff sees a space's page: description, working
// area, contact and the member list with team roles (reading it is
// recorded in the access log, fail-closed). A post or event is visible to
// the space's members ("team") or to all staff ("organisation");
// communities are always organisation-wide. Team documents are for
// members; a community's documents for everyone. Members post, pin, upload
// and plan; only a post's author edits it; the author or an administrator
// deletes it. Something the actor may not see is 404 (also for
// administrators: there is no reading exception), something they see but
// may not change is 403. Every rule is checked in the service at the
// moment of the request, also for the calendar feed and for the people a
// notification goes to.
//
// # Storage: one change log, the state in memory
//
// On the embedded store every find scans its collection, even a find by
// _id (FerretDB 1.24 builds its _id index on an expression its queries do
// not use; see docs/performance.md). A space's stream therefore cannot be a
// query: two years of 54 teams posting five times a week is 28,000 posts,
// and with comments and reactions some 110,000 things. So every change is
// one small insert-only entry in a change log, and each instance keeps the
// fold of the log in memory — posts with their bodies, comments, reaction
// sets, pins, attachment and document metadata, events, communities and
// their members, announcements and acknowledgements. Reads never touch the
// store (file bytes aside).
//
//   - The log: entries with a global sequence number as _id
//     ("000000012345"), in collections of 1,000 ("teamspace_log_00012"),
//     so that a lookup scans at most 1,000 small documents. A public id is a
//     letter and the sequence of the entry that made the thing: p123 (post),
//     c124 (comment), f125 (attachment), d126 (document), e127 (event), a128
//     (announcement).
//   - Writing: catch up with the log, check the rules against the state,
//     insert the entry with the next number. The unique _id makes the
//     insert fail when another instance took that number first; the writer
//     then catches up and checks again. A check therefore holds for the
//     state the entry is appended to, across instances (optimistic
//     concurrency; there are no updates to lose).
//   - Other instances: the log is a server/store/streamlog stream; Run
//     follows it, woken at once by the broker's signal and polling every
//     second (one point lookup when nothing is new), so another instance's
//     write is visible within a second. A read also catches up when the
//     last catch-up is older than 2 s. Reload re-reads the profile
//     revisions as well (a repair after a failed log entry).
//   - Start: a full segment is sealed — its entries written once more as one
//     deflated BSON document in "teamspace_sealed" — because reading one
//     such document takes ~5 ms where reading its 1,000 entries takes
//     ~110 ms. Start reads the sealed copies and only the unfinished
//     segment entry by entry (and seals what it finds full; Reload seals
//     segments that filled up since).
//   - Profiles: each edit is an insert-only revision in
//     "teamspace_profiles", _id "<space>:<revision, 6 digits>": two edits
//     of the same revision collide on the _id (409). A log entry with the
//     same content tells the other instances. Until a team has a revision,
//     its description, working area and contact come from org's team.
//     These revisions are the one truth about a team's profile: org reads
//     the latest through TeamProfile (org.TeamProfiles) for GET /teams and
//     GET /teams/:id, and an administrator's PATCH /teams/:id of these
//     fields becomes a revision through SetTeamProfile.
//   - Deleting a post or comment removes its words from the store, not only
//     from view: the entries that hold its text are blanked (an update of
//     one entry in a 1,000-entry segment), the segment's sealed copy is
//     rewritten, and the post's files are removed. Deleting a document
//     hides it (and its versions) but keeps the files: documents are
//     organisational records.
//   - Files (attachments, document versions) are stored with server/store/blob
//     under random ids; their metadata is in the log. Type and size are
//     checked from the bytes (blob.Sniff) before anything is stored.
//   - Calendar feed tokens: one document per user in "teamspace_feeds"
//     (_id = user id). The token is stored as is because the settings page
//     shows the URL again; it only reads event titles, and a reset replaces
//     it (the old URL stops working at once: every request reads it).
//
// Measured on the embedded store (2 shared cores; BenchmarkStream, 28,000
// posts over two years with ~111,800 log entries): a page of 20 posts
// 55–60 µs (0.37 ms when no body's HTML is cached yet), also for a
// non-member and deep in the stream; start 0.6–0.75 s from sealed segments
// (12 s the very first time, when nothing is sealed yet); about 50 MiB of
// heap for the state; a catch-up with nothing new 2.7 ms; a post written
// in 5.3 ms. Rendered markdown is kept in an LRU of 4,096 bodies keyed by
// id and revision.
//
// On MongoDB the same code is correct and fast (point lookups use the _id
// index); the segments and sealed copies are then merely unnecessary.
//
// # Notifications and search
//
// The service tells a Notifier (the app's notification centre) about new
// posts in team spaces (the team's members), mentions in posts and
// comments (only people who may see them), replies (the post's author),
// announcements (their audience), new documents and versions, and new
// events (the space's members); never the actor. An Indexer is told about
// every post and document change, local or another instance's; AllPosts,
// AllDocuments and CanSee let a search index be rebuilt and filtered.
package teamspace
