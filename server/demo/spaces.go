package demo

import (
	"strings"

	"github.com/plein/plein/server/teamspace"
)

// The team spaces' demo content: three communities, profiles, agreements,
// posts, comments and reactions for a few teams, events in the coming weeks,
// an announcement from the quality service that asks for acknowledgement,
// and folders and documents. People are orgdata's logins.

// The demo communities' ids.
const (
	CommunityDementie   = "c-dementiezorg"
	CommunityWondzorg   = "c-wondzorg-netwerk"
	CommunityPalliatief = "c-palliatieve-zorg"
)

type seedComment struct {
	who   string // a demo login (sub) or "#n": the team's n-th other member
	hours int    // after the post
	body  string
}

type seedPost struct {
	team      string
	who       string
	daysAgo   int
	hour      int
	vis       string
	agreement bool
	pinned    bool
	body      string
	comments  []seedComment
	reactions string // "who:emoji who:emoji …"
}

type seedEvent struct {
	team        string
	who         string
	days        int // from today
	hour, mins  int // start and duration; hour < 0: all day
	title       string
	location    string
	description string
	vis         string
}

type seedProfile struct {
	team        string
	who         string
	description string
	area        []string
}

const (
	dhc = "den-helder-centrum"
	jdp = "julianadorp"
	dbg = "den-burg"
	og  = teamspace.VisibilityOrganisation
	tm  = teamspace.VisibilityTeam
)

var seedProfiles = []seedProfile{
	{dhc, "sanne.bakker", "Wij zijn **team Den Helder-Centrum**: twaalf collega's die de wijkverpleging en persoonlijke verzorging doen in de binnenstad, rond de Keizerstraat en op Willemsoord.\n\n" +
		"Veel van onze cliënten wonen in appartementen boven winkels of in de oude marinewoningen, vaak zonder lift. We kennen de trappen, de sleutelkastjes en de buren.\n\n" +
		"Waar we goed in zijn: wondzorg, palliatieve zorg thuis en samenwerken met de huisartsen aan het Bernhardplein. Je vindt ons op de teampost boven de bibliotheek; bellen kan van 7.30 tot 17.00 uur.",
		[]string{"1781", "Binnenstad", "Willemsoord", "Keizerstraat", "Stadshart"}},
	{jdp, "daan.visser", "**Team Julianadorp** werkt in het oude dorp, de nieuwbouwwijken en de vakantieparken aan zee.\n\n" +
		"We zijn een jong team met een paar ervaren rotten: we plannen samen, werken met vaste routes en houden elke dinsdag kort teamoverleg.\n\n" +
		"In de zomer krijgen we er vakantiegasten bij die tijdelijk zorg nodig hebben. Aanmelden kan via de transferverpleegkundige of rechtstreeks bij ons.",
		[]string{"1787", "1788", "Julianadorp", "Julianadorp aan Zee", "De Riepel", "Zandloper"}},
	{dbg, "#0", "Vanuit **Den Burg** rijden we over het hele middendeel van Texel, tot De Waal en de boerderijen in de polder.\n\n" +
		"Omdat de overkant ver weg is, regelen we veel zelf: hulpmiddelen, overleg met de huisartsen op het eiland en de overdracht met het ziekenhuis in Den Helder. De boot van 6.30 uur kennen we goed.",
		[]string{"1791", "1793", "Den Burg", "De Waal"}},
}

