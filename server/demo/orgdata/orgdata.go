// Package orgdata is the demo organisation "Thuiszorg Noorderkwartier", a
// home-care organisation in the north of Noord-Holland with 54 small
// self-directed district teams in six regions: pure, deterministic data that
// imports no domain. server/demo loads it (development only); domain tests
// use it as their fixture.
//
// The tables below are hand written and the people are generated with a
// fixed-seed PCG generator, so Regions, Teams and People return identical
// content on every call. Phone numbers use the fictional 555 range and e-mail
// addresses use the reserved ".example" top-level domain.
package orgdata

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// OrganisationName is the name of the demo organisation.
const OrganisationName = "Thuiszorg Noorderkwartier"

// seedEmailDomain is the mail domain of every seeded person and team.
const seedEmailDomain = "noorderkwartier.example"

// Role keys used in the seed data.
const (
	RoleZorgmedewerker      = "zorgmedewerker"
	RoleWijkverpleegkundige = "wijkverpleegkundige"
	RoleCoordinerendWVK     = "coordinerend_wijkverpleegkundige"
	RoleTeamcoach           = "teamcoach"
	RoleOndersteunend       = "ondersteunende_dienst"
	RoleRegiomanager        = "regiomanager"
	RoleBeheerder           = "beheerder"
)

// Team role (taakrol) keys used in the seed data.
const (
	TaakrolPlanning  = "planning"
	TaakrolScholing  = "scholing"
	TaakrolKwaliteit = "kwaliteit"
	TaakrolFinancien = "financien"
	TaakrolPersoneel = "personeel"
	TaakrolICT       = "ict"
)

// seedRoles lists every role key, in a fixed order.
var seedRoles = []string{
	RoleZorgmedewerker,
	RoleWijkverpleegkundige,
	RoleCoordinerendWVK,
	RoleTeamcoach,
	RoleOndersteunend,
	RoleRegiomanager,
	RoleBeheerder,
}

// seedTaakrollen lists every team role (taakrol) key, in a fixed order.
var seedTaakrollen = []string{
	TaakrolPlanning,
	TaakrolScholing,
	TaakrolKwaliteit,
	TaakrolFinancien,
	TaakrolPersoneel,
	TaakrolICT,
}

// Region is a region of the demo organisation.
type Region struct{ ID, Name string }

// Team is a district team of the demo organisation.
type Team struct {
	ID, RegionID, Name string
	WorkingArea        []string // postcodes (4 digits) and village/neighbourhood names
	Description        string   // short Dutch description of the team and its area
	Phone, Email       string
}

// Person is a login of the demo organisation.
type Person struct {
	Sub   string // login subject, ascii, unique
	Name  string
	Email string // Sub + "@noorderkwartier.example"
	Roles []string
	Teams []Membership
	Demo  bool // shown as demo login on the login page
	// DemoDescription is a short Dutch description of the person's position.
	// It is always set for Demo persons; for people outside the teams
	// (coordinators, coaches, support services, managers, administrators) it
	// is set as well and names their region or service.
	DemoDescription string
}

// Membership is the membership of a person in a team.
type Membership struct {
	TeamID    string
	TeamRoles []string
}

// ---------------------------------------------------------------------------
// Regions and teams

type seedRegionDef struct {
	id, name string
}

var seedRegionDefs = []seedRegionDef{
	{"den-helder", "Den Helder"},
	{"texel", "Texel"},
	{"schagen", "Schagen"},
	{"hollands-kroon", "Hollands Kroon"},
	{"hoorn", "Hoorn"},
	{"west-friesland-oost", "West-Friesland Oost"},
}

type seedTeamDef struct {
	region string
	name   string
	area   string // telephone area code
	work   []string
	local  string // hand-written sentence about the area
}

