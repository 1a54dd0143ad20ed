package identifiers

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func kinds(fs []Finding) string {
	var ks []string
	for _, f := range fs {
		ks = append(ks, string(f.Kind))
	}
	return strings.Join(ks, ",")
}

func TestElfProef(t *testing.T) {
	for _, c := range []struct {
		digits string
		ok     bool
	}{
		{"123456782", true},
		{"111222333", true},
		{"999999990", true},
		{"012345672", true}, // a leading zero counts as a digit
		{"123456789", false},
		{"123456783", false}, // last weight is −1, not +1: 156+3 = 159
		{"000000000", false}, // the sum is 0: not a number anyone has
		{"000000012", false}, // 2·1 − 2 = 0 as well
		{"12345678", false},
		{"1234567820", false},
		{"12345678a", false},
	} {
		if got := ElfProef(c.digits); got != c.ok {
			t.Errorf("ElfProef(%q) = %v, want %v", c.digits, got, c.ok)
		}
	}
}

func TestFind(t *testing.T) {
	for _, c := range []struct {
		text, want string
	}{
		// BSN, in every way it is written.
		{"BSN 123456782", "bsn"},
		{"bsn:123456782.", "bsn"},
		{"mw. heeft bsn 123.456.782 en", "bsn"},
		{"nummer 1234 56 782 graag", "bsn"},
		{"nummer 123 456 782 graag", "bsn"},
		{"bsn 123-456-782", "bsn"},
		{"bsn: 1234-56-782.", "bsn"},
		{"(111222333)", "bsn"},
		{"012345672", "bsn"},
		{"123456782\n", "bsn"},
		{"a bare 999999990 passes", "bsn"},
		// Not a BSN.
		{"BSN 123456789", ""},           // fails the 11-proef
		{"bel 06-12345678", ""},         // mobile number
		{"bel 072-512-3456", ""},        // a phone number in groups
		{"bel 0223-55-1234", ""},        // same
		{"123-456-789", ""},             // dashes, fails the 11-proef
		{"1-123-456-782", ""},           // a longer dashed number
		{"123-456-782-1", ""},           // same
		{"123-456-782a", ""},            // part of a word
		{"bel 0612345678", ""},          // ten digits
		{"bel +31 612345678", ""},       // country code: a phone
		{"bel 0031 612345678", ""},      // same
		{"NL91ABNA0417164300", ""},      // IBAN
		{"NL91 ABNA 0417 1643 00", ""},  // IBAN in groups
		{"order 1234567820", ""},        // ten digits
		{"x123456782", ""},              // part of a word
		{"123456782x", ""},              // part of a word
		{"1.123456782", ""},             // part of a number
		{"123456782,5", ""},             // a decimal
		{"€ 123.456.782", ""},           // an amount
		{"1 123 456 782", ""},           // a longer grouped number
		{"12-03-2027 om 10.00 uur", ""}, // a date, no person
		{"het kost 12.345.678", ""},
		// Dates of birth.
		{"geb. 12-03-1950", "birthdate"},
		{"geboren 1 maart 1950", "birthdate"},
		{"Geboortedatum: 01/02/41", "birthdate"},
		{"geb.datum 3.4.1938", "birthdate"},
		{"mevr. Jansen, 12-03-1950", "birthdate"},
		{"dhr. de Vries (3 mrt. 1944)", "birthdate"},
		{"J. Bakker 12-03-1950 heeft hulp nodig", "birthdate"},
		// Dates that are not a birth date.
		{"Overleg op 12-03-2027", ""},
		{"Sinds 1 januari 2005 werken we zo", ""},
		{"Teamoverleg 12-03-1950", "birthdate"}, // a capitalised word and an old date: flagged, on purpose
		{"vergadering 12-03-2027", ""},
		{"mevr. Jansen komt 12-03-2027", ""}, // the future is no birth date
		{"geb. 32-01-1950", ""},              // no such day
		{"geb. 12-13-1950", ""},              // no such month
		// Addresses.
		{"woont Kerkstraat 12, 1781 AB Den Helder", "address"},
		{"kerkstraat 12a", "address"},
		{"Van Goghlaan 3-5", "address"},
		{"postcode 1781AB 12", "address"},
		{"1781 AB, nr 7", "address"},
		{"Dorpsweg 112", "address"},
		// Not an address.
		{"postcode 1781 AB", ""}, // no house number
		{"rond de Keizerstraat en op Willemsoord", ""},
		{"onderweg 2 keer gebeld", ""},
		{"Dorpsweg 3 uur lopen", ""},
		{"1781 Binnenstad", ""},
		{"kring 2", ""},
		{"weg 2", ""},
		{"straat 12", ""},
		{"de Kerkstraat 0", ""},
		// Several.
		{"Mevr. Jansen, geb. 12-03-1950, BSN 123456782, Kerkstraat 12", "birthdate,bsn,address"},
	} {
		if got := kinds(Find(c.text)); got != c.want {
			t.Errorf("Find(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestFindRanges(t *testing.T) {
	text := "Mevr. Jansen, BSN 123.456.782, Kerkstraat 12, 1781 AB"
	fs := Find(text)
	if len(fs) != 2 {
		t.Fatalf("got %d findings", len(fs))
	}
	if got := text[fs[0].Start:fs[0].End]; got != "123.456.782" {
		t.Errorf("bsn range covers %q", got)
	}
	if got := text[fs[1].Start:fs[1].End]; got != "Kerkstraat 12, 1781 AB" {
		t.Errorf("address range covers %q", got)
	}
}

func TestMask(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"BSN 123456782 graag", "BSN ••••••••• graag"},
		{"geen nummer", "geen nummer"},
		{"bsn 123.456.782", "bsn •••••••••••"},
		{"Kerkstraat 12 en cliënt 111222333", "••••••••••••• en cliënt •••••••••"},
	} {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
		if Contains(Mask(c.in)) {
			t.Errorf("Mask(%q) still contains an identifier", c.in)
		}
	}
}

// TestRandomNumbers measures the 11-proef's chance hits: about 1 in 11 random
// nine-digit numbers pass, and every one that passes is flagged (a bare
// number may be a BSN). Written into docs/security.md.
func TestRandomNumbers(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 2026))
	const n = 10000
	flagged, pass, grouped := 0, 0, 0
	for range n {
		num := fmt.Sprintf("%09d", r.IntN(1_000_000_000))
		ok := ElfProef(num)
		if ok {
			pass++
		}
		got := Contains("nummer " + num + " graag")
		if got != ok {
			t.Errorf("%s: flagged %v, 11-proef %v", num, got, ok)
		}
		if got {
			flagged++
		}
		// Written in groups, the same digits are flagged the same way.
		for _, s := range []string{num[:3] + "-" + num[3:6] + "-" + num[6:], num[:4] + "-" + num[4:6] + "-" + num[6:],
			num[:3] + "." + num[3:6] + "." + num[6:], num[:4] + " " + num[4:6] + " " + num[6:]} {
			if g := Contains("bsn " + s + "."); g != ok {
				t.Errorf("%q: flagged %v, 11-proef %v", s, g, ok)
			} else if g {
				grouped++
			}
		}
		// The same digits as a phone number (also in dashed groups), a date
		// or an IBAN are never flagged.
		for _, s := range []string{"06-" + num[:8], "+31 6" + num[1:], "NL91ABNA0" + num, num[:2] + "-" + num[2:4] + "-" + "20" + num[4:6],
			"0" + num[:2] + "-" + num[2:5] + "-" + num[5:] + "1", "0" + num[:3] + "-" + num[3:5] + "-" + num[5:] + "1"} {
			if Contains(s) {
				t.Errorf("%q flagged", s)
			}
		}
	}
	t.Logf("random 9-digit numbers: %d of %d pass the 11-proef (%.1f %%), %d flagged; written in groups, %d of %d flagged",
		pass, n, 100*float64(pass)/n, flagged, grouped, 4*n)
	if pass < n*7/100 || pass > n*11/100 {
		t.Errorf("%d of %d pass: expected about 9 %%", pass, n)
	}
}

