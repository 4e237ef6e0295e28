package orukio

import (
	"encoding/json"

	"github.com/linkwork/linkwork/oruk"
)

// Linked returns the services as a package gives them back: with each
// nested object naming the object it is in (a schedule its service_id, an
// address its location_id, an attribute its link_id), and each object
// held by id naming it (organization_id, location_id, taxonomy_term_id,
// unit_id). A package says both, by its foreign keys, so a feed read
// back from its package is this feed, whether or not it named them.
func Linked(in []oruk.Service) []oruk.Service {
	b, err := json.Marshal(in)
	if err != nil {
		panic(err) // oruk.Service always marshals
	}
	var out []oruk.Service
	if err := json.Unmarshal(b, &out); err != nil { // a deep copy
		panic(err)
	}
	attrs := func(ats []oruk.Attribute, id string) {
		for i := range ats {
			ats[i].LinkID = id
			if ats[i].TaxonomyTerm != nil {
				ats[i].TaxonomyTermID = ats[i].TaxonomyTerm.ID
			}
		}
	}
	for i := range out {
		s := &out[i]
		if s.Organization != nil {
			o := s.Organization
			s.OrganizationID = o.ID
			attrs(o.Attributes, o.ID)
			for j := range o.OrganizationIdentifiers {
				o.OrganizationIdentifiers[j].OrganizationID = o.ID
				attrs(o.OrganizationIdentifiers[j].Attributes, o.OrganizationIdentifiers[j].ID)
			}
		}
		attrs(s.Attributes, s.ID)
		for j := range s.Schedules {
			s.Schedules[j].ServiceID = s.ID
		}
		for j := range s.ServiceAreas {
			s.ServiceAreas[j].ServiceID = s.ID
		}
		for j := range s.Languages {
			s.Languages[j].ServiceID = s.ID
		}
		for j := range s.Funding {
			s.Funding[j].ServiceID = s.ID
		}
		for j := range s.CostOptions {
			s.CostOptions[j].ServiceID = s.ID
		}
		for j := range s.Contacts {
			s.Contacts[j].ServiceID = s.ID
			attrs(s.Contacts[j].Attributes, s.Contacts[j].ID)
		}
		for j := range s.Capacities {
			c := &s.Capacities[j]
			c.ServiceID = s.ID
			if c.Unit != (oruk.Unit{}) {
				c.UnitID = c.Unit.ID
			}
		}
		for j := range s.ServiceAtLocations {
			sl := &s.ServiceAtLocations[j]
			sl.ServiceID = s.ID
			if l := sl.Location; l != nil {
				sl.LocationID = l.ID
				attrs(l.Attributes, l.ID)
				for k := range l.Addresses {
					l.Addresses[k].LocationID = l.ID
					attrs(l.Addresses[k].Attributes, l.Addresses[k].ID)
				}
				for k := range l.Accessibility {
					l.Accessibility[k].LocationID = l.ID
					attrs(l.Accessibility[k].Attributes, l.Accessibility[k].ID)
				}
			}
		}
	}
	return out
}