var seedTeamDefs = []seedTeamDef{
	// Den Helder (10)
	{"den-helder", "Den Helder-Centrum", "0223", []string{"1781", "Binnenstad", "Willemsoord", "Keizerstraat"},
		"Het team werkt in de binnenstad rond de Keizerstraat en het oude marineterrein Willemsoord, waar veel cliënten in appartementen boven de winkels wonen."},
	{"den-helder", "Stad binnen de Linie", "0223", []string{"1781", "1782", "Stad binnen de Linie", "Oostsloot"},
		"Binnen de oude verdedigingslinie staan statige marinehuizen naast kleine arbeiderswoningen; het team kent de steile trappen van bijna elk portiek."},
	{"den-helder", "Visbuurt", "0223", []string{"1782", "Visbuurt", "Havenplein"},
		"In de Visbuurt wonen veel ouderen al tientallen jaren in dezelfde straat, en de buren weten vaak eerder dan wij dat er iets mis is."},
	{"den-helder", "Tuindorp", "0223", []string{"1783", "Tuindorp", "Zuidoost"},
		"Tuindorp is een oude tuinwijk met lage huizen en groene pleintjes; veel cliënten hebben zelf bij de marine of op de werf gewerkt."},
	{"den-helder", "Oud Den Helder", "0223", []string{"1782", "1783", "Oud Den Helder", "Dijkstraat"},
		"Oud Den Helder ligt tegen de dijk aan; het team fietst er tussen de vernieuwde woonblokken en de oude straatjes met hun kleine voortuinen."},
	{"den-helder", "Nieuw-Den Helder", "0223", []string{"1784", "Nieuw-Den Helder", "Jan Verfaillestraat"},
		"Nieuw-Den Helder is een naoorlogse wijk met veel flats zonder lift, dus het team regelt er geregeld hulpmiddelen, traplift of verhuisadvies."},
	{"den-helder", "De Schooten", "0223", []string{"1785", "De Schooten", "Schootenpark"},
		"In De Schooten liggen het winkelcentrum, het gezondheidscentrum en de apotheek dicht bij elkaar, wat het overleg met de huisartsen makkelijk maakt."},
	{"den-helder", "Sluisdijk", "0223", []string{"1786", "Sluisdijk", "Falga"},
		"In Sluisdijk en Falga staan vernieuwde woningen en oudere portiekflats naast elkaar, en wonen jonge gezinnen en alleenstaande ouderen dicht op elkaar."},
	{"den-helder", "Huisduinen", "0223", []string{"1789", "Huisduinen", "Fort Kijkduin", "Nieuw Den Helder-West"},
		"Aan de rand van de duinen, in de schaduw van vuurtoren Lange Jaap, werkt een klein team waar het bijna altijd waait."},
	{"den-helder", "Julianadorp", "0223", []string{"1787", "1788", "Julianadorp", "Julianadorp aan Zee", "De Riepel"},
		"Julianadorp groeide in een paar decennia uit van dorp tot grote woonwijk; het team combineert de oude dorpskern met nieuwbouw en de huisjes bij de kust."},

	// Texel (5)
	{"texel", "Den Burg", "0222", []string{"1791", "1793", "Den Burg", "De Waal"},
		"Den Burg is het hart van het eiland; vanuit hier rijdt het team ook naar De Waal en de verspreide boerderijen ertussen."},
	{"texel", "Den Hoorn", "0222", []string{"1797", "Den Hoorn", "'t Horntje"},
		"Den Hoorn ligt tussen de bollenvelden en de duinen op de zuidpunt van het eiland; materialen van de overkant komen met de boot binnen bij 't Horntje."},
	{"texel", "De Koog", "0222", []string{"1796", "De Koog", "Westerslag"},
		"In De Koog draait de zomer om toeristen, en daarmee krijgt het team ook vakantiegasten die tijdelijk thuiszorg nodig hebben."},
	{"texel", "Oosterend", "0222", []string{"1794", "1792", "Oosterend", "Oudeschild"},
		"Tussen het vissersdorp Oudeschild en de witte huisjes van Oosterend kent iedereen elkaar, en afspraken worden soms nog gewoon op de stoep gemaakt."},
	{"texel", "De Cocksdorp", "0222", []string{"1795", "De Cocksdorp", "Eierland", "De Muy"},
		"Vanuit De Cocksdorp, vlak bij de vuurtoren op de noordpunt, rijdt het team de langste routes van de organisatie dwars door de polder Eierland."},

	// Schagen (9)
	{"schagen", "Schagen-Noord", "0224", []string{"1741", "Schagen-Noord", "Centrum"},
		"Op de donderdagen in de zomer is er de West-Friese markt in het centrum, en dan willen cliënten in Schagen-Noord vooral even naar buiten."},
	{"schagen", "Schagen-Zuid", "0224", []string{"1742", "Schagen-Zuid", "Waldervaart"},
		"Schagen-Zuid groeit nog steeds; in Waldervaart en de nieuwere wijken wonen steeds meer ouderen zelfstandig in gelijkvloerse woningen."},
	{"schagen", "Tuitjenhorn", "0226", []string{"1747", "1746", "Tuitjenhorn", "Dirkshorn"},
		"Het team bedient de dorpen van het oude Harenkarspel; tussen de kassen en de akkers is de auto onmisbaar."},
	{"schagen", "Warmenhuizen", "0226", []string{"1749", "Warmenhuizen", "Eenigenburg"},
		"Warmenhuizen staat bekend om de koolteelt, en veel van onze cliënten hebben vroeger zelf op het land of in de veiling gewerkt."},
	{"schagen", "Waarland", "0226", []string{"1738", "Waarland", "Kalverdijk"},
		"Waarland is een hecht dorp waar de kerk, de voetbalclub en het dorpshuis het sociale leven bepalen; het team werkt er veel samen met vrijwilligers."},
	{"schagen", "Sint Maarten", "0224", []string{"1753", "1751", "Sint Maarten", "Sint Maartensbrug", "Schagerbrug"},
		"Sint Maarten, Sint Maartensbrug en Schagerbrug liggen langs het Noordhollandsch Kanaal, en het team plant de routes zo dat de bruggen zo min mogelijk ophouden."},
	{"schagen", "Callantsoog", "0224", []string{"1759", "Callantsoog", "Groote Keeten"},
		"Callantsoog en Groote Keeten zijn 's winters stille dorpen, maar in de zomer zitten de campings en vakantiehuisjes vol."},
	{"schagen", "'t Zand", "0224", []string{"1756", "1757", "'t Zand", "Oudesluis", "Keinsmerbrug"},
		"Rond 't Zand en Oudesluis kleuren in het voorjaar de bollenvelden, en staan de smalle dijkwegen vol met fietsende toeristen."},
	{"schagen", "Petten", "0226", []string{"1755", "1754", "Petten", "Burgerbrug"},
		"Petten ligt achter de Hondsbossche Duinen; het team heeft er een kleine, vaste kring cliënten en rijdt ook naar Burgerbrug."},

	// Hollands Kroon (9)
	{"hollands-kroon", "Anna Paulowna", "0223", []string{"1761", "Anna Paulowna", "Kleine Sluis", "Wieringerwaard"},
		"Anna Paulowna is een echt bollendorp; tijdens de Bloemschouw in het voorjaar is het druk en plant het team wat extra reistijd in."},
	{"hollands-kroon", "Breezand", "0223", []string{"1764", "1767", "Breezand", "Van Ewijcksluis"},
		"Breezand en Van Ewijcksluis liggen midden tussen de bollenvelden, en in het seizoen wonen er ook veel arbeidsmigranten die soms zorg nodig hebben."},
	{"hollands-kroon", "Den Oever", "0227", []string{"1779", "Den Oever"},
		"Den Oever ligt aan het begin van de Afsluitdijk, en tussen de vissersschepen en de sluizen wonen veel oud-vissers en hun families."},
	{"hollands-kroon", "Hippolytushoef", "0227", []string{"1777", "1778", "Hippolytushoef", "Westerland", "Stroe", "Oosterland"},
		"Het oude eiland Wieringen heeft een eigen karakter en een eigen dialect; het team werkt vanuit Hippolytushoef over het hele voormalige eiland."},
	{"hollands-kroon", "Wieringerwerf", "0227", []string{"1771", "Wieringerwerf"},
		"Wieringerwerf is het hart van de Wieringermeer, een polder die na de oorlog opnieuw is opgebouwd; de wegen zijn hier lang en kaarsrecht."},
	{"hollands-kroon", "Middenmeer", "0227", []string{"1775", "1774", "Middenmeer", "Slootdorp"},
		"Rond Middenmeer en Slootdorp staan grote kassen en datacenters naast de oude polderboerderijen, en het team ziet de dorpen veranderen."},
	{"hollands-kroon", "Kolhorn", "0224", []string{"1766", "1768", "Kolhorn", "Barsingerhorn", "Haringhuizen"},
		"Kolhorn was ooit een havenplaatsje aan de Zuiderzee; nu werkt het team er en in Barsingerhorn met een kleine, vaste groep cliënten."},
	{"hollands-kroon", "Nieuwe Niedorp", "0226", []string{"1733", "1734", "Nieuwe Niedorp", "Oude Niedorp", "'t Veld", "Zijdewind"},
		"In de dorpen van Niedorp is de mantelzorg sterk: vaak zijn buren en familie al lang aan het helpen voordat het team in beeld komt."},
	{"hollands-kroon", "Winkel", "0224", []string{"1731", "1732", "Winkel", "Lutjewinkel"},
		"Winkel is een groeiend dorp met een eigen zorgcentrum, en het team werkt nauw samen met de dagbesteding in het dorp."},

	// Hoorn (11)
	{"hoorn", "Hoorn-Binnenstad", "0229", []string{"1621", "Binnenstad", "Roode Steen", "Grote Oost"},
		"In de binnenstad van Hoorn, tussen de Roode Steen en de Hoofdtoren, doet het team veel bezoeken te voet door de smalle straatjes."},
	{"hoorn", "Hoorn-Grote Waal", "0229", []string{"1622", "Grote Waal"},
		"Grote Waal is een ruime wijk met veel water en groen, waar de eerste bewoners van de jaren zeventig nu zelf zorg thuis krijgen."},
	{"hoorn", "Hoorn-Kersenboogerd", "0229", []string{"1625", "Kersenboogerd"},
		"Kersenboogerd heeft een eigen station en een zeer gemengde bevolking; het team werkt er geregeld met tolken en sleutelfiguren uit de wijk."},
	{"hoorn", "Hoorn-Risdam", "0229", []string{"1624", "Risdam-Noord", "Risdam-Zuid"},
		"In Risdam staan flats en eengezinswoningen door elkaar, en het team heeft korte lijnen met het wijkcentrum en de huisartsenpraktijken."},
	{"hoorn", "Hoorn-Nieuwe Steen", "0229", []string{"1623", "Nieuwe Steen", "Hoorn-Noord"},
		"Met het Dijklander Ziekenhuis dichtbij regelt het team in Nieuwe Steen veel overgangen van ziekenhuis naar huis, soms op dezelfde dag."},
	{"hoorn", "Hoorn-Venenlaan", "0229", []string{"1623", "1624", "Venenlaan", "Hoorn-Oost"},
		"De Venenlaan is een rustige, groene wijk waar veel senioren wonen in aangepaste woningen rond het winkelcentrum."},
	{"hoorn", "Hoorn-Bangert en Oosterpolder", "0229", []string{"1628", "Bangert", "Oosterpolder"},
		"In de nieuwste wijk van Hoorn wonen veel jonge gezinnen, maar ook ouderen in nieuwe levensloopbestendige woningen; het team groeit mee met de wijk."},
	{"hoorn", "Zwaag", "0229", []string{"1689", "Zwaag"},
		"Zwaag hoort bij Hoorn, maar voelt nog altijd als een dorp met een eigen dorpsstraat, een eigen kerk en een eigen ritme."},
	{"hoorn", "Blokker", "0229", []string{"1695", "1696", "Blokker", "Oosterblokker", "Westerblokker"},
		"Blokker is een echt lintdorp: de cliënten wonen verspreid langs één lange weg met stolpboerderijen en fruitboomgaarden."},
	{"hoorn", "Avenhorn", "0229", []string{"1633", "1634", "1647", "Avenhorn", "Scharwoude", "Berkhout"},
		"Vanuit Avenhorn werkt het team in de dorpen van Koggenland, waar de kerktoren vaak het eerste herkenningspunt in het landschap is."},
	{"hoorn", "De Goorn", "0229", []string{"1648", "1645", "1641", "De Goorn", "Ursem", "Spierdijk"},
		"De Goorn, Ursem en Spierdijk zijn typisch West-Friese dorpen met stolpen langs de weg, en de mensen zijn er trots op hun eigen dorp."},

	// West-Friesland Oost (10)
	{"west-friesland-oost", "Enkhuizen", "0228", []string{"1601", "Enkhuizen", "Binnenstad", "Oosterhaven"},
		"In Enkhuizen, tussen de havens en het Zuiderzeemuseum, wonen veel cliënten in monumentale panden met steile trappen en smalle gangen."},
	{"west-friesland-oost", "Bovenkarspel", "0228", []string{"1611", "Bovenkarspel"},
		"Bovenkarspel is de grootste kern van Stede Broec, met een levendig centrum rond het station en veel seniorenwoningen."},
	{"west-friesland-oost", "Grootebroek", "0228", []string{"1613", "1614", "Grootebroek", "Lutjebroek"},
		"Grootebroek en Lutjebroek lopen als één lang lint in elkaar over: de afstanden zijn kort, maar de straat is lang."},
	{"west-friesland-oost", "Hoogkarspel", "0228", []string{"1616", "1617", "Hoogkarspel", "Westwoud"},
		"Hoogkarspel en Westwoud liggen in Drechterland tussen de fruitbomen, en in het voorjaar rijdt het team door de bloesem."},
	{"west-friesland-oost", "Venhuizen", "0228", []string{"1606", "1607", "1608", "Venhuizen", "Hem", "Wijdenes", "Oosterleek"},
		"In de dorpen langs de Markermeerdijk zijn weinig voorzieningen, en voor sommige cliënten is het team het vaste bezoek van de dag."},
	{"west-friesland-oost", "Andijk", "0228", []string{"1619", "Andijk"},
		"Andijk is een langgerekt dorp aan het IJsselmeer, bekend om de bollen- en zaadteelt, en een rondje langs alle cliënten is hier al snel twintig kilometer."},
	{"west-friesland-oost", "Wervershoof", "0228", []string{"1693", "Wervershoof", "Onderdijk"},
		"Wervershoof en Onderdijk liggen vlak bij het IJsselmeer; het team werkt er met twee vaste routes en kent de families vaak al generaties."},
	{"west-friesland-oost", "Medemblik", "0227", []string{"1671", "1679", "Medemblik", "Oostwoud", "Opperdoes"},
		"Medemblik, met kasteel Radboud en de oude haven, is een van de oudste steden van West-Friesland, en het team werkt zowel in de oude kern als in de nieuwbouw."},
	{"west-friesland-oost", "Wognum", "0229", []string{"1687", "1688", "Wognum", "Nibbixwoud", "Zwaagdijk-Oost"},
		"Wognum en Nibbixwoud hebben een actief verenigingsleven, en het team werkt er samen met de dorpsondersteuners en de ouderenbond."},
	{"west-friesland-oost", "Abbekerk", "0229", []string{"1657", "1658", "1676", "Abbekerk", "Lambertschaag", "Twisk"},
		"Rond Abbekerk en het beschermde dorp Twisk staan de stolpboerderijen dicht langs de weg, en veel cliënten wonen nog op hun oude boerenbedrijf."},
}