var seedPosts = []seedPost{
	// Den Helder-Centrum
	{dhc, "sanne.bakker", 118, 9, tm, true, true,
		"**Afspraak: overdracht vóór 13.00 uur**\n\nWe spreken af dat de overdracht van de ochtenddienst uiterlijk om 13.00 uur in het zorgdossier staat, met bijzonderheden bovenaan. Lukt het niet, bel dan even met de middagdienst. Zo hoeft niemand meer te zoeken bij de eerste cliënt van de middag.",
		[]seedComment{{"fatima.elamrani", 2, "Goed plan. Zullen we na een maand evalueren in het teamoverleg?"}, {"sanne.bakker", 3, "Ja, ik zet het op de agenda van het overleg in maart."}},
		"anouk.devries:👍 fatima.elamrani:👍 #0:👍 #1:✅"},
	{dhc, "anouk.devries", 104, 14, tm, true, true,
		"**Afspraak: sleutels terug in de kluis**\n\nSleutels van cliënten gaan na de dienst altijd terug in de sleutelkluis op de teampost, ook als je de volgende ochtend weer bij dezelfde cliënt begint. Noteer in de sleutellijst wie welke sleutel heeft. Kwijt? Meteen melden bij de coördinator van dienst.",
		nil, "sanne.bakker:✅ fatima.elamrani:✅ #2:👍"},
	{dhc, "fatima.elamrani", 97, 11, og,
		false, false,
		"Welkom aan onze nieuwe collega **Lotte**! Ze komt van het ziekenhuis in Den Helder en loopt de komende drie weken mee met een buddy. Kom je haar tegen op de teampost, stel je dan even voor. 🙂",
		[]seedComment{{"#1", 1, "Welkom Lotte! Fijn dat je er bent."}, {"#3", 5, "Welkom! Vraag gerust als je iets niet weet."}},
		"anouk.devries:🎉 sanne.bakker:🎉 #0:❤️ #1:🎉 #2:🎉"},
	{dhc, "sanne.bakker", 90, 8, tm, false, false,
		"Vanaf maandag nemen we de wondzorg over van twee cliënten die uit het ziekenhuis komen. De wondverpleegkundige komt de eerste keer mee. Wil iedereen die die week de route Binnenstad heeft het wondprotocol nog even doorlezen?",
		[]seedComment{{"anouk.devries", 4, "Ik heb maandag die route, ik lees het vandaag door."}},
		"anouk.devries:👍 fatima.elamrani:👀"},
	{dhc, "anouk.devries", 83, 16, og, false, false,
		"Wat we leerden van een half jaar **valpreventie-huisbezoeken**: bij bijna de helft van de bezoeken vonden we iets kleins dat we meteen konden oplossen, zoals een losliggend kleed of te weinig licht in de gang. Wij gebruiken de checklist van het kwaliteitsteam en nemen er twintig minuten voor. Andere teams die ervaring willen uitwisselen: reageer hier!",
		[]seedComment{{"daan.visser", 20, "In Julianadorp willen we hiermee beginnen. Mogen we jullie checklist gebruiken?"}, {"anouk.devries", 22, "Natuurlijk, hij staat bij de documenten van het kwaliteitsteam. Ik stuur je de link."}},
		"daan.visser:👍 sanne.bakker:❤️ #0:👍 #4:🙏"},
	{dhc, "#2", 76, 19, tm, false, false,
		"Wie kan er ruilen op zaterdag de 14e? Ik heb een bruiloft in de familie. Ik kan in ruil de zondag daarna of een avonddienst in de week erna doen.",
		[]seedComment{{"#3", 3, "Ik kan ruilen, dan neem ik jouw zaterdag en jij mijn zondag de 22e?"}, {"#2", 4, "Top, dank je! Ik pas het rooster aan."}},
		"#3:👍"},
	{dhc, "fatima.elamrani", 69, 10, tm, false, false,
		"Herinnering: donderdag om 14.00 uur is de **scholing tilliften** op de teampost. De leverancier neemt een plafondlift en een passieve tillift mee. Zet je naam op de lijst in de teamkamer als je komt, dan weten we hoeveel koffie er moet zijn.",
		nil, "anouk.devries:👍 sanne.bakker:👍 #1:👍 #2:👀"},
	{dhc, "sanne.bakker", 61, 13, og, false, false,
		"Sinds januari overleggen we elke twee weken kort met de **huisartsenpraktijk aan het Bernhardplein** over cliënten met een complexe zorgvraag. Het kost ons een half uur, en het scheelt veel telefoontjes heen en weer. Aanrader voor teams die dicht bij een praktijk zitten.",
		[]seedComment{{"#0", 6, "En de praktijkondersteuner schuift soms ook aan, dat helpt echt."}},
		"anouk.devries:👍 #0:👍 #1:✅"},
	{dhc, "anouk.devries", 48, 17, tm, false, false,
		"Evaluatie van het teamoverleg: we doen het voortaan op dinsdag in plaats van vrijdag, omdat dan meer mensen kunnen. Agendapunten graag uiterlijk maandag in de teamapp. Notulen komen bij de documenten in de map Overleg.",
		nil, "sanne.bakker:👍 fatima.elamrani:👍"},
	{dhc, "#1", 40, 8, tm, false, false,
		"De nieuwe dienstauto is geleverd en staat op de vaste plek achter de teampost. Sleutel hangt in het kastje. Let op: het is een elektrische auto, dus na je dienst graag aan de laadpaal.",
		[]seedComment{{"fatima.elamrani", 2, "Eindelijk! Rijdt hij een beetje fijn?"}, {"#1", 3, "Heel stil, schrik niet als je wegrijdt 😄"}},
		"fatima.elamrani:🎉 anouk.devries:👍 #3:🎉"},
	{dhc, "fatima.elamrani", 33, 12, og, false, false,
		"Tip voor mantelzorgers in Den Helder: elke eerste woensdag van de maand is er een **mantelzorgcafé** in het wijkcentrum op Willemsoord. Wij zijn er om de beurt bij om vragen te beantwoorden. Folders liggen op de teampost.",
		nil, "sanne.bakker:❤️ #4:👍"},
	{dhc, "sanne.bakker", 21, 15, tm, false, false,
		"De vakantieplanning voor de zomer staat klaar. Kijk even of je eigen weken kloppen; wijzigingen graag vóór het eind van de maand bij mij of bij de collega met de taakrol planning.",
		[]seedComment{{"anouk.devries", 1, "Mijn weken kloppen, dank je!"}},
		"anouk.devries:✅ fatima.elamrani:✅ #0:✅"},
	{dhc, "anouk.devries", 9, 10, tm, false, false,
		"Let op: de apotheek in de Spoorstraat levert vanaf volgende week de **medicatierollen** op dinsdag in plaats van maandag. Controleer bij de cliënten op jouw route of er genoeg voorraad is tot de nieuwe leverdag.",
		[]seedComment{{"#2", 3, "Goed dat je het zegt, ik kijk het morgen na."}},
		"sanne.bakker:👀 fatima.elamrani:👍"},
	{dhc, "sanne.bakker", 3, 9, og, false, false,
		"Trots op ons team: in het cliëntonderzoek gaven onze cliënten ons gemiddeld een **8,6**. Wat ze het vaakst noemden: vaste gezichten en dat we de tijd nemen. Dank aan iedereen!",
		[]seedComment{{"fatima.elamrani", 1, "Wat mooi! 🎉"}, {"daan.visser", 5, "Gefeliciteerd vanuit Julianadorp!"}},
		"anouk.devries:🎉 fatima.elamrani:🎉 daan.visser:👍 #0:❤️ #1:🎉 #2:🎉"},

	// Julianadorp
	{jdp, "daan.visser", 112, 9, tm, true, true,
		"**Afspraak: planning in teamoverleg op dinsdag**\n\nWe maken de weekplanning samen in het overleg op dinsdag. Ruilen na dinsdag mag, maar alleen onderling en je zet het zelf in het rooster. Zo blijft de planner niet de hele week aan de telefoon.",
		[]seedComment{{"#0", 2, "Eens. En ziekmeldingen blijven via de coördinator van dienst?"}, {"daan.visser", 3, "Ja, die blijven zoals ze zijn."}},
		"#0:✅ #1:✅ #2:👍"},
	{jdp, "#1", 99, 13, og, false, false,
		"In de zomer hebben we elk jaar vakantiegasten in de parken aan zee die tijdelijk zorg nodig hebben. We hebben nu een vaste afspraak met de parken: zij melden aan via één telefoonnummer en wij komen binnen 24 uur langs voor een intake. Scheelt veel gedoe.",
		[]seedComment{{"#2", 4, "En de parken regelen de sleutel, dat is echt een verbetering."}},
		"daan.visser:👍 #2:👍 #3:🙏"},
	{jdp, "daan.visser", 88, 15, tm, false, false,
		"Wie wil de taakrol **scholing** van Ingrid overnemen als zij in april met verlof gaat? Het is ongeveer twee uur per maand: scholingen plannen en bijhouden wie wat nog moet doen.",
		[]seedComment{{"#3", 6, "Ik wil het wel proberen, als iemand me de eerste keer helpt."}, {"daan.visser", 7, "Super! Ik help je."}},
		"#3:👍 #0:🎉"},
	{jdp, "#0", 80, 10, tm, false, false,
		"De tillift bij de cliënt in De Riepel maakt een raar geluid. Ik heb hem gemeld bij de leverancier, ze komen donderdag. Tot die tijd graag met z'n tweeën tillen en extra voorzichtig zijn.",
		nil, "daan.visser:👀 #1:👍"},
	{jdp, "daan.visser", 71, 9, og, false, false,
		"We zijn begonnen met **valpreventie-huisbezoeken**, met de checklist van team Den Helder-Centrum. De eerste tien bezoeken leverden al drie trapleuningen en een nachtlampje op. Dank aan Anouk voor de tips!",
		[]seedComment{{"anouk.devries", 3, "Wat leuk om te horen! Laat weten hoe het verder gaat."}},
		"anouk.devries:❤️ #0:👍 #2:👍"},
	{jdp, "#2", 60, 18, tm, false, false,
		"Kleine reminder: de telefoon van de avonddienst moet 's avonds aan de lader op de teampost. Vorige week was hij twee keer leeg bij de overdracht.",
		nil, "daan.visser:👍 #1:🙏"},
	{jdp, "daan.visser", 52, 11, tm, false, false,
		"Uitkomst van de teamdag: we gaan werken met **twee vaste routes** in het oude dorp en één flexroute voor de parken. Iedereen houdt zoveel mogelijk dezelfde cliënten. Na drie maanden kijken we of het werkt.",
		[]seedComment{{"#0", 2, "Fijne dag was het. Goed dat we dit samen besloten hebben."}, {"#3", 5, "Eens! Ik ben benieuwd."}},
		"#0:🎉 #1:👍 #2:👍 #3:🎉"},
	{jdp, "#3", 41, 14, og, false, false,
		"Vraag aan andere teams: hoe regelen jullie de overdracht met de huisartsenpost in het weekend? Wij missen soms informatie op maandagochtend.",
		[]seedComment{{"sanne.bakker", 4, "Wij krijgen op zondagavond een korte samenvatting per mail van de post. Ik vraag even na hoe dat geregeld is."}},
		"daan.visser:👀 sanne.bakker:👍"},
	{jdp, "#1", 30, 8, tm, false, false,
		"Vanaf volgende week werkt de nieuwe collega Mees op dinsdag en donderdag mee. Hij doet de opleiding verpleegkunde en loopt stage bij ons.",
		nil, "daan.visser:🎉 #0:🎉 #2:👍"},
	{jdp, "daan.visser", 19, 16, tm, false, false,
		"Het materiaalhok is opgeruimd! Handschoenen en verband staan nu op kleur per maat. Wil iedereen zelf een briefje in de bak doen als iets bijna op is?",
		nil, "#0:🙏 #1:👍 #3:❤️"},
	{jdp, "#0", 11, 12, og, false, false,
		"Mooi nieuws: de gemeente opent in het dorpshuis van Julianadorp een **inloopspreekuur voor ouderen**, elke donderdagmiddag. Wij zijn er de eerste keer bij om kennis te maken.",
		nil, "daan.visser:👍 #2:🎉"},
	{jdp, "daan.visser", 2, 9, tm, false, false,
		"Denk aan de griepprik: het spreekuur voor medewerkers is volgende week woensdag bij de bedrijfsarts. Aanmelden via het intranet.",
		nil, "#1:👍"},

	// Den Burg
	{dbg, "#0", 110, 8, tm, true, true,
		"**Afspraak: bootdagen**\n\nOp dagen dat er materialen of hulpmiddelen met de boot komen, haalt de collega met de route De Waal ze op bij 't Horntje. We noteren in de teamapp wat er komt, zodat niemand voor niets rijdt.",
		[]seedComment{{"#1", 2, "Goede afspraak, scheelt een hoop kilometers."}}, "#1:✅ #2:✅"},
	{dbg, "#1", 95, 10, og, false, false,
		"Op Texel werken we nauw samen met de huisartsen op het eiland. Sinds kort hebben we een gezamenlijke groepsapp voor spoedvragen overdag. Werkt erg goed, al moeten we goed opletten dat er geen cliëntgegevens in komen.",
		nil, "#0:👍 #3:👍"},
	{dbg, "#2", 82, 15, tm, false, false,
		"De auto met de lekke band staat weer op de weg. Graag de bandenspanning controleren als je tankt; op de schelpenpaden gaat het snel mis.",
		nil, "#0:🙏"},
	{dbg, "#0", 70, 9, tm, false, false,
		"Scholing palliatieve zorg: op 12 mei komt het netwerk palliatieve zorg naar de overkant van het eiland, wie wil er mee? We kunnen met twee auto's.",
		[]seedComment{{"#3", 1, "Ik ga mee!"}, {"#1", 4, "Ik ook, ik kan rijden."}}, "#3:👍 #1:👍"},
	{dbg, "#3", 58, 11, og, false, false,
		"In het voorjaar hebben we voor het eerst een **mantelzorgavond** georganiseerd in het dorpshuis van De Waal. Twintig mensen kwamen, veel meer dan we dachten. Volgend jaar weer.",
		[]seedComment{{"fatima.elamrani", 6, "Wat een mooi initiatief! Hoe hebben jullie het bekendgemaakt?"}, {"#3", 8, "Via de kerk, de huisarts en de lokale krant."}},
		"#0:🎉 fatima.elamrani:❤️ #2:👍"},
	{dbg, "#1", 45, 17, tm, false, false,
		"Het rooster voor de zomer is rond. Door de toeristen wordt het in juli druk; we hebben twee invalkrachten van de overkant die een week blijven logeren.",
		nil, "#0:👍 #2:👍"},
	{dbg, "#0", 31, 8, tm, false, false,
		"Nieuwe werkwijze voor de nachtzorg: vanaf deze maand doet het nachtteam van de regio ook de oproepen op Texel via de alarmcentrale. Wij maken 's avonds een korte overdracht per telefoon.",
		[]seedComment{{"#2", 3, "Fijn, dan slaap ik weer wat beter in mijn bereikbaarheidsweek."}}, "#2:🙏 #3:👍"},
	{dbg, "#2", 20, 13, tm, false, false,
		"Vergeet niet je uren voor de maand in te vullen, het systeem sluit vrijdag.",
		nil, "#1:👍"},
	{dbg, "#3", 8, 10, og, false, false,
		"Op Texel zoeken we collega's die in de zomer een paar weken willen komen werken. Logeren kan in het personeelshuis in Den Burg. Interesse? Stuur ons een bericht!",
		nil, "#0:👍 #1:🎉"},
	{dbg, "#0", 1, 9, tm, false, false,
		"De nieuwe bloeddrukmeters zijn binnen. Ze liggen in de kast op de teampost, de oude gaan terug naar de leverancier.",
		nil, "#1:👍"},
}

