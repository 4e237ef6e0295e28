package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/match"
)

// suggestionRadius is how far from the person's home the suggestions look
// for activities in person, in metres.
const suggestionRadius = 15000

// FindSuggestions ranks activities for a case's person. The candidates
// are found by the directory search, by index and bounded: the active
// listings within suggestionRadius of the person's postcode, nearest
// first, and those that can be joined online, each a page of at most
// MaxPageSize, both narrowed to the categories that serve the case's
// needs when it has any. Uptake is counted among the service's own past
// connections of people in the person's age band (linkwork.AgeBandOf):
// of those who went (attended, kept going or dropped out), how many keep
// going; package match uses it only from match.MinUptake people, so that
// no one can be picked out.
func (s *ConnectionService) FindSuggestions(ctx context.Context, caseID string, limit int) ([]linkwork.Suggestion, error) {
	var out []linkwork.Suggestion
	err := s.db.audited(ctx, func(tx *Tx) error {
		k, err := tx.visibleCase(caseID)
		if err != nil {
			return err
		}
		p, err := tx.suggestionProfile(k)
		if err != nil {
			return err
		}
		cands, err := tx.suggestionCandidates(p)
		if err != nil {
			return err
		}
		if err := tx.countUptake(k.ServiceOrgID, p.Age, cands); err != nil {
			return err
		}
		for _, sg := range match.Rank(p, cands, limit) {
			out = append(out, linkwork.Suggestion{AssetID: sg.ID, Name: sg.Name, Score: sg.Score, Reasons: sg.Reasons})
		}
		return tx.audit("case.suggestions.read", auth.KindCase, k.ID, "")
	})
	return out, err
}

// suggestionProfile is what the ranking knows of the case's person: their
// age, the point of their postcode, what the service's funds let them
// draw on, and the case's needs.
func (tx *Tx) suggestionProfile(k *linkwork.Case) (match.Profile, error) {
	var p match.Profile
	var dob linkwork.Date
	var postcode string
	if err := tx.queryRow("SELECT date_of_birth, postcode FROM people WHERE id = ?", k.PersonID).Scan(dateDest{&dob}, &postcode); err != nil {
		return p, err
	}
	if !dob.IsZero() {
		p.Age = dob.AgeOn(tx.db.today())
		p.Youth = p.Age < linkwork.YouthAge
	}
	if pc, err := linkwork.ParsePostcode(postcode); err == nil && pc.Inward != "" {
		var pt linkwork.Point
		err := tx.queryRow("SELECT lat, lon FROM postcodes WHERE postcode = ?", pc.String()).Scan(&pt.Lat, &pt.Lon)
		switch {
		case err == nil:
			p.Near = &pt
		case !errors.Is(err, sql.ErrNoRows):
			return p, err
		}
	}
	if err := tx.fundsForProfile(k.ServiceOrgID, dob, &p); err != nil {
		return p, err
	}
	rows, err := tx.query("SELECT domain, words FROM case_needs WHERE case_id = ? ORDER BY position", k.ID)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var n linkwork.CaseNeed
		var d string
		if err := rows.Scan(&d, &n.Words); err != nil {
			return p, err
		}
		n.Domain = linkwork.NeedDomain(d)
		p.Needs = append(p.Needs, n)
	}
	return p, rows.Err()
}

// suggestionCandidates finds the listings to rank for p through the
// directory search: near their home, and online.
func (tx *Tx) suggestionCandidates(p match.Profile) ([]match.Listing, error) {
	cats := match.Categories(p.Needs)
	var searches []linkwork.AssetFilter
	online := linkwork.AssetFilter{Mode: linkwork.AttendOnline, AnyCategory: cats, Limit: linkwork.MaxPageSize}
	if p.Near != nil {
		searches = append(searches, linkwork.AssetFilter{Near: p.Near, Radius: suggestionRadius, Sort: linkwork.SortDistance, AnyCategory: cats, Limit: linkwork.MaxPageSize})
	} else {
		// Without a point, any listing that serves their needs.
		online.Mode = ""
	}
	searches = append(searches, online)
	var out []match.Listing
	seen := map[string]bool{}
	for _, f := range searches {
		if err := checkAssetFilter(&f); err != nil {
			return nil, err
		}
		found, _, err := tx.searchAssets(newDirQuery(f, false))
		if err != nil {
			return nil, err
		}
		for _, m := range found {
			if seen[m.Asset.ID] || m.Asset.Status != linkwork.AssetActive {
				continue
			}
			seen[m.Asset.ID] = true
			out = append(out, listingOf(m))
		}
	}
	return out, nil
}