// Mixed-in sentences so the descriptions are not one template with the
// names swapped. "%s" is replaced by the team name.
var seedTeamSentences = []string{
	"Team %s is een zelfsturend wijkteam dat de zorg, de planning en de bezetting grotendeels zelf regelt.",
	"Met een vaste groep gezichten houdt team %s de lijnen kort met cliënten, mantelzorgers en de huisarts.",
	"Het team werkt nauw samen met de huisartsen, de apotheek en de praktijkondersteuners in de buurt.",
	"Bij team %s kennen cliënten hun verzorgenden vaak bij naam, en dat willen we graag zo houden.",
	"De collega's van team %s zien elkaar elke ochtend even bij de koffie op de teampost voordat de routes beginnen.",
	"Veel cliënten wonen hier al hun hele leven, en dat vraagt om zorg die aansluit bij hun eigen gewoontes.",
	"We werken veel samen met het sociaal wijkteam en de welzijnsorganisatie van de gemeente.",
	"Nieuwe collega's lopen de eerste weken mee met een vaste buddy uit het team.",
	"Team %s bespreekt elke twee weken samen de cliënten met een complexe zorgvraag.",
}

var seedTeamClosers = []string{
	"Onze zorg omvat persoonlijke verzorging, wondzorg, palliatieve zorg en steun aan mantelzorgers.",
	"Aandachtspunten dit jaar zijn valpreventie en medicatieveiligheid.",
	"We zoeken regelmatig nieuwe collega's, ook voor de avond- en weekenddiensten.",
	"Stagiairs van het Horizon College en ROC Kop van Noord-Holland lopen regelmatig met ons mee.",
	"Dit jaar leert het team samen met de teamcoach beter roosteren en elkaar feedback geven.",
	"Met de e-bike of de auto is elke cliënt binnen een kwartier bereikbaar.",
	"Buiten kantooruren neemt het avond- en nachtteam van de regio de spoedzorg over.",
}

