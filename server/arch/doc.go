// Package arch holds no code: its test checks that imports run the way the
// folders say (docs/architecture.md, "Imports").
//
//   - server/app is the only wiring: nothing but server/cmd (and app's own
//     test helpers) imports it.
//   - chat sits beside server/ and uses only the server's libraries (store,
//     httpapi, apperr, identity, identifiers, photo, plaintext, search), never a
//     domain.
//   - no server package but app and cmd imports chat.
//   - gin stays in the HTTP layer: http*.go files, httpapi, app and cmd.
//
// Known exceptions are listed in the test with the reason and the issue that
// removes them; the test fails when one is gone, so the list only shrinks.
package arch
