package knowledge

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plein/plein/server/apperr"
	"github.com/plein/plein/server/identity"
	"github.com/plein/plein/server/plaintext"
)

// FeedbackInput is a question or an "outdated" flag.
type FeedbackInput struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

// AnswerInput answers feedback.
type AnswerInput struct {
	Text string `json:"text"`
}

// FeedbackView is feedback with its answer.
type FeedbackView struct {
	ID           string    `json:"id"`
	ArticleID    string    `json:"articleId"`
	ArticleTitle string    `json:"articleTitle"`
	Kind         string    `json:"kind"`
	Text         string    `json:"text"`
	Author       PersonRef `json:"author"`
	CreatedAt    time.Time `json:"createdAt"`
	Answer       *struct {
		Text   string    `json:"text"`
		Author PersonRef `json:"author"`
		At     time.Time `json:"at"`
	} `json:"answer,omitempty"`
}

func checkText(field, text string, max int) (string, error) {
	t := strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if t == "" || len([]rune(t)) > max || !plaintext.Text(t) {
		return "", apperr.Invalid(field, "length", fmt.Sprintf("write 1 to %d characters", max), apperr.Params{"min": 1, "max": max})
	}
	return t, nil
}

// AddFeedback stores a reader's question or flag.
func (s *Service) AddFeedback(ctx context.Context, a *identity.Actor, id string, in FeedbackInput) (*FeedbackView, error) {
	v := s.viewerOf(a)
	s.mu.RLock()
	h, err := s.lookup(v, id)
	published := err == nil && h.Published != nil
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	var verr apperr.Validator
	verr.Check(in.Kind == "question" || in.Kind == "outdated", "kind", "invalid_date", "use question or outdated")
	text, terr := checkText("text", in.Text, maxFeedback)
	if terr != nil {
		verr.Add("text", "length", fmt.Sprintf("write 1 to %d characters", maxFeedback), apperr.Params{"min": 1, "max": maxFeedback})
	}
	if err := verr.Err(); err != nil {
		return nil, err
	}
	if !published {
		return nil, apperr.Conflict("conflict", "feedback is for published articles")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	now := s.now().UTC().Truncate(time.Millisecond)
	f := &Feedback{ID: fmt.Sprintf("%s:%d%s", id, now.UnixMilli(), hex.EncodeToString(b)), Article: id, Kind: in.Kind, Text: text,
		Author: person(a), CreatedAt: now}
	if err := insert(ctx, s.st.feedback, f, "duplicate feedback"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.feedback[f.ID] = f
	s.mu.Unlock()
	if err := s.logChange(ctx, change{Kind: "feedback", Ref: f.ID, Art: id}); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.feedbackView(f), nil
}

func (s *Service) feedbackView(f *Feedback) *FeedbackView {
	out := &FeedbackView{ID: f.ID, ArticleID: f.Article, Kind: f.Kind, Text: f.Text, Author: f.Author, CreatedAt: f.CreatedAt}
	if h := s.heads[f.Article]; h != nil {
		if h.Published != nil {
			out.ArticleTitle = h.Published.Title
		} else {
			out.ArticleTitle = h.Draft.Title
		}
	}
	if ans := s.answers[f.ID]; ans != nil {
		out.Answer = &struct {
			Text   string    `json:"text"`
			Author PersonRef `json:"author"`
			At     time.Time `json:"at"`
		}{ans.Text, ans.Author, ans.At}
	}
	return out
}

// ArticleFeedback lists an article's feedback: all for editors, own otherwise.
func (s *Service) ArticleFeedback(a *identity.Actor, id string) ([]*FeedbackView, error) {
	v := s.viewerOf(a)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, err := s.lookup(v, id); err != nil {
		return nil, err
	}
	out := []*FeedbackView{}
	for _, f := range s.feedback {
		if f.Article == id && (v.editor || f.Author.ID == a.UserID) {
			out = append(out, s.feedbackView(f))
		}
	}
	slices.SortFunc(out, func(x, y *FeedbackView) int { return x.CreatedAt.Compare(y.CreatedAt) })
	return out, nil
}

// Inbox lists feedback for editors, newest first; open only unanswered.
func (s *Service) Inbox(a *identity.Actor, open bool) ([]*FeedbackView, error) {
	if err := requireEditor(a); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []*FeedbackView{}
	for _, f := range s.feedback {
		if open && s.answers[f.ID] != nil {
			continue
		}
		out = append(out, s.feedbackView(f))
	}
	slices.SortFunc(out, func(x, y *FeedbackView) int { return y.CreatedAt.Compare(x.CreatedAt) })
	return out, nil
}

// AnswerFeedback answers feedback once; the asker is notified.
func (s *Service) AnswerFeedback(ctx context.Context, a *identity.Actor, fid string, in AnswerInput) (*FeedbackView, error) {
	if err := requireEditor(a); err != nil {
		return nil, err
	}
	if err := s.Sync(ctx); err != nil {
		return nil, err
	}
	s.mu.RLock()
	f := s.feedback[fid]
	answered := f != nil && s.answers[fid] != nil
	s.mu.RUnlock()
	if f == nil {
		return nil, apperr.NotFound("not_found", "feedback not found")
	}
	text, err := checkText("text", in.Text, maxFeedback)
	if err != nil {
		return nil, err
	}
	if answered {
		return nil, apperr.Conflict("conflict", "this feedback has been answered already")
	}
	ans := &Answer{ID: fid, Text: text, Author: person(a), At: s.now().UTC().Truncate(time.Millisecond)}
	if err := insert(ctx, s.st.answers, ans, "this feedback has been answered already"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.answers[fid] = ans
	s.mu.Unlock()
	if err := s.logChange(ctx, change{Kind: "answer", Ref: fid, Art: f.Article}); err != nil {
		return nil, err
	}
	s.mu.RLock()
	view := s.feedbackView(f)
	s.mu.RUnlock()
	if s.notify != nil && f.Author.ID != a.UserID {
		s.notify(ctx, []string{f.Author.ID}, "reply", view.ArticleTitle, "Je vraag is beantwoord.", "/kennisbank/"+f.Article, "kb_answer:"+fid)
	}
	return view, nil
}