// Regions returns the six regions of the demo organisation.
func Regions() []Region {
	out := make([]Region, len(seedRegionDefs))
	for i, r := range seedRegionDefs {
		out[i] = Region{ID: r.id, Name: r.name}
	}
	return out
}

// Teams returns the 54 district teams of the demo organisation.
func Teams() []Team {
	out := make([]Team, len(seedTeamDefs))
	for i, d := range seedTeamDefs {
		id := seedSlug(d.name)
		desc := d.local + " " + seedFill(seedTeamSentences[(i*5+2)%len(seedTeamSentences)], d.name)
		if i%3 != 0 {
			desc += " " + seedTeamClosers[(i*3+1)%len(seedTeamClosers)]
		}
		out[i] = Team{
			ID:          id,
			RegionID:    d.region,
			Name:        d.name,
			WorkingArea: append([]string(nil), d.work...),
			Description: desc,
			Phone:       fmt.Sprintf("%s 555 %04d", d.area, 1000+i*137%9000),
			Email:       id + "@" + seedEmailDomain,
		}
	}
	return out
}

func seedFill(s, name string) string {
	if strings.Contains(s, "%s") {
		return fmt.Sprintf(s, name)
	}
	return s
}

// ---------------------------------------------------------------------------
// Names

type seedOrigin struct {
	weight    int
	female    []string
	male      []string
	surnames  []string // used for both genders unless surnamesM is set
	surnamesM []string
}

