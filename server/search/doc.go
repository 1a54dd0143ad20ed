// Package search is Plein's Dutch full-text search: text analysis (Fold,
// Tokens, Stem, Terms, PlainText), an in-memory inverted index per domain
// (Index) and highlighted excerpts (MakeSnippet).
//
// # Why an in-memory index, not $text or Bleve
//
//   - Permissions per user: a care worker may only find what she may read.
//     The caller passes Allow(id) and the index asks it for every matching
//     document before the top hits are chosen, so Total and the pages are
//     right without over-fetching. Neither $text nor Bleve can filter by a
//     predicate in Go inside the ranking loop.
//   - Identical on both engines: the embedded FerretDB has no $text and
//     scans the collection for every query that is not {_id}; MongoDB's
//     $text has no Dutch compound or prefix matching. The index runs the
//     same code on both.
//   - Small and fast enough: 10,000 articles of about 400 words build in
//     about 0.45 s of CPU into 17.5 MiB of heap (BenchmarkBuild10k), and a
//     search of 1–3 words costs 20–200 µs of CPU, a two-letter prefix
//     about 0.45 ms (BenchmarkSearch10k, Allow rejecting half; measured on
//     a busy 2-core machine). Bleve would add a large dependency and its
//     own index state per instance for no gain at this size.
//
// Every server instance builds its indexes from the store at start and the
// domains call Put and Delete on every write (their own and, through the
// broker, other instances'); the store stays the truth. A compaction
// (below) costs about 50 ms at 10,000 documents; it holds up writers, not
// searches.
//
// # Analysis
//
// Text is folded (lower case, NFKD without combining marks, plus ß→ss,
// æ→ae, ø→o…): "Cliënt" and "client" meet. Words are runs of letters and
// digits; a hyphenated word yields its parts and the joined word
// ("zelf-sturend" → zelf, sturend, zelfsturend) and a query uses only the
// joined word, so both spellings are found. A trailing "'s" is dropped
// (auto's). Stop words (a fixed list of Dutch function words) and lone
// letters are not indexed. Words are stemmed with the Dutch Snowball
// stemmer, and a trailing double consonant is undoubled so that
// "protocollen" and "protocol" share a term. Words with digits are kept as
// they are.
//
// # Index
//
// A document has a title, tags and a body, each a field with its own
// weight (5, 3, 1). Each term has a posting list of (document ordinal,
// term frequency per field), 8 bytes per entry, appended in ordinal order.
// The dictionary is a map plus a sorted list of terms for prefix lookups
// (binary search; new terms wait in a small unsorted list until 512 of
// them are merged in). Replacing or deleting a document marks its ordinal
// dead in O(1); once a quarter of the ordinals are dead, the index is
// renumbered and rewritten in one pass. Until then document frequencies
// include the dead, as in Lucene before a merge.
//
// # Matching and ranking
//
// Every query word must match (AND). A word matches a document that has
// its stem, or a longer term starting with it: the last word of a Prefix
// query (search-as-you-type, 2+ letters, also the stem a word being typed
// may end on: "mogelijkh" → mogelijk), and any complete word of 4+ letters
// as a weaker fallback, because Dutch writes compounds as one word ("wond"
// finds "wondzorg"). For the same reason a word of 4+ letters also matches
// a longer term ending on it when at least 3 letters come before it ("zorg"
// finds "thuiszorg", "overdracht" finds "medicatieoverdracht"; "eten" does
// not find "weten"), through a second dictionary list sorted by reversed
// term. Expansions are capped at the 200 most frequent terms.
// A document's score is the sum over query words of the best BM25 score
// among the word's matching terms, summed over fields with their weights;
// prefix expansions count 0.7 and compound fallbacks (either end) 0.4 of
// an exact term.
// A document whose whole title is the query scores 1.5 times. Ties go to
// the newer document, then the smaller ID. The rarest word is evaluated
// first and later words only visit its documents, over dense per-search
// arrays taken from a pool. Empty query text lists the documents that
// match the facets, newest first; text of only stop words finds nothing.
//
// A query that finds nothing is tried once more with each word that
// matches no term replaced by the nearest term (one edit for words of 4–5
// letters, two for longer; fuzzy.go): "insulne" finds insuline, "decubitis"
// decubitus. Result.Corrected names the words searched then, unless no
// document the caller may see matched them.
//
// Allow is called once per matching document, without the index's lock
// held: it may use the index or other in-memory state, and Put may run
// meanwhile. It should be a map lookup, not a store query.
package search
