package sqlstore

import (
	"context"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/ukpostcode"
)

// ReferralEligibility checks a referral the actor may see against its
// service's settings, when the policy lets them see how it is screened.
func (s *ReferralService) ReferralEligibility(ctx context.Context, id string) (*linkwork.Eligibility, error) {
	var out *linkwork.Eligibility
	err := s.db.audited(ctx, func(tx *Tx) error {
		r, err := tx.visibleReferral(id)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionCheckEligibility, referralRecord(r)) {
			return nil
		}
		set, err := tx.settingsFor(r.ServiceOrgID)
		if err != nil {
			return err
		}
		p, err := tx.visiblePerson(r.PersonID)
		if err != nil {
			return err
		}
		practice := ""
		if r.GPPracticeOrgID != "" {
			gp, err := tx.findOrg(r.GPPracticeOrgID)
			if err != nil {
				return err
			}
			practice = gp.Name
		}
		checks := set.Eligibility(r, p, linkwork.DateOf(tx.now.In(ukTime)), practice, ukpostcode.PlaceName)
		out = &linkwork.Eligibility{Checks: checks, Eligible: linkwork.Eligible(checks)}
		return tx.audit("referral.eligibility", auth.KindReferral, r.ID, "")
	})
	return out, err
}