var seedOrigins = []seedOrigin{
	{ // Dutch, with a Noord-Holland flavour
		weight: 72,
		female: []string{
			"Anouk", "Sanne", "Lotte", "Femke", "Esther", "Marieke", "Ilse", "Yvonne", "Linda", "Monique",
			"Sandra", "Petra", "Karin", "Ingrid", "Wendy", "Kim", "Lisa", "Eva", "Iris", "Noor",
			"Fleur", "Maaike", "Janneke", "Annemiek", "Marloes", "Bianca", "Chantal", "Mirjam", "Joke", "Ria",
			"Tineke", "Gerda", "Anja", "Inge", "Hanneke", "Els", "Nicole", "Daniëlle", "Jolanda", "Miranda",
			"Astrid", "Renate", "Suzanne", "Manon", "Romy", "Britt", "Demi", "Floor", "Lieke", "Sophie",
			"Emma", "Julia", "Tessa", "Kirsten", "Marjolein", "Willemijn", "Jet", "Bregje", "Evelien", "Nathalie",
			"Carla", "Dian", "Ellen", "Margreet", "Trudy", "Wilma", "Annet", "Corine", "Mariska", "Jessica",
			"Michelle", "Priscilla", "Marijke", "Loes", "Nienke", "Anke", "Hester", "Saskia", "Mieke", "Roos",
		},
		male: []string{
			"Daan", "Peter", "Johan", "Bram", "Jeroen", "Mark", "Sander", "Tim", "Ruben", "Thijs",
			"Bas", "Niels", "Erik", "Kees", "Jan", "Wouter", "Joost", "Rick", "Martijn", "Dennis",
			"Jasper", "Gert", "Henk", "Pieter", "Sjoerd", "Koen", "Frank", "Arjen", "Marcel", "Rob",
		},
		surnames: []string{
			"de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
			"Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Kramer", "van der Meer", "van Leeuwen", "de Wit", "Dijkstra",
			"Brouwer", "de Jong", "van den Berg", "Schouten", "Kok", "Koster", "Groot", "Schilder", "Zijlstra", "Kuiper",
			"Bijl", "Blom", "Veenstra", "Keijzer", "Kaan", "Pronk", "Dudink", "Stam", "Groen", "Klaver",
			"Koning", "Rood", "Kistemaker", "Tesselaar", "Sijm", "Kuijper", "Schuitemaker", "Zeeman", "Slijkerman", "Vlaming",
			"Ooms", "Huisman", "Hoogland", "Laan", "de Ruiter", "Beemsterboer", "Kooiman", "Zuurbier", "Commandeur", "Hartog",
			"Nap", "Eelman", "Molenaar", "Wijnker", "Koopman", "Dros", "Kikkert", "Boon", "Witte", "van der Laan",
			"van Diepen", "de Haan", "van Zanten", "Tromp", "Snijder", "van Veen", "Verhoeven", "de Graaf", "Wit", "Dal",
			"Appelman", "Burger", "ten Have", "van der Horst", "Ris", "Dekker", "Timmerman", "Buis", "Rol", "Kos",
		},
	},
	{ // Moroccan
		weight: 8,
		female: []string{
			"Fatima", "Khadija", "Samira", "Nadia", "Yasmina", "Naima", "Hanane", "Souad", "Loubna", "Imane",
			"Latifa", "Malika", "Siham", "Zineb", "Hafsa", "Asmae", "Meryem", "Ikram",
		},
		male: []string{"Mohamed", "Youssef", "Karim", "Hamid", "Rachid", "Bilal", "Anouar", "Said"},
		surnames: []string{
			"El Amrani", "Bouzid", "El Idrissi", "Aït Taleb", "Benali", "Ouali", "Haddouchi", "El Khattabi",
			"Azzouzi", "Boukhari", "Tahiri", "Ziani", "El Hamdaoui", "Boutaleb", "Amezian", "Ben Said",
		},
	},
	{ // Turkish
		weight: 7,
		female: []string{
			"Ayşe", "Elif", "Zeynep", "Fatma", "Emine", "Hatice", "Esra", "Büşra", "Merve", "Derya",
			"Özlem", "Gül", "Sibel", "Nurcan", "Tuba", "Selin",
		},
		male: []string{"Mehmet", "Emre", "Murat", "Hakan", "Serkan", "Yusuf", "Burak"},
		surnames: []string{
			"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan",
			"Kılıç", "Aksoy", "Koç", "Kurt", "Özdemir", "Polat",
		},
	},
	{ // Surinamese (Creole, Hindustani, Javanese)
		weight: 8,
		female: []string{
			"Shanti", "Priya", "Sharmila", "Rosita", "Marcia", "Gwendolyn", "Sunita", "Jennifer", "Denise", "Reshma",
			"Kavita", "Sarita", "Ingrid", "Cheryl", "Anita", "Wendelien", "Soenita", "Roshni",
		},
		male: []string{"Rajesh", "Ravi", "Errol", "Ricardo", "Orlando", "Dinesh", "Glenn"},
		surnames: []string{
			"Ramdin", "Sewdien", "Jagesar", "Ramkisoen", "Baldewsingh", "Lachman", "Biharie", "Pinas",
			"Sabajo", "Kromodikoro", "Soekardi", "Wongsodikromo", "Karijo", "Zeegelaar", "Vreden", "Pengel",
			"Doelwijt", "Mangroelal", "Kasanpawiro", "Nelom",
		},
	},
	{ // Polish
		weight: 5,
		female: []string{
			"Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Anna", "Monika", "Ewa", "Małgorzata", "Justyna", "Dorota",
			"Aleksandra", "Karolina",
		},
		male: []string{"Piotr", "Tomasz", "Krzysztof", "Paweł", "Marek", "Łukasz"},
		surnames: []string{
			"Kowalska", "Nowak", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowska", "Zielińska", "Szymańska",
			"Dąbrowska", "Kozłowska", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Pawlak", "Sikora",
		},
		surnamesM: []string{
			"Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
			"Dąbrowski", "Kozłowski", "Mazur", "Krawczyk", "Kaczmarek", "Zając", "Pawlak", "Sikora",
		},
	},
}

