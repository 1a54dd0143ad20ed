package search

import (
	"hash/fnv"
	"iter"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"golang.org/x/text/unicode/norm"
)

// Token is one word of a text: Text is folded (lower case, no diacritics,
// letters and digits only); Start and End are byte offsets into the original
// string, always on rune boundaries.
type Token struct {
	Text       string
	Start, End int
}

const (
	// maxTermBytes: longer tokens (base64, hashes, URLs glued together) are
	// not indexed.
	maxTermBytes = 64
	// maxQueryTerms: terms after the first 16 of a query are ignored.
	maxQueryTerms = 16
)

// Token kinds: a word on its own, one part of a hyphenated group
// ("zelf" in "zelf-sturend"), or the joined group ("zelfsturend").
const (
	kindPlain uint8 = iota
	kindPart
	kindJoined
)

type token struct {
	Token
	kind uint8
}

// Fold lower-cases s and strips diacritics: the NFKD decomposition without
// non-spacing marks, plus the letters NFKD leaves alone (ß→ss, æ→ae, œ→oe,
// ø→o, ł→l, đ/ð→d, þ→th). "Cliënt" → "client", "ĳs" → "ijs".
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return string(appendFold(make([]byte, 0, len(s)), s))
}

// appendFold appends the folded form of s to dst.
func appendFold(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, s[i-1]) // keep invalid bytes as they are
			continue
		}
		dst = foldRune(dst, r)
	}
	return dst
}

// latinFold holds the folded form of U+00C0–U+024F (Latin-1 Supplement
// and Latin Extended-A/B, where Dutch and its neighbours' letters live).
var latinFold = func() (t [0x250 - 0xc0]string) {
	for r := rune(0xc0); r < 0x250; r++ {
		t[r-0xc0] = string(foldRuneSlow(nil, r))
	}
	return t
}()

func foldRune(dst []byte, r rune) []byte {
	if 0xc0 <= r && r < 0x250 {
		return append(dst, latinFold[r-0xc0]...)
	}
	return foldRuneSlow(dst, r)
}

func foldRuneSlow(dst []byte, r rune) []byte {
	r = unicode.ToLower(r)
	if sp, ok := foldSpecial(r); ok {
		return append(dst, sp...)
	}
	if unicode.Is(unicode.Mn, r) {
		return dst
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if norm.NFKD.IsNormal(buf[:n]) {
		return append(dst, buf[:n]...)
	}
	dec := norm.NFKD.Append(nil, buf[:n]...)
	for j := 0; j < len(dec); {
		d, m := utf8.DecodeRune(dec[j:])
		j += m
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		d = unicode.ToLower(d)
		if sp, ok := foldSpecial(d); ok {
			dst = append(dst, sp...)
			continue
		}
		dst = utf8.AppendRune(dst, d)
	}
	return dst
}

// foldSpecial maps the lower-case letters that NFKD does not decompose.
func foldSpecial(r rune) (string, bool) {
	switch r {
	case 'ß', 'ẞ':
		return "ss", true
	case 'æ':
		return "ae", true
	case 'œ':
		return "oe", true
	case 'ø':
		return "o", true
	case 'ł':
		return "l", true
	case 'đ', 'ð':
		return "d", true
	case 'þ':
		return "th", true
	case 'ı':
		return "i", true
	}
	return "", false
}

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02bc' }

// asciiWord marks ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// isWordStart: a letter or digit begins a word.
func isWordStart(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && asciiWord[r]
	}
	if r == '\u02bc' {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isWordRune: inside a word, combining marks also belong to it
// ("clie\u0308nt" is one word).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isWordStart(r)
	}
	return isWordStart(r) || unicode.IsMark(r)
}

func decodeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return utf8.RuneError, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// wordEnd returns the end of the word run starting at i.
func wordEnd(s string, i int) int {
	for i < len(s) && s[i] < utf8.RuneSelf {
		if !asciiWord[s[i]] {
			return i
		}
		i++
	}
	for i < len(s) {
		r, n := decodeAt(s, i)
		if !isWordRune(r) || (r == utf8.RuneError && n == 1) {
			break
		}
		i += n
	}
	return i
}

// foldWord folds s[start:end] and keeps letters and digits only.
func foldWord(dst []byte, w string) []byte {
	ascii := true
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	mark := len(dst)
	dst = appendFold(dst, w)
	// Compatibility decompositions can yield non-letters ("½" is not a word
	// rune, but "ŉ" gives "ʼn"): keep letters and digits only.
	out := dst[:mark]
	for j := mark; j < len(dst); {
		r, n := utf8.DecodeRune(dst[j:])
		if isWordStart(r) {
			out = append(out, dst[j:j+n]...)
		}
		j += n
	}
	return out
}

