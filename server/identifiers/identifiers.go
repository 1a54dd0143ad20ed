// Package identifiers finds likely client identifiers in free text: a BSN
// (citizen service number, checked with the 11-proef), a date of birth next
// to a name or a word such as "geb." or "geboortedatum", and a Dutch address
// (a postcode with a house number, or a street name with a number). Client
// data belongs in the care record, not in chat, team posts or the agenda;
// services refuse such text unless the writer acknowledges it, and search
// and the access log keep the matched text out (Mask).
//
// A finding is a kind and a byte range. Nothing here logs, returns or keeps
// the matched text itself; callers must not either.
package identifiers

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/plein/plein/server/plaintext"
)

// Kind is what a finding looks like.
type Kind string

// The kinds of finding.
const (
	KindBSN       Kind = "bsn"
	KindBirthDate Kind = "birthdate"
	KindAddress   Kind = "address"
)

// Finding is one likely identifier: its kind and its byte range in the text.
type Finding struct {
	Kind       Kind
	Start, End int
}

// MaxScan bounds the work per text: only the first MaxScan bytes are read
// (every body Plein accepts is shorter).
const MaxScan = 1 << 20

// Find returns the likely identifiers in text, ordered by position and not
// overlapping. It reads each byte a bounded number of times.
func Find(text string) []Finding {
	if len(text) > MaxScan {
		text = text[:MaxScan]
	}
	nums := findNumbers(text, nil)
	streets := findStreets(text, nil)
	if len(streets) == 0 {
		return nums
	}
	// Both lists are in order: merge them, joining overlaps (the first kind
	// covers both).
	out := make([]Finding, 0, len(nums)+len(streets))
	for len(nums) > 0 || len(streets) > 0 {
		var f Finding
		if len(streets) == 0 || len(nums) > 0 && nums[0].Start <= streets[0].Start {
			f, nums = nums[0], nums[1:]
		} else {
			f, streets = streets[0], streets[1:]
		}
		if n := len(out); n > 0 && f.Start < out[n-1].End {
			out[n-1].End = max(out[n-1].End, f.End)
			continue
		}
		out = append(out, f)
	}
	return out
}

// Contains reports whether text has a likely identifier.
func Contains(text string) bool { return len(Find(text)) > 0 }

// Mask returns text with every finding replaced by as many "•" as it has
// characters, so a snippet or an index never holds the identifier.
func Mask(text string) string {
	fs := Find(text)
	if len(fs) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	prev := 0
	for _, f := range fs {
		b.WriteString(text[prev:f.Start])
		b.WriteString(strings.Repeat("•", utf8.RuneCountInString(text[f.Start:f.End])))
		prev = f.End
	}
	b.WriteString(text[prev:])
	return b.String()
}

// ---- numbers: BSN, dates, postcodes ----

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// match reports whether s[i:] starts with pattern, where 'd' is any digit
// and every other byte stands for itself; it returns the end.
func match(s string, i int, pattern string) (int, bool) {
	if len(s)-i < len(pattern) {
		return 0, false
	}
	for k := 0; k < len(pattern); k++ {
		c := s[i+k]
		if pattern[k] == 'd' {
			if !isDigit(c) {
				return 0, false
			}
		} else if c != pattern[k] {
			return 0, false
		}
	}
	return i + len(pattern), true
}

// bsnPatterns are the ways a BSN is written: plain, or in groups of 3-3-3
// or 4-2-3 with dots, spaces or dashes.
var bsnPatterns = []string{"ddddddddd", "ddd.ddd.ddd", "dddd.dd.ddd", "ddd ddd ddd", "dddd dd ddd", "ddd-ddd-ddd", "dddd-dd-ddd"}

// ElfProef reports whether nine digits pass the 11-proef for a BSN: the
// weighted sum 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not
// zero, which only numbers such as 000000000 give).
func ElfProef(digits string) bool {
	if len(digits) != 9 {
		return false
	}
	sum := 0
	for k := 0; k < 9; k++ {
		c := digits[k]
		if !isDigit(c) {
			return false
		}
		w := 9 - k
		if k == 8 {
			w = -1
		}
		sum += w * int(c-'0')
	}
	return sum != 0 && sum%11 == 0
}

