package orukio

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
)

// What an import keeps. linkwork holds a service in its own terms (one
// place a location, sessions it can show, its categories), which cannot
// carry all of ORUK. So an import keeps, with the listing, the service as
// the feed sent it (Received) and linkwork's own ORUK of the listing as the
// import saved it (Baseline). Publishing the listing (Published) starts
// from the feed's document and, field by field, shows linkwork's value of
// each that now differs from the baseline: what a curator changed in
// linkwork wins, and everything else, ids, last_modified and fields
// linkwork does not model included, is published as the feed sent it.

// keep saves the document of a listing an import has just saved: the
// feed's service and linkwork's ORUK of the listing as it now stands. It
// reports whether what linkwork publishes of the listing changed with it;
// when it did not, the document it has is left as it is.
func (st Store) keep(ctx context.Context, s oruk.Service, assetID string) (bool, error) {
	a, err := st.Assets.FindAssetByID(ctx, assetID)
	if err != nil {
		return false, err
	}
	o, err := st.orgOf(ctx, a, map[string]*linkwork.Organisation{})
	if err != nil {
		return false, err
	}
	received, err := json.Marshal(s)
	if err != nil {
		return false, err
	}
	baseline, err := json.Marshal(Service(a, o))
	if err != nil {
		return false, err
	}
	had, err := st.Docs.FindORUKDocuments(ctx, []string{assetID})
	if err != nil {
		return false, err
	}
	doc := &linkwork.ORUKDocument{AssetID: assetID, Received: received, Baseline: baseline}
	if reflect.DeepEqual(Published(a, o, had[assetID]), Published(a, o, doc)) {
		// What is published stays the same: a feed of linkwork's own
		// export, or one sent again as it was.
		return false, nil
	}
	return true, st.Docs.KeepORUKDocument(ctx, doc)
}

// Published is the ORUK service linkwork publishes for a listing: its own
// (Service) when it keeps no document from a feed, else the feed's
// document with linkwork's value of each field changed in linkwork since
// the import. The ids of the service and of its organization are always
// linkwork's (the ones /oruk/services/{id} and organization_id answer
// to). last_modified is the feed's unless something was changed in
// linkwork. The attributes are
// the feed's, with linkwork's terms (its categories, how to join) beside
// them; when the listing's terms were changed in linkwork, linkwork's
// terms with the feed's that linkwork does not read.
func Published(a *linkwork.Asset, org *linkwork.Organisation, doc *linkwork.ORUKDocument) oruk.Service {
	fresh := Service(a, org)
	if doc == nil {
		return fresh
	}
	fb := mustJSON(fresh)
	if bytes.Equal(fb, doc.Baseline) {
		// Nothing was changed in linkwork since the import: the feed's
		// service, without working through it field by field.
		if s, ok := unchanged(fresh, doc.Received); ok {
			return s
		}
	}
	f, err1 := decodeObject(fb)
	k, err2 := decodeObject(doc.Received)
	b, err3 := decodeObject(doc.Baseline)
	if err1 != nil || err2 != nil || err3 != nil {
		return fresh
	}
	fAttrs, bAttrs, kAttrs := f["attributes"], b["attributes"], k["attributes"]
	delete(f, "attributes")
	delete(b, "attributes")
	delete(k, "attributes")
	fLast, kLast := f["last_modified"], k["last_modified"]
	delete(f, "last_modified")
	delete(b, "last_modified")
	delete(k, "last_modified")

	out, changed := merge(k, b, f)
	attrs, attrsChanged := mergeAttributes(kAttrs, bAttrs, fAttrs)
	if len(attrs) > 0 {
		out["attributes"] = attrs
	}
	out["id"] = f["id"]
	if id, ok := f["organization_id"]; ok {
		out["organization_id"] = id
	}
	if fo, ok := f["organization"].(map[string]any); ok {
		if oo, ok := out["organization"].(map[string]any); ok {
			oo["id"] = fo["id"]
		}
	}
	switch {
	case changed || attrsChanged || kLast == nil:
		if fLast != nil {
			out["last_modified"] = fLast
		}
	default:
		out["last_modified"] = kLast
	}
	var s oruk.Service
	if err := json.Unmarshal(mustJSON(out), &s); err != nil {
		return fresh
	}
	return s
}

