package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"

	linkwork "github.com/linkwork/linkwork"
)

// PostcodeArea loads a postcode's place in the postcode lookup (as
// "linkwork postcodes lsoa" would), before the people living there: the
// lookup's trigger places each as they are loaded, and so their
// referrals in the equity table's counts.
func (l *Loader) PostcodeArea(postcode, lsoa string, decile int) error {
	if !l.hasEquity() {
		return nil
	}
	return l.add("postcode_lsoas", postcode, lsoa, decile)
}

// equityMigration is the migration that made the equity tables.
const equityMigration = 37

// hasEquity reports whether the schema has the equity tables: a database
// an older linkwork made, loaded before it is migrated, has not, and is
// loaded without them.
func (l *Loader) hasEquity() bool {
	if l.equity == 0 {
		var v sql.NullInt64
		err := l.db.read.QueryRowContext(l.ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
		l.equity = 2
		if err == nil && v.Int64 >= equityMigration {
			l.equity = 1
		}
	}
	return l.equity == 1
}

// PopulationShares loads a service's population shares.
func (l *Loader) PopulationShares(p *linkwork.PopulationShares) error {
	if !l.hasEquity() {
		return nil
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("loader: population of %s: %w", p.ServiceOrgID, err)
	}
	n := p.Normalised()
	doc, err := json.Marshal(n.Shares)
	if err != nil {
		return err
	}
	return l.add("population_shares", p.ServiceOrgID, string(doc), n.Source, max(p.Version, 1), tv(l.stamp(p.UpdatedAt)), p.UpdatedBy)
}
