// Package push sends standards Web Push (RFC 8030, payload encrypted as
// RFC 8291 aes128gcm, the server identified by VAPID, RFC 8292) for the
// notifications the notification centre delivers: the app wires
// Service.Forward as notify's Forwarder, so mentions, conversation
// messages (ephemeral notices), announcements, protocols to confirm and
// learning and event reminders all take one path. Encryption and VAPID are
// github.com/SherClockHolmes/webpush-go.
//
// # What a push says
//
// Push services and lock screens see a push, so it carries no personal or
// client content (docs/security.md, "Web Push"): a title naming the kind
// and at most the actor's first name, a body naming at most the place (a
// channel, space or team), and the app path to open. Never a
// notification's title or text. The language is the person's push setting
// (set from the app's language when a device subscribes).
//
// # Storage
//
//   - push_users "<user>": one small document per person with their
//     devices (at most MaxDevices; endpoint and keys never leave the
//     server), quiet hours and language. Written on their own actions and
//     when a push service calls a device gone (404/410), conditional on its
//     version.
//   - push_endpoints "<device id>": who subscribed an endpoint last. A
//     device that another person subscribes (a shared tablet) is removed
//     from the previous person first, so their pushes never reach it.
//
// Sending reads the person's document by _id (one point lookup per
// recipient with devices). Who has devices at all is kept in memory:
// loaded at start, then following the app's change log (Options.OnChange
// logs each local change; the app calls Refresh for another instance's,
// within a second), so a notice to 5,000 people costs no lookups for those
// without.
//
// A device is tied to the login session it was turned on in: the
// session's end (logout) removes it (SessionEnded).
//
// # Delivery
//
// Forward never blocks: it hands the push to a committer, which writes
// pushes in batches to the outbox (push_outbox, "<nanos>-<random>": the
// kind, the actor's first name, the place and the link; never a title or
// text) and queues them; two senders read the person's document, skip the
// push during quiet hours, POST to each device through a client that
// connects only to public addresses, checked on the address dialled after
// name resolution (no SSRF to the internal network through a crafted
// endpoint), and delete the push from the outbox by _id. A restart loses
// no push: what a stopped process left in the outbox is sent by the next
// start or any instance's sweep (every minute) once it has waited five
// minutes, claimed by inserting "<push id>@<window>" (outbox.go). Too many
// waiting pushes (Options.Queue): the push is dropped and logged; the
// notification centre still has the notification.

package push
