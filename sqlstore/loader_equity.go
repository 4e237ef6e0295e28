package sqlstore

import (
	"encoding/json"
	"fmt"

	linkwork "github.com/linkwork/linkwork"
)

// PostcodeArea loads a postcode's place in the postcode lookup (as
// "linkwork postcodes lsoa" would), before the people living there: the
// lookup's trigger places each as they are loaded, and so their
// referrals in the equity table's counts.
func (l *Loader) PostcodeArea(postcode, lsoa string, decile int) error {
	return l.add("postcode_lsoas", postcode, lsoa, decile)
}

// PopulationShares loads a service's population shares.
func (l *Loader) PopulationShares(p *linkwork.PopulationShares) error {
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
