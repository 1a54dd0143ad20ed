package devidp

import (
	"bytes"
	"context"
	_ "embed"
	"html/template"
	"net/http"
)

// maxLoginForm bounds the size of the login POST body.
const maxLoginForm = 16 << 10

// loginCSS is served at <issuer>/login.css so the pages need no inline
// style or script and work under a strict Content-Security-Policy.
//
//go:embed login.css
var loginCSS []byte

// pageCSP is sent with our own pages. form-action is left open on purpose:
// browsers apply it to the redirects that follow the form POST, which end at
// the relying party's redirect_uri.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'"

var pages = template.Must(template.New("layout").Parse(`{{define "head"}}<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Plein — demo-aanmelding</title>
<link rel="stylesheet" href="{{.CSS}}">
</head>
<body>
<main>
<h1>Plein — demo-aanmelding</h1>
{{end}}
{{define "foot"}}</main>
</body>
</html>
{{end}}
{{define "login"}}{{template "head" .}}<p class="intro">Dit is de aanmelding voor ontwikkeling en demo’s. In productie meld je je aan via de eigen identity provider van je organisatie.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="id" value="{{.ID}}">
<fieldset>
<legend>Kies een demo-gebruiker</legend>
<ul class="users">
{{range .Users}}<li><button type="submit" name="sub" value="{{.Sub}}"><span class="name">{{.Name}}</span>{{if .Description}}<span class="desc">{{.Description}}</span>{{end}}</button></li>
{{end}}</ul>
</fieldset>
</form>
{{template "foot" .}}{{end}}
{{define "message"}}{{template "head" .}}<p class="message" role="status">{{.Message}}</p>
{{template "foot" .}}{{end}}
`))

// login serves the demo login page and handles the choice of a user.
type login struct {
	storage  *storage
	basePath string                                      // issuer path, e.g. "/dev-idp"
	callback func(ctx context.Context, id string) string // op.AuthCallbackURL
}

func newLogin(st *storage, basePath string, callback func(context.Context, string) string) *login {
	return &login{storage: st, basePath: basePath, callback: callback}
}

type loginPage struct {
	CSS    string
	Action string
	ID     string
	Users  []User
}

type messagePage struct {
	CSS     string
	Message string
}

// showLogin renders the list of demo users for an auth request
// (GET <issuer>/login?authRequestID=...). The op package redirects here.
func (l *login) showLogin(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	if id == "" || !l.storage.hasAuthRequest(id) {
		l.message(w, http.StatusBadRequest, "Deze aanmeldpoging is onbekend of verlopen. Ga terug naar Plein en meld je opnieuw aan.")
		return
	}
	l.render(w, http.StatusOK, "login", loginPage{
		CSS:    l.basePath + pathLoginCSS,
		Action: l.basePath + pathLogin,
		ID:     id,
		Users:  l.storage.userList,
	})
}

// chooseUser completes the login for the chosen user
// (POST <issuer>/login with form fields id and sub) and sends the browser
// back to the provider's callback, which redirects to the relying party.
func (l *login) chooseUser(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		l.message(w, http.StatusBadRequest, "Ongeldig formulier.")
		return
	}
	id, sub := r.PostForm.Get("id"), r.PostForm.Get("sub")
	if id == "" || !l.storage.hasAuthRequest(id) {
		l.message(w, http.StatusBadRequest, "Deze aanmeldpoging is onbekend of verlopen. Ga terug naar Plein en meld je opnieuw aan.")
		return
	}
	if _, ok := l.storage.user(sub); !ok {
		l.message(w, http.StatusBadRequest, "Onbekende demo-gebruiker.")
		return
	}
	if err := l.storage.completeLogin(id, sub); err != nil {
		// The request expired between the two checks.
		l.message(w, http.StatusBadRequest, "Deze aanmeldpoging is onbekend of verlopen. Ga terug naar Plein en meld je opnieuw aan.")
		return
	}
	http.Redirect(w, r, l.callback(r.Context(), id), http.StatusSeeOther)
}

// showLoggedOut is the default target after logout when the relying party
// did not ask for (or was not allowed) a post_logout_redirect_uri.
func (l *login) showLoggedOut(w http.ResponseWriter, _ *http.Request) {
	l.message(w, http.StatusOK, "Je bent afgemeld bij de demo-aanmelding.")
}

func (l *login) message(w http.ResponseWriter, status int, msg string) {
	l.render(w, status, "message", messagePage{CSS: l.basePath + pathLoginCSS, Message: msg})
}

// render executes a template into a buffer first, so a template error does
// not leave a half-written page.
func (l *login) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// serveCSS serves the stylesheet of the login pages.
func serveCSS(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/css; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(loginCSS)
}