// LastModified is the last_modified Published gives the listing, found
// without the rest of the service when the listing is unchanged since its
// import (as most are): for the lists that carry only ids and when each
// changed.
func LastModified(a *linkwork.Asset, org *linkwork.Organisation, doc *linkwork.ORUKDocument) string {
	fresh := Service(a, org)
	if doc == nil {
		return fresh.LastModified
	}
	if bytes.Equal(mustJSON(fresh), doc.Baseline) {
		var k struct {
			LastModified string `json:"last_modified"`
		}
		if json.Unmarshal(doc.Received, &k) == nil {
			if k.LastModified == "" {
				return fresh.LastModified
			}
			return k.LastModified
		}
	}
	return Published(a, org, doc).LastModified
}

// unchanged is Published of a listing not changed since its import: the
// feed's service under the listing's id, with linkwork's terms the feed
// does not carry after its attributes.
func unchanged(fresh oruk.Service, received []byte) (oruk.Service, bool) {
	var s oruk.Service
	if json.Unmarshal(received, &s) != nil {
		return oruk.Service{}, false
	}
	s.ID = fresh.ID
	if fresh.OrganizationID != "" {
		s.OrganizationID = fresh.OrganizationID
	}
	if fresh.Organization != nil && s.Organization != nil {
		o := *s.Organization
		o.ID = fresh.Organization.ID
		s.Organization = &o
	}
	if s.LastModified == "" {
		s.LastModified = fresh.LastModified
	}
	var attrs []oruk.Attribute
	seen := map[string]bool{}
	for _, list := range [][]oruk.Attribute{s.Attributes, fresh.Attributes} {
		for _, at := range list {
			id := at.TaxonomyTermID
			if at.TaxonomyTerm != nil {
				id = at.TaxonomyTerm.ID
				if id == "" {
					id = at.TaxonomyTermID
				}
			}
			if id != "" && seen[id] {
				continue
			}
			seen[id] = true
			attrs = append(attrs, at)
		}
	}
	s.Attributes = attrs
	return s, true
}

func mustJSON(x any) []byte {
	b, err := json.Marshal(x)
	if err != nil {
		return nil
	}
	return b
}