// numberContinues reports whether a number goes on at i: a separator
// (. , - / :) or, when spaced is set, a space, followed by a digit.
func numberContinues(s string, i int, spaced bool) bool {
	if i+1 >= len(s) || !isDigit(s[i+1]) {
		return false
	}
	switch s[i] {
	case '.', ',', '-', '/', ':':
		return true
	case ' ':
		return spaced
	}
	return false
}

// numberBefore reports whether a number or a phone prefix ends just before i.
func numberBefore(s string, i int, spaced bool) bool {
	if i < 2 {
		return false
	}
	switch s[i-1] {
	case '+':
		return true
	case '.', ',', '-', '/', ':':
		return isDigit(s[i-2])
	case ' ':
		if !isDigit(s[i-2]) {
			return false
		}
		if spaced {
			return true
		}
		// "+31 612345678" or "0031 612345678": a country code, so a phone.
		k := i - 2
		for k >= 0 && isDigit(s[k]) {
			k--
		}
		return (k >= 0 && s[k] == '+') || strings.HasPrefix(s[k+1:i-1], "00")
	}
	return false
}

// currencyBefore reports a currency sign just before i (an amount, not a BSN).
func currencyBefore(s string, i int) bool {
	t := strings.TrimRight(window(s, i, 8), " ")
	return strings.HasSuffix(t, "€") || strings.HasSuffix(t, "$") || strings.HasSuffix(strings.ToLower(t), "eur")
}

func findNumbers(s string, out []Finding) []Finding {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		runEnd := i
		for runEnd < len(s) && isDigit(s[runEnd]) {
			runEnd++
		}
		if plaintext.WordBefore(s, i) {
			i = runEnd - 1
			continue
		}
		if f, ok := bsnAt(s, i); ok {
			out = append(out, f)
			i = f.End - 1
			continue
		}
		if f, ok := dateAt(s, i); ok {
			out = append(out, f)
			i = f.End - 1
			continue
		}
		if f, ok := postcodeAt(s, i); ok {
			out = append(out, f)
			i = f.End - 1
			continue
		}
		i = runEnd - 1
	}
	return out
}

func bsnAt(s string, i int) (Finding, bool) {
	for _, p := range bsnPatterns {
		end, ok := match(s, i, p)
		if !ok {
			continue
		}
		spaced := strings.IndexByte(p, ' ') >= 0
		if plaintext.WordAt(s, end) || numberContinues(s, end, spaced) || numberBefore(s, i, spaced) || currencyBefore(s, i) {
			continue
		}
		var d [9]byte
		n := 0
		for k := i; k < end; k++ {
			if isDigit(s[k]) {
				d[n] = s[k]
				n++
			}
		}
		if ElfProef(string(d[:])) {
			return Finding{KindBSN, i, end}, true
		}
	}
	return Finding{}, false
}

// ---- dates of birth ----

