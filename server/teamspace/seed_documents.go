package teamspace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/plein/plein/server/doctext"
	"github.com/plein/plein/server/store/blob"
)

// Demo documents: folders and files for two teams and a community, with
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
	{SeedCommunityWondzorg, "ilse.dekker", "/Formulieren"},
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
	{space: SeedCommunityWondzorg, who: "ilse.dekker", folder: "/Formulieren", name: "Wondobservatieformulier.pdf", daysAgo: 20, note: "Gebruik bij elke wondcontrole",
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

// docItems adds the seed folders and documents to the timed log items.
func (sd *seeder) docItems(ctx context.Context) []timed {
	var items []timed
	for i, f := range seedFolders {
		f := f
		by, at := sd.user(f.space, f.who), sd.at(70, 9).Add(time.Duration(i)*time.Minute)
		items = append(items, timed{at: at, make: func() (*entry, error) {
			return &entry{Kind: kFolder, By: by, Space: f.space, Text: f.path, At: at}, nil
		}})
	}
	ids := map[string]*string{} // space + folder + name → document id
	for i, d := range seedDocs {
		d := d
		by, at := sd.user(d.space, d.who), sd.at(d.daysAgo, 10).Add(time.Duration(i)*time.Minute)
		key := d.space + d.folder + "/" + d.name
		ref, version := ids[key], 2
		if ref == nil {
			ref, version = new(string), 1
			ids[key] = ref
		}
		items = append(items, timed{at: at, make: func() (*entry, error) {
			return sd.storeDoc(ctx, d, by, at, version, *ref)
		}, done: func(e *entry) { *ref = e.Ref }})
	}
	return items
}

// storeDoc stores a seed document's bytes and text and returns its log
// entry (its Ref is filled in when written, for a new document).
func (sd *seeder) storeDoc(ctx context.Context, d seedDoc, by string, at time.Time, version int, ref string) (*entry, error) {
	if version > 1 && ref == "" {
		return nil, nil // the first version was skipped
	}
	if _, ok := sd.svc.org.TeamName(d.space); !ok && !IsCommunityID(d.space) {
		return nil, nil // a team the organisation does not have
	}
	var data []byte
	if strings.HasSuffix(d.name, ".pdf") {
		data = doctext.SimplePDF(d.title, d.lines)
	} else {
		data = []byte(strings.Join(d.lines, "\n") + "\n")
	}
	ct, ok := blob.Sniff(data, d.name, allowedKinds)
	if !ok {
		return nil, fmt.Errorf("seed document %s: not an accepted file", d.name)
	}
	svc := sd.svc
	blobID := newBlobID("doc-")
	f, err := svc.st.files.Put(ctx, blobID, d.name, ct, data)
	if err != nil {
		return nil, fmt.Errorf("seed document %s: %w", d.name, err)
	}
	svc.st.texts.Save(ctx, blobID, d.name, ct, data)
	sum := sha256.Sum256(data)
	return &entry{Kind: kDocument, By: by, Space: d.space, Ref: ref, At: at, Document: &entryDocument{Folder: d.folder, Name: d.name,
		Version: DocumentVersionDoc{Version: version, BlobID: blobID, Size: f.Length, ContentType: ct, SHA256: hex.EncodeToString(sum[:]),
			UploadedBy: by, Note: d.note}}}, nil
}
