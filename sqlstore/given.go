package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// A referral keeps the person as it gave them (referrals.person_given), so
// that a referrer sees what they sent and what the person agreed to share,
// never a record the service holds for other reasons: after triage links a
// school's referral to the person a GP referred, the school still sees the
// pupil as the school described them, not the GP's phone number, the
// guardians the GP named or the service's notes.

// personGiven is the JSON kept in referrals.person_given. Stored documents
// outlive releases: add fields, never rename them. Migration 9 writes the
// same names for referrals made before it.
type personGiven struct {
	GivenName          string          `json:"given_name"`
	FamilyName         string          `json:"family_name"`
	PreferredName      string          `json:"preferred_name"`
	Pronouns           string          `json:"pronouns"`
	DateOfBirth        string          `json:"date_of_birth"`
	Gender             string          `json:"gender"`
	Ethnicity          string          `json:"ethnicity"`
	Address            string          `json:"address"`
	Postcode           string          `json:"postcode"`
	Phone              string          `json:"phone"`
	Email              string          `json:"email"`
	ContactChannels    string          `json:"contact_channels"`
	SafeToLeaveMessage bool            `json:"safe_to_leave_message"`
	ContactVia         string          `json:"contact_via"`
	BestTimes          string          `json:"best_times"`
	ContactNotes       string          `json:"contact_notes"`
	SchoolOrWork       string          `json:"school_or_work"`
	Languages          string          `json:"languages"`
	NeedsInterpreter   bool            `json:"needs_interpreter"`
	AccessibilityNeeds string          `json:"accessibility_needs"`
	Guardians          []guardianGiven `json:"guardians"`
}

type guardianGiven struct {
	Name                      string `json:"name"`
	Relationship              string `json:"relationship"`
	Phone                     string `json:"phone"`
	Email                     string `json:"email"`
	HasParentalResponsibility bool   `json:"has_parental_responsibility"`
	Involvement               string `json:"involvement"`
}

func encodePersonGiven(p *linkwork.Person) (string, error) {
	g := personGiven{
		GivenName: p.GivenName, FamilyName: p.FamilyName, PreferredName: p.PreferredName, Pronouns: p.Pronouns, DateOfBirth: p.DateOfBirth.String(),
		Gender: p.Gender, Ethnicity: p.Ethnicity, Address: p.Address, Postcode: p.Postcode, Phone: p.Phone, Email: p.Email,
		ContactChannels: joinChannels(p.Contact.Channels), SafeToLeaveMessage: p.Contact.SafeToLeaveMessage, ContactVia: p.Contact.Via,
		BestTimes: p.Contact.BestTimes, ContactNotes: p.Contact.Notes, SchoolOrWork: p.SchoolOrWork, Languages: p.Languages,
		NeedsInterpreter: p.NeedsInterpreter, AccessibilityNeeds: p.AccessibilityNeeds, Guardians: []guardianGiven{},
	}
	for _, x := range p.Guardians {
		g.Guardians = append(g.Guardians, guardianGiven{Name: x.Name, Relationship: x.Relationship, Phone: x.Phone, Email: x.Email,
			HasParentalResponsibility: x.HasParentalResponsibility, Involvement: x.Involvement})
	}
	b, err := json.Marshal(g)
	return string(b), err
}

// decodePersonGiven turns a stored document into the person it describes,
// with the id and service of the record it belongs to.
func decodePersonGiven(raw, id, serviceOrgID string) (*linkwork.Person, error) {
	var g personGiven
	if err := json.Unmarshal([]byte(raw), &g); err != nil {
		return nil, err
	}
	p := &linkwork.Person{
		ID: id, ServiceOrgID: serviceOrgID, GivenName: g.GivenName, FamilyName: g.FamilyName, PreferredName: g.PreferredName, Pronouns: g.Pronouns,
		Gender: g.Gender, Ethnicity: g.Ethnicity, Address: g.Address, Postcode: g.Postcode, Phone: g.Phone, Email: g.Email,
		Contact:      linkwork.ContactPreferences{SafeToLeaveMessage: g.SafeToLeaveMessage, Via: g.ContactVia, BestTimes: g.BestTimes, Notes: g.ContactNotes},
		SchoolOrWork: g.SchoolOrWork, Languages: g.Languages, NeedsInterpreter: g.NeedsInterpreter, AccessibilityNeeds: g.AccessibilityNeeds,
	}
	if g.DateOfBirth != "" {
		d, err := linkwork.ParseDate(g.DateOfBirth)
		if err != nil {
			return nil, err
		}
		p.DateOfBirth = d
	}
	for c := range strings.SplitSeq(g.ContactChannels, ",") {
		if c != "" {
			p.Contact.Channels = append(p.Contact.Channels, linkwork.Channel(c))
		}
	}
	for _, x := range g.Guardians {
		p.Guardians = append(p.Guardians, linkwork.Guardian{Name: x.Name, Relationship: x.Relationship, Phone: x.Phone, Email: x.Email,
			HasParentalResponsibility: x.HasParentalResponsibility, Involvement: x.Involvement})
	}
	return p, nil
}