var seedEvents = []seedEvent{
	{dhc, "sanne.bakker", 5, 14, 60, "Teamoverleg", "Teampost Den Helder-Centrum", "Agendapunten in de teamapp, uiterlijk maandag.", tm},
	{dhc, "fatima.elamrani", 12, 13, 120, "Scholing wondzorg: negatieve drukbehandeling", "Teampost Den Helder-Centrum", "Met de wondverpleegkundige van de regio. Neem je eigen casus mee.", og},
	{dhc, "anouk.devries", 19, -1, 0, "Teamdag", "Fort Kijkduin", "Hele dag met het team, lunch wordt verzorgd.", tm},
	{jdp, "daan.visser", 4, 9, 45, "Teamoverleg en weekplanning", "Dorpshuis Julianadorp", "", tm},
	{jdp, "daan.visser", 15, 14, 90, "Kennismaking inloopspreekuur gemeente", "Dorpshuis Julianadorp", "Open voor iedereen die meer wil weten over het spreekuur.", og},
	{dbg, "#0", 7, 10, 60, "Overleg met de huisartsen op het eiland", "Gezondheidscentrum Den Burg", "", tm},
	{dbg, "#1", 21, -1, 0, "Scholing palliatieve zorg (netwerk)", "Den Helder", "We rijden met twee auto's, boot van 8.00 uur.", og},
}