// listingOf is what the ranking weighs of a listing the search found.
func listingOf(m *linkwork.AssetMatch) match.Listing {
	a := m.Asset
	l := match.Listing{
		ID: a.ID, Name: a.Name, Categories: a.Categories,
		Text:   strings.ToLower(a.Name + " " + a.Description),
		MinAge: a.MinAge, MaxAge: a.MaxAge,
		Distance: m.Distance, HasDistance: m.HasDistance && a.InPerson(), Online: a.Online(),
		HowToJoin: a.HowToJoin, Capacity: a.Capacity.Status,
		YouthFriendly: a.YouthFriendly, BuddyWelcome: a.BuddyWelcome, Stale: m.Stale,
	}
	for _, c := range a.CostOptions {
		if c.Amount != nil && (!l.CostKnown || *c.Amount < l.Cost) {
			l.Cost, l.CostKnown = *c.Amount, true
		}
	}
	return l
}

// countUptake fills each candidate's uptake from the service's past
// connections there of people in the age band of age (everyone when the
// age is not known), and what those people thought of it.
func (tx *Tx) countUptake(serviceOrgID string, age int, cands []match.Listing) error {
	if len(cands) == 0 {
		return nil
	}
	var w where
	ids := make([]any, len(cands))
	at := make(map[string]int, len(cands))
	for i, c := range cands {
		ids[i], at[c.ID] = c.ID, i
	}
	w.add("n.asset_id IN ("+placeholders(len(ids))+")", ids...)
	w.add("n.status IN (?, ?, ?)", string(linkwork.ConnAttended), string(linkwork.ConnContinuing), string(linkwork.ConnDropped))
	w.add("n.service_org_id = ?", serviceOrgID)
	if age > 0 {
		from, to := linkwork.AgeBandOf(age).Births(tx.db.today())
		w.add("p.date_of_birth <= ?", dv(to))
		if !from.IsZero() {
			w.add("p.date_of_birth >= ?", dv(from))
		}
	}
	// What a person told their link worker of it counts too: one who
	// liked it fared well even before "continuing" is recorded.
	return tx.eachRow(`SELECT n.asset_id, COUNT(*), SUM(CASE WHEN n.status = ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN n.status <> ? AND v.person_view = ? THEN 1 ELSE 0 END)
		FROM connections n JOIN people p ON p.id = n.person_id LEFT JOIN connection_views v ON v.connection_id = n.id WHERE `+w.sql()+` GROUP BY n.asset_id`,
		append([]any{string(linkwork.ConnContinuing), string(linkwork.ConnContinuing), string(linkwork.ViewLikedIt)}, w.args...), func(row scanner) error {
			var id string
			var u match.Uptake
			if err := row.Scan(&id, &u.People, &u.KeptGoing, &u.LikedIt); err != nil {
				return err
			}
			cands[at[id]].Uptake = u
			return nil
		})
}

// fundsForProfile sets what the person, born on dob, can draw on from the
// service's funds open today (linkwork.FundsFor), read by the funds'
// index on the service and end date.
func (tx *Tx) fundsForProfile(serviceOrgID string, dob linkwork.Date, p *match.Profile) error {
	today := tx.db.today()
	var funds []*linkwork.Fund
	err := tx.eachRow("SELECT starts_on, ends_on, min_age, max_age, budget_pence, spent_pence FROM funds WHERE service_org_id = ? AND ends_on >= ?",
		[]any{serviceOrgID, dv(today)}, func(row scanner) error {
			var f linkwork.Fund
			if err := row.Scan(dateDest{&f.StartsOn}, dateDest{&f.EndsOn}, &f.MinAge, &f.MaxAge, &f.BudgetPence, &f.SpentPence); err != nil {
				return err
			}
			funds = append(funds, &f)
			return nil
		})
	if err != nil {
		return err
	}
	p.Funds, p.FundsKnown = linkwork.FundsFor(funds, dob, today)
	return nil
}
