package httpapi

import "context"

// AccessLogger records access to personal data (NEN 7513): what a handler
// read or changed, of whom (accesslog.Log). The HTTP layer of each domain
// that hands out personal data takes one.
type AccessLogger interface {
	Record(ctx context.Context, action, subject string) error
}
