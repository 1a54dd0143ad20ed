// Package notify is the notification centre: every domain calls
// Service.Notify(ctx, userIDs, Notice) ("Anouk mentioned you", "new
// announcement", "confirm the new protocol"); users list their own
// notifications, mark them read, set per-kind preferences, and get new ones
// live over the chat websocket through a Pusher.
//
// # Storage: insert-only notifications, point lookups, per-user sequences
//
// On the embedded FerretDB only finds by exact _id are fast; every other
// find, update and delete reads the whole collection (about 3.5 µs per
// document for an update or delete, 20 µs for a find). Notifications are
// the biggest collection Plein has (an announcement to 5,000 people is
// 5,000 documents), so they are only ever inserted and read by _id:
//
//   - notify_items: "<user>:<seq, 12 digits>", one per user and notice.
//     A user's sequence numbers are dense from 1, so any page is a set of
//     known _ids (parallel point lookups) and the newest is found from any
//     lower bound by exponential then binary search (one lookup when the
//     bound is right). The public id is "<user>:<seq>": ids of other users'
//     notifications can never name one of yours (404).
//   - notify_users: one small document per user who ever read something or
//     set preferences: read marker (everything ≤ readTo is read), the
//     sequences read individually above it, kinds switched off, live on/off.
//     Written on user actions only, conditional on its version (optimistic
//     concurrency: a conflict re-reads and re-applies; read marks merge).
//   - notify_keys: "<user>:k:<sha256(key)>" dedup claims, inserted before
//     the notification; a duplicate _id means "already notified".
//   - notify_jobs: an outbox of fan-outs not finished yet (small).
//   - notify_meta "heads": every user's newest sequence as the instances last
//     merged it and the last change-log entry that includes (saved by the
//     reload tick when it advanced), so a restarted instance knows where
//     everybody stands without searching; and users forgotten lately, whom
//     every instance drops from memory.
//
// Sequences are taken from memory (each instance knows every user's newest
// as far as it wrote or read it) under one write lock per instance; when
// another instance took the number first the insert collides on _id, the
// writer searches the newest and retries. A failed insert leaves no gap (the
// number is simply taken again). Unread = head − readTo − (read above it),
// with everything older than the newest Horizon (1,000) counted as read, so
// the count and the set of individually read ones stay bounded.
//
// # Delivery and reliability
//
// Notify drops invalid notices (unknown kind, no title; links must be app
// paths "/…", anything else such as javascript: is removed), never notifies
// the actor, and skips users who switched the kind off (those are not
// stored at all: switching the kind on later does not bring them back).
// Users with live off get no websocket frame but see the notification.
//
// Every notification stored for a person is also handed to the Forwarder
// (the app wires Web Push, server/push), once, after the write. Ephemeral
// notices (a chat message in a conversation, kind "message") pass the same
// checks (kind switched off, never the actor) and reach only the
// Forwarder: they are not stored and send no live frame. A notice may name
// its Place (a channel, space or team) for such content-free messages.
//
//   - Up to Options.AsyncOver (50) users: stored before Notify returns (and
//     pushed). Recipients' state documents are read first, so preferences
//     and read marks set on another instance count at once. The caller waits
//     at most Options.InlineFor (2 s) for this: users not reached by then
//     are recorded as a job (with its own deadline) for the worker, so a
//     slow store delays notices but neither loses them nor holds the
//     request.
//   - More: Notify stores one job document (users and notice; about 40 ms
//     for 5,000 users) and returns; this instance's worker fans it out in
//     batches of 500 with InsertMany (about 1.5 s for 5,000 on the embedded
//     store on a loaded 2-core machine), recording progress per batch. Once
//     Notify has returned the notice survives a crash: a job whose owner
//     shows no progress for Options.StaleJob (2 min) is taken over by any
//     instance at its reload tick (Close hands unfinished jobs back at
//     once). A taken-over or retried batch is "careful": before writing it
//     checks each user's newest notifications for the job (and its own dedup
//     claims), so nobody gets a notice twice.
//   - A store failure is retried (with backoff); users still not reached are
//     written as a job for the worker. Only when the store refuses that too
//     is the notice lost, and logged as an error (Notify has no error
//     result: the caller's own write has succeeded by then).
//
// # Several instances
//
// Reads (list, unread count, preferences, mark read) are served from
// memory. The change log notify_changes (follow.go) keeps every instance's
// memory within a second of the others (the app's freshness rule; at once
// when the broker carries the signal): a write of a state document appends
// the person's id (the others read that one document by _id), and every
// delivery batch appends its recipients' new newest sequences (the others
// merge them). The writing instance changes its own memory first, so its
// own writes show at once. A mark-read naming a notification above the
// newest this instance knows (stored elsewhere in the last second) looks
// that person's newest up in the store. The page's items are point lookups
// (cached for people who listed lately).
//
// Reload (the app's 30-second tick) reads the shared heads (one document)
// and saves them merged with this instance's when it holds newer ones,
// together with the last change-log entry they include; it drops idle
// caches and takes over abandoned jobs. A starting instance, and a follower
// that finds the log pruned past it, reads every state document and the
// heads document and replays the heads of the entries after it. When the
// append of a delivery's entry fails, the others learn those heads from
// the heads document at their next tick (at most 30 s later).
//
// # Memory
//
// Per user: counters, the read set and a window of at most Options.Recent
// (100) newest notifications, kept only for users who listed them on this
// instance in the last hour. Contents are interned (unique.Handle), so a
// broadcast is held once: 5,000 users × 100 cached broadcast items ≈ 10 MB;
// 100 distinct mentions each (the worst case) ≈ 210 MB.
//
// # AVG
//
// Forget(user) deletes the user's notifications, dedup claims and state
// (DeleteMany by user: a scan, acceptable for a rare administrative act) and
// announces it in the heads document; other instances drop what they hold
// at their next reload. Notifications that name the user as actor, in other
// people's lists, keep the name.
package notify