const (
	seedAnnouncementTitle = "Herzien protocol medicatieveiligheid: dubbele controle bij risicovolle medicatie"
	seedAnnouncementText  = "Per de eerste van volgende maand geldt het herziene protocol **medicatieveiligheid**. De belangrijkste wijzigingen:\n\n" +
		"- Bij risicovolle medicatie (insuline, opiaten, antistolling) doen we altijd een **dubbele controle**, ook in de avond- en weekenddiensten.\n" +
		"- Afwijkingen van de toedienlijst meld je dezelfde dag in het MIC-formulier.\n" +
		"- Het protocol staat in de kennisbank onder Protocollen › Medicatie.\n\n" +
		"Wil je na het lezen bevestigen dat je het protocol kent? Vragen kun je stellen aan de aandachtsvelder kwaliteit in je team of aan mij.\n\nIlse Dekker, Kwaliteit & Veiligheid"
)

// SpaceTexts returns every text of the demo content (posts, comments, event
// titles, places and descriptions, profiles, communities, the announcement,
// document names, notes and contents), one text per value. The identifier
// guard measures its false positives on them.
func SpaceTexts() []string {
	var out []string
	addPosts := func(ps []seedPost) {
		for _, p := range ps {
			out = append(out, p.body)
			for _, c := range p.comments {
				out = append(out, c.body)
			}
		}
	}
	addPosts(seedPosts)
	for _, c := range seedCommunities {
		out = append(out, c.name, c.description)
		addPosts(c.posts)
	}
	for _, e := range seedEvents {
		out = append(out, e.title, e.location, e.description)
	}
	for _, p := range seedProfiles {
		out = append(out, p.description, strings.Join(p.area, ", "))
	}
	out = append(out, seedAnnouncementTitle, seedAnnouncementText)
	for _, d := range seedDocs {
		out = append(out, d.name, d.note, d.title, strings.Join(d.lines, "\n"))
	}
	for _, f := range seedFolders {
		out = append(out, f.path)
	}
	return out
}