func decodeObject(b []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// merge makes the published object from the feed's (k), the baseline (b)
// and linkwork's now (f): for each field, the feed's when linkwork's has
// not changed since the baseline, else linkwork's (an object field merged
// in the same way, field by field; a list whole). It reports whether
// anything was changed in linkwork.
func merge(k, b, f map[string]any) (map[string]any, bool) {
	out := map[string]any{}
	changed := false
	keys := map[string]bool{}
	for _, m := range []map[string]any{k, b, f} {
		for key := range m {
			keys[key] = true
		}
	}
	for key := range keys {
		kv, kok := k[key]
		bv, bok := b[key]
		fv, fok := f[key]
		if bok == fok && reflect.DeepEqual(bv, fv) {
			if kok {
				out[key] = kv
			}
			continue
		}
		changed = true
		if !fok {
			continue // removed in linkwork
		}
		km, kObj := kv.(map[string]any)
		fm, fObj := fv.(map[string]any)
		if kObj && fObj {
			bm, _ := bv.(map[string]any)
			out[key], _ = merge(km, bm, fm)
			continue
		}
		kl, kList := kv.([]any)
		bl, bList := bv.([]any)
		fl, fList := fv.([]any)
		if kList && bList && fList {
			if key == "schedules" {
				out[key] = mergeSessions(kl, bl, fl)
			} else {
				out[key] = mergeList(kl, bl, fl)
			}
			continue
		}
		out[key] = fv
	}
	return out, changed
}

// mergeList makes a published list changed in linkwork. When each item
// linkwork had at the import is one of the feed's, by id (a place's by
// its location's id), the items are merged one by one: the feed's items
// in its order, each merged field by field with linkwork's now, one
// removed in linkwork left out, one linkwork never held kept, and items
// added in linkwork after them. Otherwise the list is linkwork's.
// (Sessions, whose ids linkwork makes up, are paired by mergeSessions.)
func mergeList(k, b, f []any) []any {
	kKeys, ok1 := itemKeys(k)
	bKeys, ok2 := itemKeys(b)
	fKeys, ok3 := itemKeys(f)
	if !ok1 || !ok2 || !ok3 {
		return f
	}
	return mergeKeyed(k, b, f, kKeys, bKeys, fKeys)
}

// mergeSessions makes the published sessions once linkwork's were
// changed. linkwork makes up its sessions' ids (from their positions), so
// sessions are paired instead:
//   - each session linkwork held at the import (the baseline's) with the
//     feed's it was read from: the feed's sessions linkwork can hold
//     (holdsSession), in order, as the import read them;
//   - each of linkwork's sessions now with one it held at the import: the
//     same, unchanged, wherever it now is; else, when edited, the one at
//     its position, if not paired already; else none (a session added).
//
// The pairs are merged field by field, as mergeList merges items with
// ids, so that an edited session keeps the feed's id and what linkwork
// does not hold of it (dtstart, interval, valid_from, notes...), the
// feed's sessions linkwork could not hold stay, one removed in linkwork
// is left out and one added comes after the feed's. When the feed's and
// the baseline's cannot be paired, the sessions are linkwork's.
func mergeSessions(k, b, f []any) []any {
	bKeys, ok2 := itemKeys(b)
	fKeys, ok3 := itemKeys(f)
	if !ok2 || !ok3 {
		return f
	}
	kKeys := make([]string, len(k))
	held := 0
	for i, x := range k {
		var sc oruk.Schedule
		if err := json.Unmarshal(mustJSON(x), &sc); err == nil && holdsSession(sc) {
			if held >= len(bKeys) {
				return f
			}
			kKeys[i] = bKeys[held]
			held++
			continue
		}
		// Not held by linkwork: kept as the feed sent it, under a key no
		// session of linkwork's has.
		kKeys[i] = "feed " + strconv.Itoa(i)
	}
	if held != len(bKeys) {
		return f
	}
	// Pair linkwork's sessions now with the baseline's, and give each
	// paired one the baseline's id, so that only what was edited differs.
	inB := map[string]int{}
	byContent := map[string][]int{}
	for i, x := range b {
		inB[bKeys[i]] = i
		byContent[withoutID(x)] = append(byContent[withoutID(x)], i)
	}
	used := make([]bool, len(b))
	pairs := make([]int, len(f))
	for i, x := range f {
		pairs[i] = -1
		for _, j := range byContent[withoutID(x)] {
			if !used[j] {
				pairs[i], used[j] = j, true
				break
			}
		}
	}
	for i := range f {
		if j, ok := inB[fKeys[i]]; ok && pairs[i] < 0 && !used[j] {
			pairs[i], used[j] = j, true
		}
	}
	now := make([]any, len(f))
	nowKeys := make([]string, len(f))
	for i, x := range f {
		j := pairs[i]
		if j < 0 {
			now[i], nowKeys[i] = x, "linkwork "+strconv.Itoa(i)
			continue
		}
		m, _ := x.(map[string]any)
		c := make(map[string]any, len(m))
		for key, v := range m {
			c[key] = v
		}
		c["id"] = b[j].(map[string]any)["id"]
		now[i], nowKeys[i] = c, bKeys[j]
	}
	return mergeKeyed(k, b, now, kKeys, bKeys, nowKeys)
}

// withoutID is an item's fields but its id, as JSON: what two sessions
// must share to be the same.
func withoutID(x any) string {
	m, _ := x.(map[string]any)
	c := make(map[string]any, len(m))
	for key, v := range m {
		if key != "id" {
			c[key] = v
		}
	}
	return string(mustJSON(c))
}

// mergeKeyed merges the lists whose items have the keys given, as
// mergeList describes.
func mergeKeyed(k, b, f []any, kKeys, bKeys, fKeys []string) []any {
	kAt := map[string]int{}
	for i, key := range kKeys {
		kAt[key] = i
	}
	bAt := map[string]int{}
	for i, key := range bKeys {
		if _, ok := kAt[key]; !ok {
			return f
		}
		bAt[key] = i
	}
	fAt := map[string]int{}
	for i, key := range fKeys {
		fAt[key] = i
	}
	var out []any
	for i, key := range kKeys {
		bi, held := bAt[key]
		fi, still := fAt[key]
		switch {
		case !held:
			out = append(out, k[i])
		case still:
			merged, _ := merge(k[i].(map[string]any), b[bi].(map[string]any), f[fi].(map[string]any))
			out = append(out, merged)
		}
	}
	for i, key := range fKeys {
		if _, had := bAt[key]; !had {
			out = append(out, f[i])
		}
	}
	return out
}

// itemKeys are the keys of a list's items: each one's id, or for a
// service at a location its location's id. It reports false unless every
// item is an object with a key of its own.
func itemKeys(l []any) ([]string, bool) {
	keys := make([]string, len(l))
	seen := map[string]bool{}
	for i, x := range l {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, false
		}
		key, _ := m["id"].(string)
		if loc, ok := m["location"].(map[string]any); ok {
			key, _ = loc["id"].(string)
		}
		key = strings.ToLower(key)
		if key == "" || seen[key] {
			return nil, false
		}
		seen[key] = true
		keys[i] = key
	}
	return keys, true
}