var seedTranslit = strings.NewReplacer(
	"á", "a", "à", "a", "ä", "a", "â", "a", "ą", "a",
	"é", "e", "è", "e", "ë", "e", "ê", "e", "ę", "e",
	"í", "i", "ï", "i", "î", "i", "ı", "i", "İ", "i",
	"ó", "o", "ö", "o", "ô", "o",
	"ú", "u", "ü", "u", "û", "u",
	"ç", "c", "ć", "c", "ş", "s", "ś", "s", "ğ", "g",
	"ł", "l", "Ł", "l", "ń", "n", "ż", "z", "ź", "z",
	"Ş", "s", "Ç", "c", "Ö", "o", "Ü", "u",
)

// seedASCII lowercases s, removes diacritics and keeps only [a-z0-9] and
// the separator sep for runs of other characters (sep may be 0 to drop them).
func seedASCII(s string, sep byte) string {
	s = strings.ToLower(seedTranslit.Replace(s))
	var b strings.Builder
	pending := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			if pending && b.Len() > 0 && sep != 0 {
				b.WriteByte(sep)
			}
			pending = false
			b.WriteByte(c)
			continue
		}
		if c == '\'' { // 't Zand -> t-zand, no separator for the apostrophe itself
			continue
		}
		pending = true
	}
	return b.String()
}

// seedSlug turns a team name into its id, e.g. "'t Zand" -> "t-zand".
func seedSlug(name string) string { return seedASCII(name, '-') }

// seedSub builds a login subject like "anouk.devries" from a first name and
// surname (including any tussenvoegsel).
func seedSub(first, surname string) string {
	return seedASCII(first, 0) + "." + seedASCII(surname, 0)
}

type seedNamer struct {
	rng  *rand.Rand
	used map[string]bool
}