var months = map[string]int{
	"januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4,
	"mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8, "september": 9, "sep": 9,
	"sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// readInt reads up to max digits at i.
func readInt(s string, i, maxDigits int) (n, end int) {
	end = i
	for end < len(s) && end-i < maxDigits && isDigit(s[end]) {
		n = n*10 + int(s[end]-'0')
		end++
	}
	return n, end
}

// dateAt reads a date at i ("12-03-1950", "1/3/50", "12 maart 1950") and
// reports it when it reads as a date of birth.
func dateAt(s string, i int) (Finding, bool) {
	day, j := readInt(s, i, 2)
	if j == i || (j < len(s) && isDigit(s[j])) || day < 1 || day > 31 || j >= len(s) {
		return Finding{}, false
	}
	var month, year, end int
	yearDigits := 0
	if sep := s[j]; sep == '-' || sep == '/' || sep == '.' {
		m, k := readInt(s, j+1, 2)
		if k == j+1 || k >= len(s) || s[k] != sep {
			return Finding{}, false
		}
		y, e := readInt(s, k+1, 4)
		if e < len(s) && isDigit(s[e]) {
			return Finding{}, false
		}
		month, year, end, yearDigits = m, y, e, e-(k+1)
	} else if sep == ' ' {
		k := j + 1
		w := k
		for w < len(s) && (s[w] >= 'a' && s[w] <= 'z' || s[w] >= 'A' && s[w] <= 'Z') {
			w++
		}
		m, ok := months[strings.ToLower(s[k:w])]
		if !ok {
			return Finding{}, false
		}
		if w < len(s) && s[w] == '.' {
			w++
		}
		if w >= len(s) || s[w] != ' ' {
			return Finding{}, false
		}
		y, e := readInt(s, w+1, 4)
		if e < len(s) && isDigit(s[e]) {
			return Finding{}, false
		}
		month, year, end, yearDigits = m, y, e, e-(w+1)
	} else {
		return Finding{}, false
	}
	if month < 1 || month > 12 || (yearDigits != 4 && yearDigits != 2) || plaintext.WordAt(s, end) || numberContinues(s, end, false) {
		return Finding{}, false
	}
	if yearDigits == 4 && (year < 1880 || year > 2099) {
		return Finding{}, false
	}
	if keywordBefore(s, i) || (yearDigits == 4 && year <= birthYearLimit && nameBefore(s, i)) {
		return Finding{KindBirthDate, i, end}, true
	}
	return Finding{}, false
}

// birthYearLimit: a date next to a name reads as a birth date only when it
// is at least 15 years ago (a client, not a meeting or a visit).
var birthYearLimit = time.Now().Year() - 15

// window returns up to n bytes before i on the same line.
func window(s string, i, n int) string {
	start := max(0, i-n)
	w := s[start:i]
	if k := strings.LastIndexByte(w, '\n'); k >= 0 {
		w = w[k+1:]
	}
	return w
}

// words splits w into words of letters.
func words(w string) []string {
	return strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) })
}

var birthWords = map[string]bool{
	"geb": true, "geboren": true, "geboortedatum": true, "gebdatum": true, "geboortedag": true,
	"dob": true, "born": true, "birth": true, "birthdate": true,
}