// TestLinear: the work grows with the text, not its square, whatever the text.
func TestLinear(t *testing.T) {
	fastest := func(s string) time.Duration {
		best := time.Duration(1 << 62)
		for range 5 {
			t0 := time.Now()
			Find(s)
			best = min(best, time.Since(t0))
		}
		return max(best, time.Microsecond)
	}
	for _, unit := range []string{"123456789 ", "1 ", "geb. 1-1-1950 ", "Kerkstraat 1 ", "1234 AB ", "€ 1 ", "a", " "} {
		small, big := strings.Repeat(unit, 5000), strings.Repeat(unit, 100_000)
		// 20 times the text: allow 200 times the time (noise on a busy machine), not 400.
		if r := float64(fastest(big)) / float64(fastest(small)); r > 200 {
			t.Errorf("%q: 20× the text took %.0f× the time", unit, r)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"BSN 123456782", "geb. 12-03-1950", "Kerkstraat 12, 1781 AB", "1234 56 782", "06-12345678", "é1 2", "12 maart 1950",
		"123-456-782", "1234-56-782", "072-512-3456", "1-123-456-782-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := Find(s)
		prev := 0
		for _, x := range fs {
			if x.Start < prev || x.End <= x.Start || x.End > len(s) {
				t.Fatalf("bad range %+v in %d bytes (prev end %d)", x, len(s), prev)
			}
			prev = x.End
		}
		m := Mask(s)
		if len(fs) == 0 && m != s {
			t.Fatalf("Mask changed text without findings")
		}
		if len(fs) > 0 && Contains(m) && Mask(m) == m && len(Find(m)) > 0 {
			// A mask may join two halves into something new only if the
			// bullets themselves were read; they never are.
			for _, x := range Find(m) {
				if strings.Contains(m[x.Start:x.End], "•") {
					t.Fatalf("a finding covers a mask")
				}
			}
		}
	})
}

func BenchmarkFind(b *testing.B) {
	text := strings.Repeat("Vanaf maandag nemen we de wondzorg over van twee cliënten die uit het ziekenhuis komen. "+
		"De wondverpleegkundige komt om 10.00 uur mee, bel 06-12345678. ", 10) +
		"Mevr. Jansen, geb. 12-03-1950, BSN 123456782, Kerkstraat 12, 1781 AB Den Helder."
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Find(text)
	}
}

func TestCheck(t *testing.T) {
	if err := Check(false, F("title", "Teamoverleg"), F("body", "geen nummers")); err != nil {
		t.Fatalf("clean text refused: %v", err)
	}
	err := Check(false, F("title", "Bezoek Kerkstraat 12"), F("body", "BSN 123456782 en 111222333, geb. 12-03-1950"))
	se, ok := err.(*SuspectedError)
	if !ok {
		t.Fatalf("got %v", err)
	}
	want := []FieldFinding{{"title", KindAddress}, {"body", KindBSN}, {"body", KindBirthDate}}
	if fmt.Sprint(se.Findings) != fmt.Sprint(want) {
		t.Errorf("findings %v, want %v", se.Findings, want)
	}
	if strings.Contains(err.Error(), "123456782") || strings.Contains(err.Error(), "Kerkstraat") {
		t.Errorf("the error repeats the text: %v", err)
	}
	if err := Check(true, F("body", "BSN 123456782")); err != nil {
		t.Errorf("acknowledged text refused: %v", err)
	}
}
