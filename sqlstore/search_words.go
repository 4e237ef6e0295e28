// Words of a search: splitting, stop words, typing mistakes, stems,
// relevance and the order of hits.

package sqlstore

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	linkwork "github.com/linkwork/linkwork"
)

// scoreSQL is a listing's relevance to a search, as SQL about the listing
// a (a.num in SQLite's asset_search, a.search in PostgreSQL's assets), and
// its arguments: for each word of the search, 10 when the name has it, else
// 4 when the keywords (categories, places, languages, areas) have it, else
// 1 (the description must, as the listing matched). Each engine's full
// text index decides which column has the word, by its own stemming, so
// that "swimming" in a name counts for "swim": in SQLite, the listings
// whose name (or keywords) match the word, found once in the FTS5 index
// by a column filter; in PostgreSQL, the word at the name's weight (A) or
// the keywords' (B) in the listing's weighted search vector.
func (tx *Tx) scoreSQL(groups []spelling) (string, []any) {
	if len(groups) == 0 {
		return "0", nil
	}
	parts := make([]string, len(groups))
	var args []any
	for i, g := range groups {
		if tx.db.dialect.name() == "sqlite" {
			parts[i] = "CASE WHEN a.num IN (SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?) THEN 10" +
				" WHEN a.num IN (SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?) THEN 4 ELSE 1 END"
			args = append(args, "name : "+ftsGroup(g), "keywords : "+ftsGroup(g))
			continue
		}
		// Each query a subquery, made once rather than for every row.
		parts[i] = "CASE WHEN a.search @@ (SELECT to_tsquery('english', ?)) THEN 10 WHEN a.search @@ (SELECT to_tsquery('english', ?)) THEN 4 ELSE 1 END"
		args = append(args, tsGroup(g, "A"), tsGroup(g, "B"))
	}
	return "(" + strings.Join(parts, " + ") + ")", args
}

// relevance scores a listing that matched a search as scoreSQL does, in Go:
// for each word of the search, 10 when the name has it, else 4 when the
// keywords have it, else 1. SQLite uses it where there are few listings
// to score (those inside a search's circle, or a search's few matches),
// for which scoring in SQL would read each word's every listing in the
// full-text index. Words are compared by a rough English stem, so that
// "swimming" in a name counts for "swim", where scoreSQL compares them by
// the engine's own stemmer: the two agree on the tests' words, and may
// differ on a rare ending.
func relevance(groups []spelling, name, keywords string) float64 {
	name, keywords = strings.ToLower(name), strings.ToLower(keywords)
	var score float64
	for _, g := range groups {
		switch {
		case g.in(name):
			score += 10
		case g.in(keywords):
			score += 4
		default:
			score++
		}
	}
	return score
}

// in reports whether a word of the lower-case text matches one of the
// group's spellings.
func (g spelling) in(text string) bool {
	for start := 0; start < len(text); {
		r, n := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			start += n
			continue
		}
		end := start + n
		for end < len(text) {
			r, n := utf8.DecodeRuneInString(text[end:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			end += n
		}
		w := text[start:end]
		start = end
		stem := roughStem(w)
		for i, s := range g.words {
			if stem == g.stems[i] || (i == 0 && g.prefix && strings.HasPrefix(w, s)) {
				return true
			}
		}
	}
	return false
}

// roughStem takes the commonest English endings off a word: swimming →
// swim, classes → class, groups → group.
func roughStem(w string) string {
	for _, end := range []string{"ing", "ers", "er", "ies", "es", "ed", "s"} {
		if len(w) > len(end)+2 && strings.HasSuffix(w, end) && !strings.HasSuffix(w, "ss") {
			w = strings.TrimSuffix(w, end)
			if end == "ies" {
				w += "y"
			}
			if n := len(w); n > 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiousl", rune(w[n-1])) {
				w = w[:n-1] // swimm → swim
			}
			return w
		}
	}
	return w
}

// sortHits orders the hits: by relevance (then distance, then name), by
// distance (then relevance, then name) or by name. The default is
// relevance when there is text, else distance when there is a point.
func sortHits(hits []*assetHit, by linkwork.AssetSort, text, near bool) {
	if by == linkwork.SortDefault {
		switch {
		case text:
			by = linkwork.SortRelevance
		case near:
			by = linkwork.SortDistance
		default:
			by = linkwork.SortName
		}
	}
	byName := func(a, b *assetHit) int { return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.id, b.id)) }
	byScore := func(a, b *assetHit) int { return cmp.Compare(b.score, a.score) }
	// A hit with no distance (one that reaches the point from elsewhere)
	// comes after those with one.
	byDist := func(a, b *assetHit) int {
		if a.hasDist != b.hasDist {
			if a.hasDist {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.dist, b.dist)
	}
	slices.SortFunc(hits, func(a, b *assetHit) int {
		switch by {
		case linkwork.SortRelevance:
			return cmp.Or(byScore(a, b), byDist(a, b), byName(a, b))
		case linkwork.SortDistance:
			return cmp.Or(byDist(a, b), byScore(a, b), byName(a, b))
		}
		return byName(a, b)
	})
}

// maxSearchWords bounds the words of a search.
const maxSearchWords = 8

// searchWords splits a search into lower-case words of letters and digits,
// leaving out common English words that say nothing about an activity
// ("the", "for") and repeats.
func searchWords(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) > 40 || stopWords[w] || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
		if len(out) == maxSearchWords {
			break
		}
	}
	return out
}