type seedCommunity struct {
	id, name, description, creator string
	members                        []string
	posts                          []seedPost
}

var seedCommunities = []seedCommunity{
	{CommunityDementie, "Dementiezorg",
		"Voor iedereen die thuis zorgt voor mensen met dementie: casuïstiek, tips voor de omgang met onrust, samenwerking met casemanagers en het steunen van mantelzorgers.",
		"fatima.elamrani", []string{"anouk.devries", "daan.visser", "ilse.dekker"},
		[]seedPost{{"", "fatima.elamrani", 50, 10, og, false, false,
			"Welkom in de community **Dementiezorg**! Deel hier je vragen en ervaringen. Om te beginnen: wat helpt bij jullie cliënten bij onrust aan het eind van de middag?",
			[]seedComment{{"daan.visser", 5, "Bij ons helpt vaste muziek van vroeger en de gordijnen op tijd dicht."}}, "anouk.devries:👍 ilse.dekker:❤️"}}},
	{CommunityWondzorg, "Wondzorg-netwerk",
		"Het netwerk van wondaandachtsvelders uit alle regio's. Hier delen we nieuwe inzichten, vragen we elkaar om advies (zonder cliëntgegevens) en plannen we scholing.",
		"sanne.bakker", []string{"anouk.devries", "daan.visser"},
		[]seedPost{{"", "sanne.bakker", 35, 9, og, false, false,
			"Het nieuwe wondprotocol van het kwaliteitsteam staat online. De belangrijkste wijziging: wondfoto's maken we alleen nog in de beveiligde app, nooit meer met de eigen telefoon.",
			nil, "anouk.devries:✅ daan.visser:👍"}}},
	{CommunityPalliatief, "Palliatieve zorg",
		"Over zorg in de laatste levensfase thuis: samenwerking met het netwerk palliatieve zorg, de huisarts en vrijwilligers, en over hoe we elkaar als collega's steunen.",
		"ilse.dekker", []string{"sanne.bakker", "fatima.elamrani"},
		[]seedPost{{"", "ilse.dekker", 26, 13, og, false, false,
			"Het netwerk palliatieve zorg Noord-Holland Noord organiseert in het voorjaar een scholingsavond over proactieve zorgplanning. Wie wil, kan zich via mij aanmelden.",
			[]seedComment{{"sanne.bakker", 3, "Ik meld me aan, en ik vraag of er nog iemand uit ons team mee wil."}}, "fatima.elamrani:👍 sanne.bakker:🙏"}}},
}

