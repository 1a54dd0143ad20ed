// Package broker fans chat messages out between the server instances of Plein.
//
// A Hub publishes every chat message it has stored through a Broker, and every
// instance's Hub (including the publishing one) receives it through its
// subscription and writes it to its locally connected clients. Two
// implementations exist:
//
//   - broker/memory: in-process, for a single instance (REDIS_URL empty) and tests;
//   - broker/redis (package redisbroker): Redis pub/sub, for several instances.
//
// Both pass the same contract tests in broker/brokertest.
//
// # At-most-once: the store is the truth
//
// Delivery through a Broker is at-most-once. Redis pub/sub forgets a message
// the moment it has been sent, drops subscribers whose output buffer grows too
// large, and loses everything published while a subscriber's connection is
// down. The brokers here add their own bounded queue per subscription and drop
// (and count) rather than block a publisher when a subscriber falls behind.
//
// That is acceptable because a broker message is only a hint. The store
// (MongoDB, with a sequence number per chat channel) is the truth: a message is
// stored before it is published, so a failed or lost publish is never data
// loss. Consumers must therefore:
//
//   - treat a gap in sequence numbers as "fetch the missing range from the store";
//   - treat a duplicate (a sequence number already seen) as harmless and skip it;
//   - on a Reconnected event, make every connected client catch up from the
//     store, since anything published between Disconnected and Reconnected may
//     have been lost.
//
// Handlers run on the broker's delivery goroutines and must not block for long;
// the payload they receive is read-only and may be shared with other
// subscribers.
package broker