// givenForExisting is what a new referral for a person already known
// records as given: the referring organisation's own latest description
// when it referred them before, and otherwise only who they are (names and
// date of birth), never the rest of the service's record.
func (tx *Tx) givenForExisting(existing *linkwork.Person, referrerOrgID string) (*linkwork.Person, error) {
	if referrerOrgID != "" {
		p, err := tx.givenBy(existing.ID, existing.ServiceOrgID, referrerOrgID)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return p, err
		}
	}
	return &linkwork.Person{GivenName: existing.GivenName, FamilyName: existing.FamilyName, PreferredName: existing.PreferredName, DateOfBirth: existing.DateOfBirth}, nil
}

// givenBy returns the person as the organisation's latest referral for
// them gave them; sql.ErrNoRows when it has none.
func (tx *Tx) givenBy(personID, serviceOrgID, orgID string) (*linkwork.Person, error) {
	var raw string
	if err := tx.queryRow("SELECT person_given FROM referrals WHERE person_id = ? AND referrer_org_id = ? AND person_given IS NOT NULL ORDER BY received_at DESC, id LIMIT 1",
		personID, orgID).Scan(&raw); err != nil {
		return nil, err
	}
	return decodePersonGiven(raw, personID, serviceOrgID)
}

// referrerView replaces a person's record with what the actor's
// organisation gave in its own latest referral for them, when the actor is
// a referrer: the only view of a person a referrer has.
func (tx *Tx) referrerView(p *linkwork.Person) (*linkwork.Person, error) {
	if tx.actor.Role != linkwork.RoleReferrer {
		return p, nil
	}
	given, err := tx.givenBy(p.ID, p.ServiceOrgID, tx.actor.OrgID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Person not found")
	}
	return given, err
}

// referrerNames shows a referrer each referral's person by the name and
// date of birth the referral gave, not the record it may since have been
// linked to.
func (tx *Tx) referrerNames(rs []*linkwork.Referral) error {
	if tx.actor.Role != linkwork.RoleReferrer || len(rs) == 0 {
		return nil
	}
	byID := make(map[string]*linkwork.Referral, len(rs))
	args := make([]any, len(rs))
	for i, r := range rs {
		byID[r.ID] = r
		args[i] = r.ID
	}
	rows, err := tx.query("SELECT id, person_given FROM referrals WHERE person_given IS NOT NULL AND id IN ("+placeholders(len(rs))+")", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return err
		}
		r := byID[id]
		p, err := decodePersonGiven(raw, r.PersonID, r.ServiceOrgID)
		if err != nil {
			return err
		}
		r.PersonName, r.PersonDateOfBirth = p.DisplayName(), p.DateOfBirth
	}
	return rows.Err()
}

// riskMatchJSON is one match as kept in referrals.risk_matched.
type riskMatchJSON struct {
	Field string `json:"field"`
	Text  string `json:"text"`
}

func encodeRiskMatches(ms []linkwork.RiskMatch) (string, error) {
	if len(ms) == 0 {
		return "", nil
	}
	out := make([]riskMatchJSON, len(ms))
	for i, m := range ms {
		out[i] = riskMatchJSON(m)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeRiskMatches(raw string) ([]linkwork.RiskMatch, error) {
	if raw == "" {
		return nil, nil
	}
	var in []riskMatchJSON
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		return nil, err
	}
	out := make([]linkwork.RiskMatch, len(in))
	for i, m := range in {
		out[i] = linkwork.RiskMatch(m)
	}
	return out, nil
}