// Documents: folders and files for two teams and a community, with
// text that global search finds (PDF, markdown and plain text).

type seedDoc struct {
	space, who, folder, name string
	daysAgo                  int
	note                     string
	title                    string   // PDF title (PDF files only)
	lines                    []string // the file's text
}

var seedFolders = []struct{ space, who, path string }{
	{dhc, "anouk.devries", "/Overleg"},
	{dhc, "anouk.devries", "/Afspraken"},
	{jdp, "daan.visser", "/Overleg"},
	{CommunityWondzorg, "ilse.dekker", "/Formulieren"},
}

var seedDocs = []seedDoc{
	{space: dhc, who: "anouk.devries", folder: "/Afspraken", name: "Werkafspraken weekenddiensten.pdf", daysAgo: 40, note: "Eerste versie na het teamoverleg",
		title: "Werkafspraken weekenddiensten", lines: []string{
			"Team Den Helder Centrum – vastgesteld in het teamoverleg.",
			"",
			"1. In het weekend werken we met twee vaste routes en één achterwacht.",
			"2. De achterwacht is telefonisch bereikbaar van 7.00 tot 23.00 uur.",
			"3. Bij ziekte bel je de planner van dienst vóór 6.30 uur.",
			"4. Risicovolle medicatie (insuline, opiaten) controleren we met z'n tweeën.",
			"5. Overdracht gaat via het cliëntdossier, niet via de teamapp.",
		}},
	{space: dhc, who: "sanne.bakker", folder: "/Afspraken", name: "Werkafspraken weekenddiensten.pdf", daysAgo: 9, note: "Achterwacht nu tot 23.30 uur, afspraak 6 toegevoegd",
		title: "Werkafspraken weekenddiensten", lines: []string{
			"Team Den Helder Centrum – herzien na de evaluatie in het teamoverleg.",
			"",
			"1. In het weekend werken we met twee vaste routes en één achterwacht.",
			"2. De achterwacht is telefonisch bereikbaar van 7.00 tot 23.30 uur.",
			"3. Bij ziekte bel je de planner van dienst vóór 6.30 uur.",
			"4. Risicovolle medicatie (insuline, opiaten) controleren we met z'n tweeën.",
			"5. Overdracht gaat via het cliëntdossier, niet via de teamapp.",
			"6. Sleutelkluizen: de code staat alleen in het dossier, nooit in een bericht.",
		}},
	{space: dhc, who: "anouk.devries", folder: "/Overleg", name: "Notulen teamoverleg oktober.md", daysAgo: 30,
		lines: []string{
			"# Notulen teamoverleg oktober",
			"",
			"Aanwezig: het hele team behalve twee collega's met vakantie.",
			"",
			"## Valpreventie",
			"We starten met de valrisico-screening bij alle nieuwe cliënten boven de 75. Fatima maakt een korte instructie.",
			"",
			"## Griepprik",
			"De griepvaccinatie voor medewerkers is op donderdag in het wijkgebouw. Wie niet kan, meldt zich bij de bedrijfsarts.",
			"",
			"## Rondvraag",
			"Parkeervergunningen voor de binnenstad verlopen eind december; Sanne vraagt ze opnieuw aan.",
		}},
	{space: dhc, who: "fatima.elamrani", folder: "/", name: "Inwerkmap nieuwe collega.pdf", daysAgo: 55, note: "Voor iedereen die bij ons begint",
		title: "Inwerkmap Den Helder Centrum", lines: []string{
			"Welkom in ons team! In je eerste twee weken loop je mee met een vaste collega.",
			"",
			"Week 1: kennismaken met de cliënten in de wijk, de routes en het cliëntdossier.",
			"Week 2: zelf zorg verlenen onder begeleiding; we bespreken elke dag kort hoe het ging.",
			"",
			"Praktisch:",
			"- Je krijgt een telefoon, een sleutelkastje en een parkeervergunning van de teamcoördinator.",
			"- Scholing: e-learning hygiëne en medicatieveiligheid in de eerste maand.",
			"- Vragen over rooster of verlof: kijk in de kennisbank onder HR of vraag het in het team.",
			"",
			"Taakrollen in ons team: planning, kwaliteit, scholing, cliëntcontacten en financiën.",
		}},
	{space: jdp, who: "daan.visser", folder: "/Overleg", name: "Agenda teamoverleg.txt", daysAgo: 4,
		lines: []string{
			"Agenda teamoverleg Julianadorp",
			"1. Opening en mededelingen",
			"2. Casuïstiek: cliënt met beginnende dementie en overbelaste mantelzorger",
			"3. Valpreventie: ervaringen met de checklist van Den Helder",
			"4. Vakantieplanning kerst en oud en nieuw",
			"5. Rondvraag",
		}},
	{space: CommunityWondzorg, who: "ilse.dekker", folder: "/Formulieren", name: "Wondobservatieformulier.pdf", daysAgo: 20, note: "Gebruik bij elke wondcontrole",
		title: "Wondobservatieformulier (TIME-model)", lines: []string{
			"Cliënt: ____________________   Datum: __________   Wond locatie: __________",
			"",
			"T – Tissue: weefseltype (necrose, beslag, granulatie, epithelisatie)",
			"I – Infectie/inflammatie: roodheid, warmte, zwelling, geur, pijn",
			"M – Moisture: exsudaat (geen, weinig, matig, veel) en kleur",
			"E – Edge: wondranden (vitaal, ondermijnd, verweekt)",
			"",
			"Afmeting: lengte × breedte × diepte in cm. Maak een foto volgens het fotoprotocol.",
			"Verbandmiddel en wisselfrequentie: ____________________",
		}},
}