// scanner splits text into words without allocating once warm; its
// buffers are reused between calls.
type scanner struct {
	buf   []byte // folded text of the current group's parts, back to back
	parts []scanPart
}

type scanPart struct{ start, end, from, to int }

// scan calls fn for every word of s: its folded text (valid only during
// the call), byte offsets into s and kind. A hyphenated group
// ("zelf-sturend", "covid-19") yields its parts and then the joined word;
// a trailing "'s" ("auto's", "cliënt's") is dropped; other apostrophes
// separate words.
func (sc *scanner) scan(s string, fn func(text []byte, start, end int, kind uint8)) {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if !asciiWord[c] {
				i++
				continue
			}
		} else if r, n := utf8.DecodeRuneInString(s[i:]); !isWordStart(r) {
			i += n
			continue
		}
		sc.buf = sc.buf[:0]
		sc.parts = sc.parts[:0]
		for {
			end := wordEnd(s, i)
			from := len(sc.buf)
			sc.buf = foldWord(sc.buf, s[i:end])
			if len(sc.buf) > from {
				sc.parts = append(sc.parts, scanPart{i, end, from, len(sc.buf)})
			}
			i = end
			c, cn := decodeAt(s, i)
			if isHyphen(c) {
				if nr, _ := decodeAt(s, i+cn); isWordStart(nr) {
					i += cn
					continue
				}
			}
			if isApostrophe(c) {
				if nr, nn := decodeAt(s, i+cn); nr == 's' || nr == 'S' {
					if after, _ := decodeAt(s, i+cn+nn); i+cn+nn >= len(s) || !isWordRune(after) {
						i += cn + nn
					}
				}
			}
			break
		}
		switch ps := sc.parts; {
		case len(ps) == 1:
			fn(sc.buf[ps[0].from:ps[0].to], ps[0].start, ps[0].end, kindPlain)
		case len(ps) > 1:
			kind := kindPart
			if len(sc.buf) > maxTermBytes {
				kind = kindPlain // too long to join: the parts stand alone
			}
			for _, p := range ps {
				fn(sc.buf[p.from:p.to], p.start, p.end, kind)
			}
			if kind == kindPart {
				fn(sc.buf, ps[0].start, ps[len(ps)-1].end, kindJoined)
			}
		}
	}
}

var scannerPool = sync.Pool{New: func() any { return new(scanner) }}

// tokenize appends the tokens of s to out (see scanner.scan).
func tokenize(s string, out []token) []token {
	sc := scannerPool.Get().(*scanner)
	sc.scan(s, func(text []byte, start, end int, kind uint8) {
		var t string
		if string(text) == s[start:end] {
			t = s[start:end] // already folded: share the bytes
		} else {
			t = string(text)
		}
		out = append(out, token{Token{t, start, end}, kind})
	})
	scannerPool.Put(sc)
	return out
}

// Tokens splits s into words (letters and digits, combining marks
// included) with folded text and byte offsets into s. Hyphenated words give
// their parts followed by the joined word spanning all of them:
// "zelf-sturend" → "zelf", "sturend", "zelfsturend". A trailing "'s" is
// dropped ("auto's" → "auto").
func Tokens(s string) []Token {
	toks := tokenize(s, nil)
	out := make([]Token, len(toks))
	for i, t := range toks {
		out[i] = t.Token
	}
	return out
}

// stopWords are Dutch function words: never indexed, dropped from queries.
var stopWords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`
		aan al alle alles als ben bent bij daar dan dat de den der des deze die dit doch door
		dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun
		ik in is ja je jij jou jouw jullie kan kon kunnen maar me meer men met mij mijn moet
		moeten na naar niet niets nog nu of om omdat onder ons onze ook op over reeds te tegen
		toch toen tot u uit uw van voor want waren was wat we wel werd wie wij wil worden wordt
		zal ze zei zich zij zijn zo zonder zou zullen`) {
		m[w] = struct{}{}
	}
	return m
}()

// IsStopWord reports whether the folded word is a Dutch stop word.
func IsStopWord(folded string) bool {
	_, ok := stopWords[folded]
	return ok
}

// Stem returns the Dutch Snowball stem of a folded word, with a trailing
// double consonant undoubled so that "protocollen" and "protocol" meet.
// Words with digits are returned unchanged.
func Stem(folded string) string {
	if folded == "" {
		return folded
	}
	for i := 0; i < len(folded); i++ {
		if c := folded[i]; '0' <= c && c <= '9' {
			return folded
		}
		if folded[i] >= utf8.RuneSelf {
			r, _ := utf8.DecodeRuneInString(folded[i:])
			if unicode.IsDigit(r) {
				return folded
			}
		}
	}
	env := snowballstem.NewEnv(folded)
	dutch.Stem(env)
	st := env.Current()
	if n := len(st); n >= 3 && st[n-1] == st[n-2] && isConsonant(st[n-1]) {
		st = st[:n-1]
	}
	if st == "" {
		return folded
	}
	return st
}

