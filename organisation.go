package linkwork

import (
	"context"
	"slices"
	"strings"
	"time"
)

// OrgKind says what sort of organisation an Organisation is.
type OrgKind string

// The kinds of organisation.
const (
	OrgGPPractice   OrgKind = "gp_practice"
	OrgPCN          OrgKind = "pcn" // a primary care network
	OrgSchool       OrgKind = "school"
	OrgCAMHS        OrgKind = "camhs" // child and adolescent mental health services
	OrgSocialCare   OrgKind = "social_care"
	OrgHealth       OrgKind = "health" // other health services
	OrgVCS          OrgKind = "vcs"    // voluntary and community sector
	OrgYouthHub     OrgKind = "youth_hub"
	OrgSPService    OrgKind = "sp_service" // a social prescribing service
	OrgCommissioner OrgKind = "commissioner"
)

// OrgKinds lists every kind of organisation.
var OrgKinds = []OrgKind{OrgGPPractice, OrgPCN, OrgSchool, OrgCAMHS, OrgSocialCare, OrgHealth, OrgVCS, OrgYouthHub, OrgSPService, OrgCommissioner}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, x := range OrgKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the kind's name as users read it.
func (k OrgKind) Label() string {
	switch k {
	case OrgGPPractice:
		return "GP practice"
	case OrgPCN:
		return "Primary care network"
	case OrgSchool:
		return "School"
	case OrgCAMHS:
		return "CAMHS"
	case OrgSocialCare:
		return "Social care"
	case OrgHealth:
		return "Health service"
	case OrgVCS:
		return "Community organisation"
	case OrgYouthHub:
		return "Youth hub"
	case OrgSPService:
		return "Social prescribing service"
	case OrgCommissioner:
		return "Commissioner"
	}
	return string(k)
}

// ParentKinds are the kinds of organisation one of kind k may belong to
// (its ParentID): a GP practice to its primary care network (or a branch
// surgery to its main practice), and a social prescribing service to the
// commissioner that funds it, whose dashboard and outcome figures then
// count the service. Nil: any kind.
func (k OrgKind) ParentKinds() []OrgKind {
	switch k {
	case OrgGPPractice:
		return []OrgKind{OrgPCN, OrgGPPractice}
	case OrgSPService:
		return []OrgKind{OrgCommissioner}
	}
	return nil
}

// ParentLabel is what an organisation of kind k calls the one it belongs
// to.
func (k OrgKind) ParentLabel() string {
	switch k {
	case OrgGPPractice:
		return "Primary care network, or the main practice of a branch"
	case OrgSPService:
		return "Funded by (commissioner)"
	}
	return "Part of"
}

// CheckParent reports a parent of the wrong kind for o, naming
// parent_id: parent is the organisation o.ParentID names.
func (o *Organisation) CheckParent(parent *Organisation) error {
	if parent.ID == o.ID {
		return FieldErr("parent_id", "An organisation cannot be its own parent")
	}
	kinds := o.Kind.ParentKinds()
	if len(kinds) == 0 || slices.Contains(kinds, parent.Kind) {
		return nil
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = strings.ToLower(k.Label())
	}
	return FieldErr("parent_id", "Choose a "+strings.Join(names, " or ")+": "+parent.Name+" is a "+strings.ToLower(parent.Kind.Label()))
}

// Organisation is a GP practice, school, CAMHS team, social care team,
// community group, social prescribing service or commissioner. Every user
// belongs to one.
type Organisation struct {
	ID   string
	Name string
	Kind OrgKind
	// ParentID links a GP practice to its primary care network, for example.
	ParentID string
	// Code is an external identifier such as an ODS code or a URN.
	Code     string
	Address  string
	Postcode string
	Phone    string
	Email    string

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate reports every problem with o as an EINVALID error: the name
// and code are held to MaxShortText, the address to MaxAddressLength, and
// the email must be a bare address.
func (o *Organisation) Validate() error {
	var p Problems
	if o.Name == "" {
		p.Add("name", "Enter the organisation's name")
	}
	p.Text("name", o.Name, MaxShortText)
	if !o.Kind.Valid() {
		p.Add("kind", "Choose what kind of organisation this is")
	}
	p.Text("id", o.ID, MaxIDLength)
	p.Text("parent_id", o.ParentID, MaxIDLength)
	p.Text("code", o.Code, MaxShortText)
	p.Text("address", o.Address, MaxAddressLength)
	p.Text("phone", o.Phone, MaxShortText)
	o.Email = strings.TrimSpace(o.Email)
	p.Email("email", o.Email)
	if o.Postcode != "" && p.Text("postcode", o.Postcode, MaxShortText) {
		if _, err := ParsePostcode(o.Postcode); err != nil {
			p.Add("postcode", ErrorMessage(err))
		}
	}
	return p.Err()
}

// OrganisationFilter narrows a list of organisations.
type OrganisationFilter struct {
	Kind   OrgKind
	Query  string // matches the name
	Offset int
	Limit  int
}

// OrganisationService manages organisations. Any signed-in user may read
// organisations (they are not personal data); only administrators and the
// system create or change them.
type OrganisationService interface {
	// CreateOrganisation stores o, assigning its ID. EINVALID for bad
	// fields, EFORBIDDEN for non-administrators, ECONFLICT for a duplicate
	// name.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	// FindOrganisationByID returns one organisation, or ENOTFOUND.
	FindOrganisationByID(ctx context.Context, id string) (*Organisation, error)
	// FindOrganisations returns a page of organisations and the total.
	FindOrganisations(ctx context.Context, f OrganisationFilter) ([]*Organisation, int, error)
	// UpdateOrganisation changes o at o.Version (EINVALID naming version
	// when it is under 1); ECONFLICT when it is stale.
	UpdateOrganisation(ctx context.Context, o *Organisation) error
}
