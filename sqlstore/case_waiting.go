package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

var _ linkwork.WaitingWellService = (*AllocationService)(nil)

// waitingCase loads a case of the actor's service by id, whatever its
// link worker: the waiting list is read by service, not through the case
// scope. ENOTFOUND for another service's case.
func (tx *Tx) waitingCase(id string) (*linkwork.Case, error) {
	if !serviceStaff(tx.actor) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Case not found")
	}
	c, err := scanCase(tx.queryRow("SELECT "+caseSelect+" "+caseFrom+" WHERE k.id = ? AND k.service_org_id = ?", id, tx.actor.OrgID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Case not found")
	}
	return c, err
}

// FindWaitingCase returns a waiting case of the actor's service.
func (s *AllocationService) FindWaitingCase(ctx context.Context, id string) (*linkwork.Case, error) {
	var c *linkwork.Case
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.waitingCase(id); err != nil {
			return err
		}
		if c.Status != linkwork.CaseWaiting {
			// Once allocated, the case is read through its own scope.
			if c, err = tx.visibleCase(id); err != nil {
				return err
			}
		}
		return tx.audit("case.read", auth.KindCase, c.ID, "waiting")
	})
	return c, err
}

// AddWaitingCheck records a check-in, re-screens it, and flags the
// referral again when it discloses a possible risk.
func (s *AllocationService) AddWaitingCheck(ctx context.Context, c *linkwork.WaitingCheck) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		k, err := tx.waitingCase(c.CaseID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionCheckWaiting, auth.Record{Kind: auth.KindCase, ServiceOrgID: k.ServiceOrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only link workers and coordinators check in with the people waiting")
		}
		if k.Status != linkwork.CaseWaiting {
			return linkwork.FieldErr("contacted", "This case is "+k.Status.Label()+": record contact with them on the case instead")
		}
		set, err := tx.settingsFor(k.ServiceOrgID)
		if err != nil {
			return err
		}
		c.Flagged = linkwork.ScreenWaitingCheck(c, set.RiskPhrases())
		flagged, err := encodeRiskMatches(c.Flagged)
		if err != nil {
			return err
		}
		c.ID, c.ByUserID, c.At = uuid.NewString(), tx.actor.ID(), tx.now
		if _, err := tx.exec(`INSERT INTO waiting_checks (id, case_id, contacted, still_wants, changed, safe_now, harm_thoughts, flagged, by_user_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.CaseID, c.Contacted, string(c.StillWants), c.Changed, string(c.SafeNow), string(c.HarmThoughts),
			flagged, c.ByUserID, c.At); err != nil {
			return err
		}
		if err := tx.audit("case.waiting_check", auth.KindCase, k.ID, c.ID); err != nil {
			return err
		}
		if len(c.Flagged) == 0 {
			return nil
		}
		return tx.flagAgain(k.ReferralID, c.Flagged)
	})
}

// flagAgain flags an accepted referral as a possible risk to review
// today, with what was found, and tells the safeguarding leads and
// coordinators exactly as a flagged new referral does. An earlier
// decision on a risk gives way to the new flag.
func (tx *Tx) flagAgain(referralID string, found []linkwork.RiskMatch) error {
	matched, err := encodeRiskMatches(found)
	if err != nil {
		return err
	}
	if _, err := tx.exec(`UPDATE referrals SET risk_state = ?, risk_matched = ?, risk_note = '', risk_decided_by = '', risk_decided_at = NULL,
		version = version + 1, updated_at = ? WHERE id = ?`, string(linkwork.RiskReviewToday), matched, tx.now, referralID); err != nil {
		return err
	}
	r, err := scanReferral(tx.queryRow("SELECT "+referralSelect+" "+referralFrom+" WHERE r.id = ?", referralID))
	if err != nil {
		return err
	}
	if err := tx.audit("referral.risk_flag", auth.KindReferral, r.ID, "waiting check-in"); err != nil {
		return err
	}
	return tx.notifyRisk(r)
}

// FindWaitingChecks lists a case's check-ins, newest first.
func (s *AllocationService) FindWaitingChecks(ctx context.Context, caseID string) ([]*linkwork.WaitingCheck, error) {
	var out []*linkwork.WaitingCheck
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.waitingCase(caseID); err != nil {
			if _, err2 := tx.visibleCase(caseID); err2 != nil {
				return err
			}
		}
		rows, err := tx.query(`SELECT w.id, w.case_id, w.contacted, w.still_wants, w.changed, w.safe_now, w.harm_thoughts, w.flagged, w.by_user_id, COALESCE(u.name, ''), w.at
			FROM waiting_checks w LEFT JOIN users u ON u.id = w.by_user_id WHERE w.case_id = ? ORDER BY w.at DESC, w.id`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c linkwork.WaitingCheck
			var still, safe, harm, flagged string
			if err := rows.Scan(&c.ID, &c.CaseID, &c.Contacted, &still, &c.Changed, &safe, &harm, &flagged, &c.ByUserID, &c.ByName, timeDest{&c.At}); err != nil {
				return err
			}
			c.StillWants, c.SafeNow, c.HarmThoughts = linkwork.Answer(still), linkwork.Answer(safe), linkwork.Answer(harm)
			if c.Flagged, err = decodeRiskMatches(flagged); err != nil {
				return err
			}
			out = append(out, &c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("case.waiting_checks", auth.KindCase, caseID, "")
	})
	return out, err
}

// flaggedWhileWaiting is where FlaggedWhileWaiting finds the service's
// flagged accepted referrals whose person waits. The statuses are
// literals, so that the planners can prove the partial index of flagged
// accepted referrals applies. SQLite is told to read by it: its
// statistics, taken when nothing was flagged, say the index is empty, and
// left to itself it reads every accepted referral the service ever had.
func (db *DB) flaggedWhileWaiting(serviceOrgID string) (string, where) {
	var w where
	w.add("r.service_org_id = ?", serviceOrgID)
	w.add("r.status = '" + string(linkwork.ReferralAccepted) + "'")
	w.add(flaggedSQL)
	w.add("k.status = ?", string(linkwork.CaseWaiting))
	return referralTable + db.dialect.indexedBy("referrals_flagged_accepted"), w
}

// FlaggedWhileWaiting lists the service's accepted referrals flagged as a
// possible risk whose person is still waiting, oldest first.
func (s *AllocationService) FlaggedWhileWaiting(ctx context.Context) ([]*linkwork.Referral, error) {
	var out []*linkwork.Referral
	err := s.db.audited(ctx, func(tx *Tx) error {
		if !serviceStaff(tx.actor) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service's staff see its triage")
		}
		from, w := tx.db.flaggedWhileWaiting(tx.actor.OrgID)
		var err error
		if out, err = tx.referralRows(from, w, 0, 100); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, r := range out {
			ids[i] = r.ID
		}
		return tx.auditList("referral.list", auth.KindReferral, ids)
	})
	return out, err
}
