package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// ListingService implements linkwork.ListingService: verification links,
// reports that a listing is out of date, the curator's dashboard and full
// postcodes.
type ListingService struct {
	db *DB
	// NoticeDays is how long before its verify-by date a listing's
	// contact hears; default linkwork.VerifyNoticeDays.
	NoticeDays int
}

// NewListingService returns the listing service over db.
func NewListingService(db *DB) *ListingService { return &ListingService{db: db} }

var _ linkwork.ListingService = (*ListingService)(nil)

// verifyActorPrefix marks what a verification link did, in versions and
// the audit trail: "verification:" and the link's id.
const verifyActorPrefix = "verification:"

// verifyActor is who acts through a verification link: not a user, so the
// policy grants it nothing; the store lets it change only the link's
// listing.
func verifyActor(verificationID string) linkwork.Actor {
	return linkwork.Actor{UserID: verifyActorPrefix + verificationID, Name: linkwork.VerifiedByContact, Purpose: "verification link"}
}

// recheckMonths is how long a confirmation of a listing lasts: the
// service's ListingRecheckMonths. The directory is shared: a listing
// belongs to the organisation that runs it, not to a service. With one
// social prescribing service (the usual case) its setting applies; with
// several, the shortest, so that every listing is checked at least as
// often as any service using the directory asks. With none,
// linkwork.RecheckMonths.
func (tx *Tx) recheckMonths() (int, error) {
	months := 0
	err := tx.eachRow(settingsSelect, nil, func(row scanner) error {
		set, err := scanSettings(row)
		if err != nil {
			return err
		}
		if m := set.ListingRecheckMonths; m > 0 && (months == 0 || m < months) {
			months = m
		}
		return nil
	})
	if months == 0 {
		months = linkwork.RecheckMonths
	}
	return months, err
}

// confirmed marks a as checked now by who, due again after the service's
// recheck interval.
func (tx *Tx) confirmed(a *linkwork.Asset, who string) error {
	months, err := tx.recheckMonths()
	if err != nil {
		return err
	}
	a.AssuredAt, a.AssuredBy = tx.now, who
	a.VerifyBy = linkwork.DateOf(tx.db.today().Time().AddDate(0, months, 0))
	return nil
}

func (s *ListingService) noticeDays() int {
	if s.NoticeDays > 0 {
		return s.NoticeDays
	}
	return linkwork.VerifyNoticeDays
}

// maxLinksPerRound bounds the emails one round of the job writes.
const maxLinksPerRound = 200

