package sqlstore

import (
	"context"
	"encoding/json"
	"strconv"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// EquityService implements linkwork.EquityService.
type EquityService struct {
	db *DB
	// facts: count every read from the referrals' facts, never the kept
	// counts (for tests that hold the two to the same answer).
	facts bool
}

// NewEquityService returns the equity table's service over db.
func NewEquityService(db *DB) *EquityService { return &EquityService{db: db} }

var _ linkwork.EquityService = (*EquityService)(nil)

// Equity adds up the period's referrals by group. For whole months (a
// period from the first of a month to the end of a month, or to today),
// every pathway or one, it reads the kept counts (equity_counts,
// migration 37): a row a service, month, pathway, dimension and group,
// read from one primary-key range on the service and months. Narrowed by
// age band (today), link worker or referrer, or for a period that starts
// or ends mid-month, it counts the period's referrals' kept facts in
// groups, from the dashboard's index range on the service and time
// received. The groups as kept (ethnicity and gender as recorded, age in
// years, decile) are coded into the table's groups here.
func (s *EquityService) Equity(ctx context.Context, f linkwork.ReportFilter) (*linkwork.Equity, error) {
	today := s.db.today()
	if err := f.Validate(today); err != nil {
		return nil, err
	}
	from, to := f.Period(today)
	out := &linkwork.Equity{Filter: f, From: from, To: to}
	err := s.db.audited(ctx, func(tx *Tx) error {
		scope := auth.ScopeFor(tx.actor, auth.KindReport)
		if scope.None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only a service's coordinators and those who fund it see its equity figures")
		}
		out.Exact = auth.InsideService(tx.actor, scope)
		rq := &reportQuery{d: s.db.dialect, a: tx.actor, f: f, from: from, to: to, today: today, months: linkwork.MonthsOf(from, to)}
		var stmt string
		var args []any
		if !s.facts && equityKept(f, from, to, today) {
			stmt, args = rq.equityKeptQuery()
		} else {
			stmt, args = rq.equityFactsQuery(s.db.dialect.name() == "sqlite")
		}
		counts := map[linkwork.EquityDimension]map[string][4]int{}
		for _, d := range linkwork.EquityDimensions {
			counts[d] = map[string][4]int{}
		}
		services := map[string]bool{}
		rows, err := tx.query(stmt, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var service, dim, grp string
			var c [4]int
			if err := rows.Scan(&service, &dim, &grp, &c[0], &c[1], &c[2], &c[3]); err != nil {
				return err
			}
			if c[0] == 0 {
				continue
			}
			services[service] = true
			d := linkwork.EquityDimension(dim)
			if dim == "imd" {
				d = linkwork.EquityDeprivation
			}
			g := linkwork.EquityGroupOf(d, grp)
			n := counts[d][g]
			for i := range n {
				n[i] += c[i]
			}
			counts[d][g] = n
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for _, d := range linkwork.EquityDimensions {
			out.Tables = append(out.Tables, linkwork.NewEquityTable(d, counts[d]))
		}
		// The population's shares go beside one service's figures: those
		// of the one service the reader sees with shares entered, when no
		// other service's referrals are in the figures.
		var w where
		w.scope(tx.actor, auth.KindReport, "ps")
		shares, err := tx.populationShares(w)
		if err != nil {
			return err
		}
		if len(shares) == 1 && (len(services) == 0 || len(services) == 1 && services[shares[0].ServiceOrgID]) {
			out.Population = shares[0]
		}
		return tx.audit("equity.read", auth.KindReport, "", reportAuditDetail(f, from, to))
	})
	if err != nil {
		return nil, err
	}
	if !out.Exact {
		out.Suppress()
	}
	out.Compare()
	return out, nil
}

// equityKept reports whether the kept counts answer a filter: whole
// months, by pathway at most.
func equityKept(f linkwork.ReportFilter, from, to, today linkwork.Date) bool {
	if f.AgeBand != "" || f.LinkWorkerID != "" || f.ReferrerOrgID != "" || from.Day != 1 {
		return false
	}
	next := linkwork.DateOf(linkwork.Date{Year: to.Year, Month: to.Month, Day: 1}.Time().AddDate(0, 1, 0))
	lastDay := linkwork.DateOf(next.Time().AddDate(0, 0, -1))
	return to == lastDay || !to.Before(today)
}

// equityKeptQuery is the statement that adds up the kept counts of the
// period's months.
func (q *reportQuery) equityKeptQuery() (string, []any) {
	var w where
	w.scope(q.a, auth.KindReport, "ec")
	w.add("ec.month >= ?", q.months[0].String())
	w.add("ec.month <= ?", q.months[len(q.months)-1].String())
	if q.f.Pathway != "" {
		w.add("ec.pathway = ?", string(q.f.Pathway))
	}
	return `SELECT ec.service_org_id, ec.dimension, ec.grp, SUM(ec.referrals), SUM(ec.accepted), SUM(ec.engaged), SUM(ec.outcomes)
FROM equity_counts ec
WHERE ` + w.sql() + `
GROUP BY ec.service_org_id, ec.dimension, ec.grp`, w.args
}

// equityFactsQuery is the statement that counts the period's referrals'
// facts, narrowed as the dashboard's are, in the same groups as the kept
// counts.
func (q *reportQuery) equityFactsQuery(sqlite bool) (string, []any) {
	w := q.where()
	age := "equity_age(f.received_at, f.person_dob)"
	if sqlite {
		age = "CASE WHEN f.person_dob IS NULL THEN '' ELSE CAST(CAST(substr(f.received_at, 1, 4) AS INTEGER) - CAST(substr(f.person_dob, 1, 4) AS INTEGER) - CASE WHEN substr(f.received_at, 6, 5) < substr(f.person_dob, 6, 5) THEN 1 ELSE 0 END AS TEXT) END"
	}
	flags := `CASE WHEN f.case_id IS NOT NULL THEN 1 ELSE 0 END AS accepted, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END AS engaged,
	CASE WHEN f.case_status = 'closed' AND f.closure_reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END AS outcome`
	return `WITH x AS (
SELECT f.service_org_id, f.ethnicity, f.gender, ` + age + ` AS age, CAST(f.imd_decile AS TEXT) AS imd, ` + flags + `
FROM referral_facts f` + q.d.indexedBy(q.factsIndex()) + `
WHERE ` + w.sql() + `
), g AS (
SELECT service_org_id, ethnicity, gender, age, imd, COUNT(*) AS n, SUM(accepted) AS a, SUM(engaged) AS e, SUM(outcome) AS o
FROM x GROUP BY service_org_id, ethnicity, gender, age, imd
)
SELECT service_org_id, 'ethnicity', ethnicity, SUM(n), SUM(a), SUM(e), SUM(o) FROM g GROUP BY service_org_id, ethnicity
UNION ALL SELECT service_org_id, 'gender', gender, SUM(n), SUM(a), SUM(e), SUM(o) FROM g GROUP BY service_org_id, gender
UNION ALL SELECT service_org_id, 'age', age, SUM(n), SUM(a), SUM(e), SUM(o) FROM g GROUP BY service_org_id, age
UNION ALL SELECT service_org_id, 'imd', imd, SUM(n), SUM(a), SUM(e), SUM(o) FROM g GROUP BY service_org_id, imd`, w.args
}

// populationShares reads the saved shares of the services w allows (ps).
func (tx *Tx) populationShares(w where) ([]*linkwork.PopulationShares, error) {
	rows, err := tx.query(`SELECT ps.service_org_id, ps.shares, ps.source, ps.version, ps.updated_at, ps.updated_by FROM population_shares ps WHERE `+w.sql()+` ORDER BY ps.service_org_id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*linkwork.PopulationShares
	for rows.Next() {
		p := &linkwork.PopulationShares{}
		var doc string
		if err := rows.Scan(&p.ServiceOrgID, &doc, &p.Source, &p.Version, timeDest{&p.UpdatedAt}, &p.UpdatedBy); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(doc), &p.Shares); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PopulationShares returns a service's saved shares, for those who may
// change them (its coordinators): a service the actor may not configure
// is not found.
func (s *EquityService) PopulationShares(ctx context.Context, serviceOrgID string) (*linkwork.PopulationShares, error) {
	var out *linkwork.PopulationShares
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.populationSharesFor(serviceOrgID)
		if err != nil {
			return err
		}
		return tx.audit("population.read", auth.KindOrganisation, serviceOrgID, "")
	})
	return out, err
}

// populationSharesFor reads a service's shares for one who may configure
// it: empty (Version 0) when none are saved.
func (tx *Tx) populationSharesFor(serviceOrgID string) (*linkwork.PopulationShares, error) {
	if !auth.Can(tx.actor, auth.ActionConfigure, auth.Record{Kind: auth.KindOrganisation, ServiceOrgID: serviceOrgID}) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "There is no service with that id among those you look after")
	}
	o, err := tx.findOrg(serviceOrgID)
	if err != nil {
		return nil, err
	}
	if o.Kind != linkwork.OrgSPService {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "There is no service with that id among those you look after")
	}
	var w where
	w.add("ps.service_org_id = ?", serviceOrgID)
	got, err := tx.populationShares(w)
	if err != nil || len(got) == 1 {
		if err == nil {
			return got[0], nil
		}
		return nil, err
	}
	return &linkwork.PopulationShares{ServiceOrgID: serviceOrgID, Shares: map[linkwork.EquityDimension]map[string]float64{}}, nil
}

// SavePopulationShares replaces a service's shares at p.Version.
func (s *EquityService) SavePopulationShares(ctx context.Context, p *linkwork.PopulationShares) error {
	conflict := linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed the population figures since you opened them. Reload them to see their changes, then make yours again.")
	return s.db.update(ctx, func(tx *Tx) error {
		a := tx.actor
		if !auth.Can(a, auth.ActionConfigure, auth.Record{Kind: auth.KindOrganisation, ServiceOrgID: p.ServiceOrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's coordinators can enter its population figures")
		}
		cur, err := tx.populationSharesFor(p.ServiceOrgID)
		if err != nil {
			return err
		}
		if err := p.Validate(); err != nil {
			return err
		}
		n := p.Normalised()
		if p.Version != cur.Version {
			return conflict
		}
		doc, err := json.Marshal(n.Shares)
		if err != nil {
			return err
		}
		if cur.Version == 0 {
			_, err = tx.exec("INSERT INTO population_shares (service_org_id, shares, source, version, updated_at, updated_by) VALUES (?, ?, ?, 1, ?, ?)",
				p.ServiceOrgID, string(doc), n.Source, tx.now, a.ID())
			if err != nil {
				return err
			}
		} else {
			res, err := tx.exec("UPDATE population_shares SET shares = ?, source = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE service_org_id = ? AND version = ?",
				string(doc), n.Source, tx.now, a.ID(), p.ServiceOrgID, cur.Version)
			if err != nil {
				return err
			}
			if k, err := res.RowsAffected(); err != nil {
				return err
			} else if k != 1 {
				return conflict
			}
		}
		*p = n
		p.Version, p.UpdatedAt, p.UpdatedBy = cur.Version+1, tx.now, a.ID()
		return tx.audit("population.update", auth.KindOrganisation, p.ServiceOrgID, "version="+strconv.Itoa(p.Version))
	})
}