// spaceLogins are the demo logins that post in the team spaces: "#n" in a
// post names the n-th member of its team who is none of them.
var spaceLogins = []string{"anouk.devries", "sanne.bakker", "fatima.elamrani", "daan.visser", "ilse.dekker", "yvonne.kramer"}

// SpaceContent is the demo content as Seed takes it.
func SpaceContent() SeedContent {
	c := SeedContent{Logins: spaceLogins, OtherTeams: []string{dhc, jdp, dbg},
		Announcement: SeedAnnouncement{Who: "ilse.dekker", Title: seedAnnouncementTitle, Body: seedAnnouncementText,
			AckBy: []string{"anouk.devries", "daan.visser"}}}
	for _, p := range seedProfiles {
		c.Profiles = append(c.Profiles, SeedProfile{Team: p.team, Who: p.who, Description: p.description, Area: p.area})
	}
	for _, m := range seedCommunities {
		c.Communities = append(c.Communities, SeedCommunity{ID: m.id, Name: m.name, Description: m.description,
			Creator: m.creator, Members: m.members, Posts: spacePosts(m.posts)})
	}
	c.Posts = spacePosts(seedPosts)
	for _, e := range seedEvents {
		c.Events = append(c.Events, SeedEvent{Team: e.team, Who: e.who, Days: e.days, Hour: e.hour, Mins: e.mins,
			Title: e.title, Location: e.location, Description: e.description, Vis: e.vis})
	}
	for _, f := range seedFolders {
		c.Folders = append(c.Folders, SeedFolder{Space: f.space, Who: f.who, Path: f.path})
	}
	for _, d := range seedDocs {
		c.Docs = append(c.Docs, SeedDoc{Space: d.space, Who: d.who, Folder: d.folder, Name: d.name, DaysAgo: d.daysAgo,
			Note: d.note, Title: d.title, Lines: d.lines})
	}
	return c
}

func spacePosts(ps []seedPost) []SeedPost {
	var out []SeedPost
	for _, p := range ps {
		x := SeedPost{Team: p.team, Who: p.who, DaysAgo: p.daysAgo, Hour: p.hour, Vis: p.vis, Agreement: p.agreement,
			Pinned: p.pinned, Body: p.body, Reactions: p.reactions}
		for _, c := range p.comments {
			x.Comments = append(x.Comments, SeedComment{Who: c.who, Hours: c.hours, Body: c.body})
		}
		out = append(out, x)
	}
	return out
}
