package audits

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/plein/plein/server/apperr"
)

// DefaultTemplateKey is the key of the shipped template.
const DefaultTemplateKey = "randvoorwaarden"

// DefaultTemplate is the shipped Dutch template (version 1): the
// preconditions for local, small-scale, self-directed work in 8 themes.
func DefaultTemplate() Template {
	th := func(key, name string, cs ...[3]string) Theme {
		t := Theme{Key: key, Name: name}
		for _, c := range cs {
			t.Criteria = append(t.Criteria, Criterion{Key: c[0], Text: c[1], Guidance: c[2]})
		}
		return t
	}
	return Template{
		ID: DefaultTemplateKey + ":v1", Key: DefaultTemplateKey, Version: 1,
		Name: "Randvoorwaarden zelfsturend werken",
		Themes: []Theme{
			th("omvang", "Teamgrootte en werkgebied",
				[3]string{"omvang-teamgrootte", "Het team telt 8 tot 15 medewerkers.", "Tel de medewerkers met een vast contract en vaste invalkrachten."},
				[3]string{"omvang-werkgebied", "Het werkgebied is afgebakend en het team kent zijn wijk.", "Vraag naar postcodes, buurten en de sociale kaart."},
				[3]string{"omvang-reistijd", "De reistijd tussen cliënten past bij kleinschalig werken.", "Bekijk een gewone dienst: hoeveel tijd gaat op aan reizen?"},
				[3]string{"omvang-bereikbaar", "Cliënten en huisartsen weten hoe zij het team bereiken.", "Eén telefoonnummer, bekend bij huisartsen en wijkpartners."}),
			th("rooster", "Eigen rooster en cliëntplanning",
				[3]string{"rooster-eigen", "Het team maakt zijn eigen rooster.", "Wie maakt het rooster, en hoe worden wensen en ruilen geregeld?"},
				[3]string{"rooster-clientplanning", "Het team plant zelf de zorg bij cliënten.", "Wordt de planning in het team gemaakt of centraal?"},
				[3]string{"rooster-continuiteit", "Een cliënt krijgt een klein, vast aantal zorgverleners.", "Vergelijk met de PREM-vraag over het aantal zorgverleners."},
				[3]string{"rooster-afwijkingen", "Het team lost uitval en pieken zelf op.", "Wat gebeurde er bij de laatste ziekmelding?"}),
			th("taakrollen", "Heldere taakrollen in het team",
				[3]string{"taakrollen-verdeeld", "De taakrollen (planning, scholing, kwaliteit, financiën, personeel, ICT) zijn verdeeld.", "Staan de rollen op de teampagina en weet iedereen wie wat doet?"},
				[3]string{"taakrollen-mandaat", "Rolhouders weten wat zij zelf mogen besluiten.", "Vraag een rolhouder naar een recent besluit."},
				[3]string{"taakrollen-wisselen", "Taakrollen rouleren of worden bewust belegd.", "Is er een afspraak over hoe lang iemand een rol houdt?"}),
			th("cijfers", "Inzicht in eigen cijfers",
				[3]string{"cijfers-toegang", "Het team kan zijn maandcijfers zelf inzien.", "Laat het dashboard van het team zien."},
				[3]string{"cijfers-besproken", "De cijfers worden minstens maandelijks in het team besproken.", "Vraag naar het laatste teamoverleg en de notulen."},
				[3]string{"cijfers-acties", "Het team verbindt acties aan afwijkende cijfers.", "Welke actie volgde op het laatste rode cijfer?"}),
			th("coaching", "Coaching",
				[3]string{"coaching-beschikbaar", "Het team weet hoe het een teamcoach inschakelt.", "Wanneer was het laatste contact met de coach?"},
				[3]string{"coaching-leertraject", "Het team volgt het leertraject volgens plan.", "Vergelijk aanwezigheid en opdrachten met de planning."},
				[3]string{"coaching-reflectie", "Het team reflecteert op samenwerking en besluitvorming.", "Is er een recente zelfevaluatie van de teamvolwassenheid?"}),
			th("ondersteuning", "Reactie van ondersteunende diensten",
				[3]string{"ondersteuning-snel", "Vragen aan ondersteunende diensten worden binnen de afgesproken tijd beantwoord.", "Vraag naar de laatste vraag aan HR, ICT of Financiën."},
				[3]string{"ondersteuning-vraaggericht", "Ondersteunende diensten werken vanuit de vraag van het team.", "Voelt het team zich geholpen of gecontroleerd?"},
				[3]string{"ondersteuning-aanspreekpunt", "Het team kent zijn vaste aanspreekpunten.", "Zijn de namen bekend en te vinden op het platform?"}),
			th("kwaliteit", "Kwaliteit van zorg",
				[3]string{"kwaliteit-protocollen", "Medewerkers vinden en volgen de actuele protocollen.", "Laat een medewerker een protocol opzoeken."},
				[3]string{"kwaliteit-bekwaam", "Voorbehouden handelingen worden alleen door bekwame medewerkers uitgevoerd.", "Bekijk de bekwaamheidsregistratie, zonder cliëntgegevens."},
				[3]string{"kwaliteit-incidenten", "Incidenten worden gemeld en in het team besproken.", "Wanneer is de laatste melding besproken?"},
				[3]string{"kwaliteit-dossier", "Het zorgplan is actueel en samen met de cliënt opgesteld.", "Steekproef in overleg met de wijkverpleegkundige; maak geen foto's van dossiers."}),
			th("regie", "De cliënt aan het roer",
				[3]string{"regie-doelen", "Zorgdoelen zijn in de woorden van de cliënt geformuleerd.", "Vraag de wijkverpleegkundige om een (geanonimiseerd) voorbeeld."},
				[3]string{"regie-netwerk", "Het netwerk van de cliënt wordt betrokken.", "Hoe worden mantelzorgers en buren betrokken?"},
				[3]string{"regie-zelfredzaam", "De zorg richt zich op zelfredzaamheid waar dat kan.", "Zijn er voorbeelden van afgeschaalde zorg?"}),
		},
	}
}

var keyRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TemplateInput is a new version of a template.
type TemplateInput struct {
	Key    string       `json:"key"`
	Name   string       `json:"name"`
	Themes []ThemeInput `json:"themes"`
}

// ThemeInput is a theme of a new template version.
type ThemeInput struct {
	Key      string           `json:"key"`
	Name     string           `json:"name"`
	Criteria []CriterionInput `json:"criteria"`
}

// CriterionInput is a criterion of a new template version.
type CriterionInput struct {
	Key      string `json:"key"`
	Text     string `json:"text"`
	Guidance string `json:"guidance"`
}

func textOK(s string, lo, hi int) bool {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	return n >= lo && n <= hi
}

// Validate checks a template version.
func (in *TemplateInput) Validate() error {
	var v apperr.Validator
	v.Check(keyRE.MatchString(in.Key) && len(in.Key) <= 60, "key", "invalid", "use lowercase letters, digits and dashes")
	v.Check(textOK(in.Name, 2, 120), "name", "length", "2 to 120 characters", apperr.Params{"min": 2, "max": 120})
	v.Check(len(in.Themes) >= 1 && len(in.Themes) <= 20, "themes", "count", "1 to 20 themes", apperr.Params{"min": 1, "max": 20})
	seen := map[string]bool{}
	for i, th := range in.Themes {
		f := fmt.Sprintf("themes[%d]", i)
		v.Check(keyRE.MatchString(th.Key) && !seen["t:"+th.Key], f+".key", "invalid", "a unique key of lowercase letters, digits and dashes")
		seen["t:"+th.Key] = true
		v.Check(textOK(th.Name, 2, 120), f+".name", "length", "2 to 120 characters", apperr.Params{"min": 2, "max": 120})
		v.Check(len(th.Criteria) >= 1 && len(th.Criteria) <= 12, f+".criteria", "count", "1 to 12 criteria", apperr.Params{"min": 1, "max": 12})
		for j, c := range th.Criteria {
			g := fmt.Sprintf("%s.criteria[%d]", f, j)
			v.Check(keyRE.MatchString(c.Key) && !seen["c:"+c.Key], g+".key", "invalid", "a unique key of lowercase letters, digits and dashes")
			seen["c:"+c.Key] = true
			v.Check(textOK(c.Text, 2, 300), g+".text", "length", "2 to 300 characters", apperr.Params{"min": 2, "max": 300})
			v.Check(utf8.RuneCountInString(c.Guidance) <= 1000, g+".guidance", "too_long", "at most 1000 characters", apperr.Params{"max": 1000})
		}
	}
	return v.Err()
}