func isConsonant(c byte) bool {
	if c < 'a' || c > 'z' {
		return false
	}
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return false
	}
	return true
}

// stemCache memoises Stem: a vocabulary is a few tens of thousands of
// words, and the Snowball machine allocates per call.
var stemCache = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const stemCacheMax = 1 << 17

// termOf returns the indexed term of a folded word, or "" for a stop word,
// a lone letter or an overlong word: one cache lookup per word.
func termOf(folded []byte) string {
	if len(folded) > maxTermBytes || len(folded) == 0 {
		return ""
	}
	if len(folded) == 1 && !('0' <= folded[0] && folded[0] <= '9') {
		return ""
	}
	if folded[0] >= utf8.RuneSelf && utf8.RuneCount(folded) == 1 {
		if r, _ := utf8.DecodeRune(folded); !unicode.IsDigit(r) {
			return ""
		}
	}
	return stemCachedBytes(folded)
}

// stemCachedBytes looks folded up without allocating (the compiler does not
// copy a []byte converted for a map index). Stop words are cached as "".
func stemCachedBytes(folded []byte) string {
	stemCache.RLock()
	st, ok := stemCache.m[string(folded)]
	stemCache.RUnlock()
	if ok {
		return st
	}
	key := string(folded)
	if _, stop := stopWords[key]; stop {
		st = ""
	} else {
		st = Stem(key)
	}
	stemCache.Lock()
	if len(stemCache.m) >= stemCacheMax {
		clear(stemCache.m)
	}
	stemCache.m[key] = st
	stemCache.Unlock()
	return st
}

// Terms returns the analysed terms of s as they are indexed: the tokens
// (parts of hyphenated words and the joined word), without stop words and
// lone letters, stemmed.
func Terms(s string) []string {
	return appendTerms(nil, s)
}

// appendTerms appends the indexed terms of s to dst.
func appendTerms(dst []string, s string) []string {
	sc := scannerPool.Get().(*scanner)
	sc.scan(s, func(text []byte, _, _ int, _ uint8) {
		if t := termOf(text); t != "" {
			dst = append(dst, t)
		}
	})
	scannerPool.Put(sc)
	return dst
}

// stems yields the analysed words of toks (joined groups, not their
// parts) with their terms, leaving out the words with no term (stop words).
func stems(toks []token) iter.Seq2[token, string] {
	return func(yield func(token, string) bool) {
		for _, t := range toks {
			if t.kind == kindPart {
				continue
			}
			if st := termOf([]byte(t.Text)); st != "" && !yield(t, st) {
				return
			}
		}
	}
}

// qterm is one analysed query word.
type qterm struct {
	stem   string
	folded string
	prefix bool // the last word, still being typed
}

// analyzeQuery turns query text into terms. A hyphenated group counts as
// its joined word only (documents index the joined word too, so
// "zelf-sturend" finds "zelfsturend" and "zelf-sturend"). With prefix, the
// last word is a prefix unless the text ends after it (a space or
// punctuation says the word is complete). Duplicate stems are merged; at
// most maxQueryTerms are kept.
func analyzeQuery(text string, prefix bool) []qterm {
	toks := tokenize(text, nil)
	lastEnd := -1
	for _, t := range toks {
		if t.kind != kindPart && t.End > lastEnd {
			lastEnd = t.End
		}
	}
	var out []qterm
	for t, st := range stems(toks) {
		isPrefix := prefix && t.End == lastEnd && t.End == len(text)
		dup := false
		for i := range out {
			if out[i].stem == st {
				out[i].prefix = out[i].prefix || isPrefix
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if len(out) == maxQueryTerms {
			break
		}
		out = append(out, qterm{stem: st, folded: t.Text, prefix: isPrefix})
	}
	return out
}

// phraseKey identifies a sequence of analysed words (joined groups, no
// stop words): a title and a query with the same key are an exact title
// match. 0 means no words.
func phraseKey(toks []token) uint64 {
	h := fnv.New64a()
	n := 0
	for _, st := range stems(toks) {
		h.Write([]byte(st))
		h.Write([]byte{0})
		n++
	}
	if n == 0 {
		return 0
	}
	if k := h.Sum64(); k != 0 {
		return k
	}
	return 1
}