// stopWords are the Snowball English stop words, which PostgreSQL's
// english configuration leaves out of its index: left out of every search,
// so that both engines find the same listings.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
		she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are
		was were be been being have has had having do does did doing a an the and but if or because as until while of at by for
		with about against between into through during before after above below to from up down in out on off over under again
		further then once here there when where why how all any both each few more most other some such no nor not only own same
		so than too very s t can will just don should now`) {
		m[w] = true
	}
	return m
}()

// spelling is what one word of a search looks for: the word and the
// words it may have been meant as, and whether the word may be the start
// of a longer one.
type spelling struct {
	words  []string
	stems  []string // roughStem of each word, for relevance
	prefix bool
}

// spellings returns, for each word, what to search for: the word, and
// when no listing uses it, the nearest words that listings do use. The
// last word also matches as a prefix, unless listings use it as it is: a
// word still being typed.
func (tx *Tx) spellings(words []string, trgm bool) ([]spelling, error) {
	out := make([]spelling, len(words))
	for i, w := range words {
		out[i].words = []string{w}
		known, err := tx.knownWord(w)
		if err != nil {
			return nil, err
		}
		out[i].prefix = i == len(words)-1 && !known
		if known || utf8.RuneCountInString(w) < 4 || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		alts, err := tx.similarWords(w, trgm)
		if err != nil {
			return nil, err
		}
		out[i].words = append(out[i].words, alts...)
	}
	for i := range out {
		for _, w := range out[i].words {
			out[i].stems = append(out[i].stems, roughStem(w))
		}
	}
	return out, nil
}

// knownWord reports whether a listing uses the word.
func (tx *Tx) knownWord(w string) (bool, error) {
	n, err := tx.count("SELECT COUNT(*) FROM asset_terms WHERE term = ?", w)
	return n > 0, err
}

// wordsOf splits text into its distinct lower-case words of letters and
// digits, as searches and the vocabulary (asset_terms) both do, leaving
// out single letters.
func wordsOf(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if n := utf8.RuneCountInString(w); n < 2 || n > 40 || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// addTerms adds words to the vocabulary, leaving those it has.
func (tx *Tx) addTerms(words []string) error {
	args := make([]any, len(words))
	for i, w := range words {
		args[i] = w
	}
	return inChunks(args, func(_ string, chunk []any) error {
		_, err := tx.exec("INSERT INTO asset_terms (term) VALUES "+strings.TrimSuffix(strings.Repeat("(?), ", len(chunk)), ", ")+" ON CONFLICT DO NOTHING", chunk...)
		return err
	})
}

// maxAlternatives bounds the corrections searched for one word.
const maxAlternatives = 3

// similarWords returns the words listings use that are nearest to w, a
// word they do not use: by edit distance, and by trigram similarity when
// trgm is set.
func (tx *Tx) similarWords(w string, trgm bool) ([]string, error) {
	// Words with the same first letter, within a few edits.
	var out []string
	first, _ := utf8.DecodeRuneInString(w)
	limit := editLimit(w)
	best := limit + 1
	err := tx.eachRow("SELECT term FROM asset_terms WHERE term >= ? AND term < ?", []any{string(first), string(first + 1)}, func(row scanner) error {
		var t string
		if err := row.Scan(&t); err != nil {
			return err
		}
		switch d := editDistance(w, t, limit); {
		case d > limit:
		case d < best:
			best, out = d, []string{t}
		case d == best && len(out) < maxAlternatives:
			out = append(out, t)
		}
		return nil
	})
	if err != nil || !trgm || len(out) >= maxAlternatives {
		return out, err
	}
	// Then the most similar by trigrams, which forgives a wrong first
	// letter too.
	err = tx.eachRow("SELECT term FROM asset_terms WHERE term % ? ORDER BY similarity(term, ?) DESC, term LIMIT ?", []any{w, w, maxAlternatives}, func(row scanner) error {
		var t string
		if err := row.Scan(&t); err != nil {
			return err
		}
		if !slices.Contains(out, t) && len(out) < maxAlternatives {
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// editLimit is how many typing mistakes a word may hold: one in a word of
// up to five letters, two in a longer one.
func editLimit(w string) int {
	if utf8.RuneCountInString(w) <= 5 {
		return 1
	}
	return 2
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours), or
// limit+1 when their lengths alone differ by more than limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// ftsQuery is an FTS5 query: each group of spellings in brackets, joined
// by AND, a prefix marked with *. Words hold only letters and digits, so
// quoting them is enough.
func ftsQuery(groups []spelling) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = ftsGroup(g)
	}
	return strings.Join(parts, " AND ")
}

// ftsGroup is one group of spellings as FTS5 matches it: any of them.
func ftsGroup(g spelling) string {
	alts := make([]string, len(g.words))
	for j, w := range g.words {
		alts[j] = `"` + w + `"`
		if j == 0 && g.prefix {
			alts[j] += "*"
		}
	}
	return "(" + strings.Join(alts, " OR ") + ")"
}

// tsQuery is the same query for PostgreSQL's to_tsquery.
func tsQuery(groups []spelling) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = tsGroup(g, "")
	}
	return strings.Join(parts, " & ")
}

// tsGroup is one group of spellings as to_tsquery matches it: any of
// them, at the weight given ("" for any).
func tsGroup(g spelling, weight string) string {
	alts := make([]string, len(g.words))
	for j, w := range g.words {
		alts[j] = w
		switch {
		case j == 0 && g.prefix:
			alts[j] += ":*" + weight
		case weight != "":
			alts[j] += ":" + weight
		}
	}
	return "(" + strings.Join(alts, " | ") + ")"
}