func keywordBefore(s string, i int) bool {
	for _, w := range words(window(s, i, 40)) {
		if birthWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

var titles = map[string]bool{
	"mevr": true, "mw": true, "mevrouw": true, "dhr": true, "hr": true, "meneer": true,
	"cliënt": true, "client": true, "cliënte": true, "patiënt": true, "patient": true,
}

// notNames are capitalised words that often stand before a date.
var notNames = map[string]bool{
	"sinds": true, "vanaf": true, "per": true, "tot": true, "op": true, "om": true, "in": true, "na": true,
	"voor": true, "van": true, "datum": true, "tussen": true, "rond": true, "eind": true, "begin": true,
	"medio": true, "dd": true, "tm": true, "en": true, "de": true, "het": true, "t": true, "m": true,
	"maandag": true, "dinsdag": true, "woensdag": true, "donderdag": true, "vrijdag": true, "zaterdag": true,
	"zondag": true, "deadline": true, "versie": true, "vastgesteld": true, "gewijzigd": true,
}

// nameBefore reports a title (mevr., dhr., cliënt) in the few words before
// i, or a capitalised word (a surname) right before it.
func nameBefore(s string, i int) bool {
	ws := words(window(s, i, 32))
	for _, w := range ws {
		if titles[strings.ToLower(w)] {
			return true
		}
	}
	if len(ws) == 0 {
		return false
	}
	// Only punctuation and spaces between the last word and the date.
	w := window(s, i, 32)
	tail := strings.TrimRight(w, " ,(:-–")
	last := ws[len(ws)-1]
	if !strings.HasSuffix(tail, last) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(last)
	return unicode.IsUpper(r) && utf8.RuneCountInString(last) >= 2 && !notNames[strings.ToLower(last)] && months[strings.ToLower(last)] == 0
}

// ---- addresses ----

// postcodeAt reads a postcode (1234 AB, 1234AB) with a house number close
// before ("Kerkstraat 12, 1234 AB") or after ("1234 AB 12").
func postcodeAt(s string, i int) (Finding, bool) {
	end, ok := match(s, i, "dddd")
	if !ok || s[i] == '0' || numberBefore(s, i, false) {
		return Finding{}, false
	}
	if end < len(s) && s[end] == ' ' {
		end++
	}
	if end+2 > len(s) || !isUpperASCII(s[end]) || !isUpperASCII(s[end+1]) || plaintext.WordAt(s, end+2) {
		return Finding{}, false
	}
	if l := s[end : end+2]; l == "SA" || l == "SD" || l == "SS" {
		return Finding{}, false
	}
	pcEnd := end + 2
	// A house number after: "1234 AB 12" or "1234 AB, nr. 12".
	after := s[pcEnd:min(len(s), pcEnd+10)]
	if k := strings.IndexByte(after, '\n'); k >= 0 {
		after = after[:k]
	}
	for k := 0; k < len(after); k++ {
		if isDigit(after[k]) {
			n := k
			for n < len(after) && isDigit(after[n]) {
				n++
			}
			if n-k <= 4 {
				return Finding{KindAddress, i, pcEnd + n}, true
			}
			break
		}
		if strings.HasPrefix(strings.ToLower(after[k:]), "nr") {
			k++ // "nr" or "nr." before the number
			continue
		}
		if plaintext.WordAt(after, k) {
			break
		}
	}
	// A house number before, on the same line: "Kerkstraat 12, 1234 AB".
	w := window(s, i, 40)
	base := i - len(w)
	for k := len(w) - 1; k >= 0; k-- {
		if isDigit(w[k]) {
			e := k + 1
			for k > 0 && isDigit(w[k-1]) {
				k--
			}
			if e-k <= 4 && k > 0 && w[k-1] == ' ' {
				return Finding{KindAddress, base + k, pcEnd}, true
			}
			break
		}
	}
	return Finding{}, false
}

func isUpperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

var streetSuffixes = []string{
	"straatweg", "straat", "laan", "weg", "plein", "gracht", "singel", "kade", "dijk", "steeg", "dreef",
	"hof", "markt", "plantsoen", "boulevard", "allee", "burgwal", "haven", "pad", "park",
}

// notStreets end like a street but are ordinary words.
var notStreets = map[string]bool{
	"onderweg": true, "halverweg": true, "halfweg": true, "omweg": true, "zijweg": true, "luchtweg": true,
	"uitweg": true, "tussenweg": true, "snelweg": true, "middenweg": true, "doorweg": true,
}

// units after a number say it is not a house number.
var units = map[string]bool{
	"uur": true, "u": true, "min": true, "minuten": true, "minuut": true, "keer": true, "jaar": true, "jaren": true,
	"dag": true, "dagen": true, "week": true, "weken": true, "maand": true, "maanden": true, "km": true, "m": true,
	"meter": true, "x": true, "procent": true, "euro": true, "cliënten": true, "clienten": true, "mensen": true,
	"personen": true, "collega": true, "collega's": true, "stuks": true, "kilometer": true, "plaatsen": true,
}

// findStreets finds "Kerkstraat 12", "kerkstraat 12a", "Dorpsweg 3-5".
func findStreets(s string, out []Finding) []Finding {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		start := i
		for i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) && r != '\'' {
				break
			}
			i += size
		}
		if i+1 >= len(s) || s[i] != ' ' || !isDigit(s[i+1]) || s[i+1] == '0' {
			continue
		}
		word := strings.ToLower(s[start:i])
		if notStreets[word] {
			continue
		}
		street := false
		for _, suf := range streetSuffixes {
			if strings.HasSuffix(word, suf) && len(word) >= len(suf)+3 {
				street = true
				break
			}
		}
		if !street {
			continue
		}
		_, end := readInt(s, i+1, 5)
		if end-(i+1) > 4 || (end < len(s) && isDigit(s[end])) || numberContinues(s, end, false) && s[end] != '-' {
			continue
		}
		if end < len(s) && s[end] == '%' {
			continue
		}
		// A letter or an addition: 12a, 12-3, 12 bis.
		if end < len(s) && s[end] >= 'a' && s[end] <= 'z' && !plaintext.WordAt(s, end+1) {
			end++
		} else if end+1 < len(s) && s[end] == '-' && isDigit(s[end+1]) {
			_, end = readInt(s, end+1, 4)
		}
		if plaintext.WordAt(s, end) {
			continue
		}
		if next := nextWord(s, end); units[next] || months[next] > 0 {
			continue
		}
		out = append(out, Finding{KindAddress, start, end})
		i = end
	}
	return out
}

// nextWord returns the next word after i (after spaces), lower case.
func nextWord(s string, i int) string {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) && r != '\'' {
			break
		}
		j += size
	}
	return strings.ToLower(s[i:j])
}