// mergeAttributes makes the published attributes: the feed's, in its
// order and with its ids, then linkwork's terms the feed does not carry
// (its categories, how to join). When linkwork's terms were changed since
// the import, the feed's attributes whose terms linkwork reads (a
// category it maps) are kept only while linkwork still files the listing
// under them; the feed's own taxonomies' are always kept.
func mergeAttributes(k, b, f any) ([]any, bool) {
	kl, _ := k.([]any)
	fl, _ := f.([]any)
	changed := !reflect.DeepEqual(b, f)
	now := map[string]bool{}
	for _, x := range fl {
		now[attributeTerm(x).ID] = true
	}
	var out []any
	seen := map[string]bool{}
	add := func(x any) {
		id := attributeTerm(x).ID
		if id != "" && seen[id] {
			return
		}
		seen[id] = true
		out = append(out, x)
	}
	for _, x := range kl {
		t := attributeTerm(x)
		if _, read := oruk.ImportedMeaning(t); changed && read && !now[t.ID] {
			continue
		}
		add(x)
	}
	for _, x := range fl {
		add(x)
	}
	return out, changed
}

// attributeTerm is the term an attribute (decoded JSON) files under.
func attributeTerm(x any) oruk.TaxonomyTerm {
	at, _ := x.(map[string]any)
	str := func(m map[string]any, k string) string {
		s, _ := m[k].(string)
		return s
	}
	t := oruk.TaxonomyTerm{ID: str(at, "taxonomy_term_id")}
	if tt, ok := at["taxonomy_term"].(map[string]any); ok {
		t = oruk.TaxonomyTerm{
			ID: str(tt, "id"), Name: str(tt, "name"), Description: str(tt, "description"), ParentID: str(tt, "parent_id"),
			Taxonomy: str(tt, "taxonomy"), TaxonomyID: str(tt, "taxonomy_id"), TermURI: str(tt, "term_uri"), Term: str(tt, "term"),
		}
		if t.ID == "" {
			t.ID = str(at, "taxonomy_term_id")
		}
	}
	return t
}

// PublishedAll maps listings to the services linkwork publishes
// (Published), reading their kept documents from docs (nil: none kept)
// in one call, and each listing's organisation with org.
func PublishedAll(ctx context.Context, docs linkwork.ORUKDocumentService, assets []*linkwork.Asset, org func(*linkwork.Asset) (*linkwork.Organisation, error)) ([]oruk.Service, error) {
	kept := map[string]*linkwork.ORUKDocument{}
	if docs != nil && len(assets) > 0 {
		ids := make([]string, len(assets))
		for i, a := range assets {
			ids[i] = a.ID
		}
		var err error
		if kept, err = docs.FindORUKDocuments(ctx, ids); err != nil {
			return nil, err
		}
	}
	out := make([]oruk.Service, 0, len(assets))
	for _, a := range assets {
		o, err := org(a)
		if err != nil {
			return nil, err
		}
		out = append(out, Published(a, o, kept[a.ID]))
	}
	return out, nil
}