// draw returns a new unique (sub, name). femalePct is the percentage of
// women for this group of staff.
func (n *seedNamer) draw(femalePct int) (sub, name string) {
	total := 0
	for _, o := range seedOrigins {
		total += o.weight
	}
	for attempt := 0; ; attempt++ {
		w := n.rng.IntN(total)
		var o seedOrigin
		for _, c := range seedOrigins {
			if w < c.weight {
				o = c
				break
			}
			w -= c.weight
		}
		female := n.rng.IntN(100) < femalePct
		var first, last string
		if female {
			first = o.female[n.rng.IntN(len(o.female))]
			last = o.surnames[n.rng.IntN(len(o.surnames))]
		} else {
			first = o.male[n.rng.IntN(len(o.male))]
			sur := o.surnames
			if o.surnamesM != nil {
				sur = o.surnamesM
			}
			last = sur[n.rng.IntN(len(sur))]
		}
		sub = seedSub(first, last)
		name = first + " " + last
		if !n.used[sub] {
			n.used[sub] = true
			return sub, name
		}
		if attempt >= 8 {
			for k := 2; ; k++ {
				s := fmt.Sprintf("%s%d", sub, k)
				if !n.used[s] {
					n.used[s] = true
					return s, name
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------
// People

// seedFixed describes a fixed demo login that other code relies on.
type seedFixed struct {
	sub, name, role string
	team            string   // team id, for team members
	taakrollen      []string // team roles in that team
	desc            string
}

var seedFixedPeople = []seedFixed{
	{sub: "anouk.devries", name: "Anouk de Vries", role: RoleZorgmedewerker, team: "den-helder-centrum",
		taakrollen: []string{TaakrolPlanning}, desc: "Zorgmedewerker in team Den Helder-Centrum, taakrol planning"},
	{sub: "sanne.bakker", name: "Sanne Bakker", role: RoleZorgmedewerker, team: "den-helder-centrum",
		desc: "Zorgmedewerker in team Den Helder-Centrum"},
	{sub: "fatima.elamrani", name: "Fatima El Amrani", role: RoleWijkverpleegkundige, team: "den-helder-centrum",
		taakrollen: []string{TaakrolKwaliteit}, desc: "Wijkverpleegkundige in team Den Helder-Centrum, taakrol kwaliteit"},
	{sub: "daan.visser", name: "Daan Visser", role: RoleZorgmedewerker, team: "julianadorp",
		desc: "Zorgmedewerker in team Julianadorp"},
	{sub: "marieke.jansen", name: "Marieke Jansen", role: RoleCoordinerendWVK,
		desc: "Coördinerend wijkverpleegkundige regio Den Helder"},
	{sub: "peter.smit", name: "Peter Smit", role: RoleTeamcoach,
		desc: "Teamcoach van het leerprogramma zelforganisatie"},
	{sub: "ilse.dekker", name: "Ilse Dekker", role: RoleOndersteunend,
		desc: "Ondersteunende dienst Kwaliteit & Veiligheid"},
	{sub: "johan.mulder", name: "Johan Mulder", role: RoleRegiomanager,
		desc: "Regiomanager regio Hoorn"},
	{sub: "yvonne.kramer", name: "Yvonne Kramer", role: RoleBeheerder,
		desc: "Beheerder van het platform"},
}

func seedFixedPerson(f seedFixed) Person {
	p := Person{
		Sub:             f.sub,
		Name:            f.name,
		Email:           f.sub + "@" + seedEmailDomain,
		Roles:           []string{f.role},
		Demo:            true,
		DemoDescription: f.desc,
	}
	if f.team != "" {
		p.Teams = []Membership{{TeamID: f.team, TeamRoles: append([]string{}, f.taakrollen...)}}
	}
	return p
}

// seedTeamSizes are drawn uniformly; the mean (~12.7) gives about 720 people.
var seedTeamSizes = []int{10, 11, 12, 12, 13, 13, 14, 14, 15}

// Support services (ondersteunende dienst) and how many people work in each.
var seedServices = []struct {
	name  string
	count int
}{
	{"HR", 3},
	{"Financiën & Control", 3},
	{"Kwaliteit & Veiligheid", 2},
	{"ICT", 2},
	{"Communicatie", 2},
}

// Teamcoach focus areas, used in their descriptions.
var seedCoachFocus = []string{
	"leerprogramma zelforganisatie",
	"samen roosteren en plannen",
	"feedback en teamgesprekken",
	"besluiten nemen in het team",
	"instroom en nieuwe teams",
	"financieel inzicht in het team",
	"conflicten en teamontwikkeling",
	"verbeterwerk en reflectie",
}

// People returns all logins of the demo organisation in a deterministic
// order: the members of each team (team by team), followed by the
// coordinating district nurses, team coaches, support services, regional
// managers and administrators.
func People() []Person {
	rng := rand.New(rand.NewPCG(0x9e3779b97f4a7c15, 0x4e6f6f72646572)) // "Noorder"
	namer := &seedNamer{rng: rng, used: map[string]bool{}}

	fixedByTeam := map[string][]seedFixed{}
	fixedByRole := map[string][]seedFixed{}
	for _, f := range seedFixedPeople {
		namer.used[f.sub] = true
		if f.team != "" {
			fixedByTeam[f.team] = append(fixedByTeam[f.team], f)
		} else {
			fixedByRole[f.role] = append(fixedByRole[f.role], f)
		}
	}

	var people []Person
	teams := Teams()
	regionName := map[string]string{}
	for _, r := range seedRegionDefs {
		regionName[r.id] = r.name
	}

	for _, t := range teams {
		size := seedTeamSizes[rng.IntN(len(seedTeamSizes))]
		nurses := 1 + rng.IntN(2)

		type member struct {
			p      Person
			locked bool // fixed demo person: team roles are not changed
		}
		var members []member
		haveNurses := 0
		for _, f := range fixedByTeam[t.ID] {
			members = append(members, member{p: seedFixedPerson(f), locked: true})
			if f.role == RoleWijkverpleegkundige {
				haveNurses++
			}
		}
		for haveNurses < nurses {
			sub, name := namer.draw(85)
			members = append(members, member{p: seedMember(sub, name, RoleWijkverpleegkundige, t.ID)})
			haveNurses++
		}
		for len(members) < size {
			sub, name := namer.draw(85)
			members = append(members, member{p: seedMember(sub, name, RoleZorgmedewerker, t.ID)})
		}

		// Spread the six taakrollen over the unlocked members: every role is
		// held by someone, nobody holds more than two.
		held := map[string]bool{}
		for _, m := range members {
			for _, r := range m.p.Teams[0].TeamRoles {
				held[r] = true
			}
		}
		var free []int
		for i, m := range members {
			if !m.locked {
				free = append(free, i)
			}
		}
		rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
		assign := func(role string) {
			for want := 0; want < 2; want++ {
				for _, i := range free {
					ms := &members[i].p.Teams[0]
					if len(ms.TeamRoles) == want && !seedContains(ms.TeamRoles, role) {
						ms.TeamRoles = append(ms.TeamRoles, role)
						return
					}
				}
			}
		}
		for _, role := range seedTaakrollen {
			if !held[role] {
				assign(role)
			}
		}
		// Planning and scholing are often shared by two people.
		for _, role := range []string{TaakrolPlanning, TaakrolScholing} {
			if rng.IntN(100) < 40 {
				assign(role)
			}
		}
		for _, m := range members {
			people = append(people, m.p)
		}
	}

	// Coordinating district nurses: one per region, no team membership.
	for _, r := range seedRegionDefs {
		if r.id == "den-helder" {
			people = append(people, seedFixedPerson(fixedByRole[RoleCoordinerendWVK][0]))
			continue
		}
		sub, name := namer.draw(80)
		people = append(people, seedStaff(sub, name, RoleCoordinerendWVK,
			"Coördinerend wijkverpleegkundige regio "+r.name))
	}

	// Team coaches.
	for i, focus := range seedCoachFocus {
		if i == 0 {
			people = append(people, seedFixedPerson(fixedByRole[RoleTeamcoach][0]))
			continue
		}
		sub, name := namer.draw(65)
		people = append(people, seedStaff(sub, name, RoleTeamcoach, "Teamcoach, aandachtsgebied "+focus))
	}

	// Support services.
	for _, s := range seedServices {
		for i := 0; i < s.count; i++ {
			if s.name == "Kwaliteit & Veiligheid" && i == 0 {
				people = append(people, seedFixedPerson(fixedByRole[RoleOndersteunend][0]))
				continue
			}
			sub, name := namer.draw(65)
			people = append(people, seedStaff(sub, name, RoleOndersteunend, "Ondersteunende dienst "+s.name))
		}
	}

	// Regional managers: one per region.
	for _, r := range seedRegionDefs {
		if r.id == "hoorn" {
			people = append(people, seedFixedPerson(fixedByRole[RoleRegiomanager][0]))
			continue
		}
		sub, name := namer.draw(55)
		people = append(people, seedStaff(sub, name, RoleRegiomanager, "Regiomanager regio "+r.name))
	}

	// Administrators.
	people = append(people, seedFixedPerson(fixedByRole[RoleBeheerder][0]))
	sub, name := namer.draw(50)
	people = append(people, seedStaff(sub, name, RoleBeheerder, "Beheerder van het platform (functioneel beheer)"))

	return people
}

func seedMember(sub, name, role, teamID string) Person {
	return Person{
		Sub:   sub,
		Name:  name,
		Email: sub + "@" + seedEmailDomain,
		Roles: []string{role},
		Teams: []Membership{{TeamID: teamID, TeamRoles: []string{}}},
	}
}

func seedStaff(sub, name, role, desc string) Person {
	return Person{
		Sub:             sub,
		Name:            name,
		Email:           sub + "@" + seedEmailDomain,
		Roles:           []string{role},
		DemoDescription: desc,
	}
}

func seedContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Groups are the groups claim the development provider gives a demo person.
func (p Person) Groups(rolePrefix, teamPrefix string) []string {
	var g []string
	for _, r := range p.Roles {
		g = append(g, rolePrefix+r)
	}
	for _, m := range p.Teams {
		g = append(g, teamPrefix+m.TeamID)
	}
	return g
}

// TeamMembers returns the login subjects of each team's members, in People's order.
func TeamMembers() map[string][]string {
	out := map[string][]string{}
	for _, p := range People() {
		for _, m := range p.Teams {
			out[m.TeamID] = append(out[m.TeamID], p.Sub)
		}
	}
	return out
}

// RegionOf is the region a regional manager or coordinating district nurse
// works for (their description names it), and false for everyone else.
func RegionOf(p Person) (string, bool) {
	i := strings.LastIndex(p.DemoDescription, " regio ")
	if i < 0 || len(p.Roles) == 0 || (p.Roles[0] != RoleRegiomanager && p.Roles[0] != RoleCoordinerendWVK) {
		return "", false
	}
	name := p.DemoDescription[i+len(" regio "):]
	for _, r := range seedRegionDefs {
		if r.name == name {
			return r.id, true
		}
	}
	return "", false
}

// DesignerSub is the demo login that designs learning programmes (support services).
const DesignerSub = "ilse.dekker"

// CoachOf returns the coach (login subject) of each team: the eight coaches
// take consecutive teams, so peter.smit coaches the first seven teams of Den
// Helder (Den Helder-Centrum among them).
func CoachOf() map[string]string {
	var coaches []string
	for _, p := range People() {
		if seedContains(p.Roles, RoleTeamcoach) {
			coaches = append(coaches, p.Sub)
		}
	}
	out := map[string]string{}
	teams := Teams()
	for i, t := range teams {
		out[t.ID] = coaches[i*len(coaches)/len(teams)]
	}
	return out
}