// SendVerificationLinks writes an email with a new link to the contact of
// each listing due a check.
func (s *ListingService) SendVerificationLinks(ctx context.Context) (int, error) {
	sent := 0
	err := s.db.update(ctx, func(tx *Tx) error {
		if !tx.actor.System {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only the service itself sends verification links")
		}
		// A link's token is kept in the outbox only until it is
		// emailed: then only its hash remains.
		if _, err := tx.exec("UPDATE notifications SET link = '' WHERE kind = ? AND sent_at IS NOT NULL AND link <> ''", string(linkwork.NoteVerifyListing)); err != nil {
			return err
		}
		due := dv(linkwork.DateOf(tx.db.today().Time().AddDate(0, 0, s.noticeDays())))
		recent := tx.now.AddDate(0, 0, -linkwork.VerifyResendDays)
		type target struct{ id, name, email string }
		var targets []target
		err := tx.eachRow(`SELECT a.id, a.name, a.email,
				(SELECT c.email FROM asset_contacts c WHERE c.asset_id = a.id AND c.email <> '' ORDER BY c.position LIMIT 1)
			FROM assets a
			WHERE a.status IN ('active', 'temporarily closed') AND a.verify_by IS NOT NULL AND a.verify_by <= ?
			AND (a.email <> '' OR EXISTS (SELECT 1 FROM asset_contacts c WHERE c.asset_id = a.id AND c.email <> ''))
			AND NOT EXISTS (SELECT 1 FROM asset_verifications v WHERE v.asset_id = a.id AND v.created_at > ?)
			ORDER BY a.verify_by, a.id LIMIT ?`, []any{due, recent, maxLinksPerRound}, func(row scanner) error {
			var t target
			var contact string
			if err := row.Scan(&t.id, &t.name, &t.email, nullString{&contact}); err != nil {
				return err
			}
			if contact != "" {
				t.email = contact
			}
			targets = append(targets, t)
			return nil
		})
		if err != nil {
			return err
		}
		for _, t := range targets {
			token := auth.NewToken()
			id := uuid.NewString()
			if _, err := tx.exec(`INSERT INTO asset_verifications (id, asset_id, token_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
				id, t.id, auth.HashToken(token), t.email, tx.now, tx.now.AddDate(0, 0, linkwork.VerifyLinkDays)); err != nil {
				return err
			}
			n := &linkwork.Notification{Kind: linkwork.NoteVerifyListing, Email: t.email,
				Subject: "Is your listing still right? " + t.name,
				Body: fmt.Sprintf("Your activity %q is listed in our community directory, which link workers use to help people find things to do.\n\n"+
					"Please check it is still right. Open the link below: if nothing has changed, press \"Yes, this is still right\"; "+
					"if something has, you can correct it there. You do not need an account. The link works once, for %d days.",
					t.name, linkwork.VerifyLinkDays),
				Link: "/verify/" + token}
			if err := tx.insertNotification(n); err != nil {
				return err
			}
			if err := tx.audit("asset.verification_sent", auth.KindAsset, t.id, "verification="+id); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	return sent, err
}

// openVerification finds the link with the token, ENOTFOUND when there
// is none and ECONFLICT when it was used or has expired.
func (tx *Tx) openVerification(token string) (*linkwork.Verification, error) {
	v := &linkwork.Verification{}
	var assetID string
	var used time.Time
	err := tx.queryRow("SELECT id, asset_id, email, created_at, expires_at, used_at FROM asset_verifications WHERE token_hash = ?", auth.HashToken(token)).
		Scan(&v.ID, &assetID, &v.Email, timeDest{&v.CreatedAt}, timeDest{&v.ExpiresAt}, timeDest{&used})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "This link is not one we sent. Check you copied all of it from the email.")
	}
	if err != nil {
		return nil, err
	}
	if !used.IsZero() {
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "This link has already been used, on %s. Thank you: there is nothing more to do. If something else has changed, tell the social prescribing team.", used.In(ukTime).Format("2 January 2006"))
	}
	if !tx.now.Before(v.ExpiresAt) {
		return nil, linkwork.Errorf(linkwork.ECONFLICT, "This link has expired. We will send a new one when the listing is next due a check; or tell the social prescribing team what has changed.")
	}
	if v.Asset, err = tx.findAsset(assetID); err != nil {
		return nil, err
	}
	return v, nil
}

// FindVerification returns the open link with the token.
func (s *ListingService) FindVerification(ctx context.Context, token string) (*linkwork.Verification, error) {
	var v *linkwork.Verification
	err := s.db.viewAs(ctx, linkwork.SystemActor("verification link"), func(tx *Tx) error {
		var err error
		v, err = tx.openVerification(token)
		return err
	})
	return v, err
}

// useVerification runs fn on the link's listing as the link, then uses the
// link up. fn returns the listing to save.
func (s *ListingService) useVerification(ctx context.Context, token, outcome string, fn func(tx *Tx, v *linkwork.Verification) (*linkwork.Asset, error)) (*linkwork.Asset, error) {
	var v *linkwork.Verification
	err := s.db.viewAs(ctx, linkwork.SystemActor("verification link"), func(tx *Tx) error {
		var err error
		v, err = tx.openVerification(token)
		return err
	})
	if err != nil {
		return nil, err
	}
	var saved *linkwork.Asset
	err = s.db.updateAs(ctx, verifyActor(v.ID), func(tx *Tx) error {
		cur, err := tx.openVerification(token)
		if err != nil {
			return err
		}
		a, err := fn(tx, cur)
		if err != nil {
			return err
		}
		a.ID, a.OrgID = cur.Asset.ID, cur.Asset.OrgID
		if err := tx.confirmed(a, linkwork.VerifiedByContact); err != nil {
			return err
		}
		if err := tx.saveAsset(cur.Asset, a, "asset."+outcome, "verification="+cur.ID); err != nil {
			return err
		}
		res, err := tx.exec("UPDATE asset_verifications SET used_at = ?, outcome = ? WHERE id = ? AND used_at IS NULL", tx.now, outcome, cur.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return linkwork.Errorf(linkwork.ECONFLICT, "This link has already been used. Thank you: there is nothing more to do.")
		}
		saved = a
		return nil
	})
	return saved, err
}

// ConfirmListing confirms the listing as it stands.
func (s *ListingService) ConfirmListing(ctx context.Context, token string) (*linkwork.Asset, error) {
	return s.useVerification(ctx, token, "confirmed", func(tx *Tx, v *linkwork.Verification) (*linkwork.Asset, error) {
		a := *v.Asset
		return &a, nil
	})
}

// CorrectListing saves the contact's corrections.
func (s *ListingService) CorrectListing(ctx context.Context, token string, a *linkwork.Asset) error {
	w := wishesOf(a)
	*a = a.Normalised()
	if err := a.Validate(); err != nil {
		return err
	}
	saved, err := s.useVerification(ctx, token, "corrected", func(tx *Tx, v *linkwork.Verification) (*linkwork.Asset, error) {
		return a, tx.placeLocations(a, v.Asset, w.unplaced)
	})
	if err == nil {
		*a = *saved
	}
	return err
}

// ConfirmAsset records a curator's check that the listing is still right.
func (s *ListingService) ConfirmAsset(ctx context.Context, id string, version int) (*linkwork.Asset, error) {
	var saved *linkwork.Asset
	err := s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.findAsset(id)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(cur)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators and the organisation that runs it can confirm a listing")
		}
		if version != cur.Version {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone changed this listing since you read it (it is at version %d, not %d). Read it again and check it before you confirm it.", cur.Version, version)
		}
		a := *cur
		if err := tx.confirmed(&a, tx.actor.ID()); err != nil {
			return err
		}
		if err := tx.saveAsset(cur, &a, "asset.confirmed", "by curator"); err != nil {
			return err
		}
		saved = &a
		return nil
	})
	return saved, err
}

// assetOwner reads a listing's name and organisation, ENOTFOUND when
// there is no such listing.
func (tx *Tx) assetOwner(id string) (name, orgID string, err error) {
	err = tx.queryRow("SELECT name, org_id FROM assets WHERE id = ?", id).Scan(&name, nullString{&orgID})
	if errors.Is(err, sql.ErrNoRows) {
		err = linkwork.Errorf(linkwork.ENOTFOUND, "Listing not found")
	}
	return name, orgID, err
}

// ReportAsset records a report that a listing is out of date.
func (s *ListingService) ReportAsset(ctx context.Context, assetID, note string) (*linkwork.AssetReport, error) {
	note = strings.TrimSpace(note)
	var p linkwork.Problems
	if note == "" {
		p.Add("note", "Say what is out of date, like \"It has moved to Tuesdays\"")
	}
	p.Text("note", note, linkwork.MaxReportNote)
	if err := p.Err(); err != nil {
		return nil, err
	}
	r := &linkwork.AssetReport{ID: uuid.NewString(), AssetID: assetID, Note: note}
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if r.AssetName, r.OrgID, err = tx.assetOwner(assetID); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionReport, auth.AssetRecord(&linkwork.Asset{OrgID: r.OrgID})) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only link workers and coordinators report listings out of date")
		}
		r.ReportedBy, r.ReportedByName, r.CreatedAt = tx.actor.ID(), tx.actor.Name, tx.now
		if _, err := tx.exec("INSERT INTO asset_reports (id, asset_id, note, reported_by, created_at) VALUES (?, ?, ?, ?, ?)",
			r.ID, assetID, note, r.ReportedBy, tx.now); err != nil {
			return err
		}
		return tx.audit("asset.report", auth.KindAsset, assetID, "report="+r.ID)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ResolveAssetReport marks a report dealt with.
func (s *ListingService) ResolveAssetReport(ctx context.Context, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		var assetID string
		var resolved time.Time
		err := tx.queryRow("SELECT asset_id, resolved_at FROM asset_reports WHERE id = ?", id).Scan(&assetID, timeDest{&resolved})
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Report not found")
		}
		if err != nil {
			return err
		}
		_, orgID, err := tx.assetOwner(assetID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(&linkwork.Asset{OrgID: orgID})) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators and the organisation that runs it can resolve a report")
		}
		if !resolved.IsZero() {
			return nil
		}
		if _, err := tx.exec("UPDATE asset_reports SET resolved_at = ?, resolved_by = ? WHERE id = ?", tx.now, tx.actor.ID(), id); err != nil {
			return err
		}
		return tx.audit("asset.report_resolved", auth.KindAsset, assetID, "report="+id)
	})
}

const reportSelect = `SELECT r.id, r.asset_id, a.name, a.org_id, r.note, r.reported_by, u.name, r.created_at, r.resolved_at, r.resolved_by
	FROM asset_reports r JOIN assets a ON a.id = r.asset_id LEFT JOIN users u ON u.id = r.reported_by`

func scanReport(row scanner) (*linkwork.AssetReport, error) {
	r := &linkwork.AssetReport{}
	err := row.Scan(&r.ID, &r.AssetID, &r.AssetName, nullString{&r.OrgID}, &r.Note, &r.ReportedBy, nullString{&r.ReportedByName},
		timeDest{&r.CreatedAt}, timeDest{&r.ResolvedAt}, &r.ResolvedBy)
	return r, err
}

// FindAssetReports lists a listing's reports, newest first.
func (s *ListingService) FindAssetReports(ctx context.Context, assetID string) ([]*linkwork.AssetReport, error) {
	var out []*linkwork.AssetReport
	err := s.db.view(ctx, func(tx *Tx) error {
		_, orgID, err := tx.assetOwner(assetID)
		if err != nil {
			return err
		}
		curator := auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(&linkwork.Asset{OrgID: orgID}))
		// Those who may report a listing see its reports, so as not to
		// report it twice.
		if !curator && !auth.Allows(tx.actor.Role, auth.ReportListings) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only link workers, coordinators and the organisation that runs it see its reports")
		}
		return tx.eachRow(reportSelect+" WHERE r.asset_id = ? ORDER BY r.created_at DESC, r.id", []any{assetID}, func(row scanner) error {
			r, err := scanReport(row)
			if !curator && r.ReportedBy != tx.actor.UserID {
				// Link workers see that a listing is reported, and why, so
				// as not to report it again; who reported it is for the
				// curators, as the report form tells the reporter.
				r.ReportedBy, r.ReportedByName = "", ""
			}
			out = append(out, r)
			return err
		})
	})
	return out, err
}

// curationLimit is how many of each list the dashboard shows.
const curationLimit = 100

// Curation is the curator's dashboard.
func (s *ListingService) Curation(ctx context.Context) (*linkwork.Curation, error) {
	c := &linkwork.Curation{}
	err := s.db.view(ctx, func(tx *Tx) error {
		where, args := "a.status IN ('active', 'temporarily closed')", []any{}
		// The policy says whose listings the actor curates: every
		// listing, or their own organisation's.
		switch {
		case auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(&linkwork.Asset{})):
		case auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(&linkwork.Asset{OrgID: tx.actor.OrgID})):
			where += " AND a.org_id = ?"
			args = append(args, tx.actor.OrgID)
			c.OwnOrgOnly = true
		default:
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators and community organisations curate the directory")
		}
		c.Today = tx.db.today()
		today, soon := dv(c.Today), dv(linkwork.DateOf(c.Today.Time().AddDate(0, 0, s.noticeDays())))
		lists := []struct {
			cond  string
			args  []any
			list  *[]*linkwork.ListingDue
			count *int
		}{
			{"a.verify_by < ?", []any{today}, &c.Stale, &c.StaleCount},
			{"a.verify_by >= ? AND a.verify_by <= ?", []any{today, soon}, &c.DueSoon, &c.DueSoonCount},
		}
		for _, l := range lists {
			all := append(append([]any{}, args...), l.args...)
			n, err := tx.count("SELECT COUNT(*) FROM assets a WHERE "+where+" AND "+l.cond, all...)
			if err != nil {
				return err
			}
			*l.count = n
			err = tx.eachRow(`SELECT a.id, a.name, a.org_id, o.name, a.verify_by, a.assured_at,
					coalesce((SELECT c.email FROM asset_contacts c WHERE c.asset_id = a.id AND c.email <> '' ORDER BY c.position LIMIT 1), a.email)
				FROM assets a LEFT JOIN organisations o ON o.id = a.org_id WHERE `+where+" AND "+l.cond+" ORDER BY a.verify_by, a.name, a.id LIMIT ?",
				append(all, curationLimit), func(row scanner) error {
					d := &linkwork.ListingDue{}
					if err := row.Scan(&d.ID, &d.Name, nullString{&d.OrgID}, nullString{&d.OrgName}, dateDest{&d.VerifyBy}, timeDest{&d.AssuredAt}, &d.Email); err != nil {
						return err
					}
					*l.list = append(*l.list, d)
					return nil
				})
			if err != nil {
				return err
			}
		}
		rwhere := strings.Replace(where, "a.status IN ('active', 'temporarily closed')", "r.resolved_at IS NULL", 1)
		n, err := tx.count("SELECT COUNT(*) FROM asset_reports r JOIN assets a ON a.id = r.asset_id WHERE "+rwhere, args...)
		if err != nil {
			return err
		}
		c.ReportCount = n
		return tx.eachRow(reportSelect+" WHERE "+rwhere+" ORDER BY r.created_at, r.id LIMIT ?", append(args, curationLimit), func(row scanner) error {
			r, err := scanReport(row)
			c.Reports = append(c.Reports, r)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
