package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// What is saved inside Atomically is committed together, or not at all
// when its function fails; a call inside that fails is undone alone; reads
// inside see what was saved before them; and the audit trail stays whole.
func TestAtomically(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := linkwork.NewContext(t.Context(), linkwork.SystemActor("test"))
		orgs, assets := sqlstore.NewOrganisationService(db), sqlstore.NewAssetService(db)
		listing := func(name, postcode, orgID string) *linkwork.Asset {
			return &linkwork.Asset{Name: name, OrgID: orgID, Categories: []linkwork.Category{linkwork.CategorySports},
				Status: linkwork.AssetActive, HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting},
				Locations: []linkwork.Location{{Type: linkwork.LocationPhysical, Name: "Hall", PostalCode: postcode}}}
		}
		count := func() (nOrgs, nAssets int) {
			t.Helper()
			_, nOrgs, err := orgs.FindOrganisations(ctx, linkwork.OrganisationFilter{Query: "Trust", Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			_, nAssets, err = assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			return nOrgs, nAssets
		}

		t.Run("a failure undoes everything saved before it", func(t *testing.T) {
			stop := errors.New("stop")
			err := db.Atomically(ctx, func(ctx context.Context) error {
				o := &linkwork.Organisation{Name: "Undone Trust", Kind: linkwork.OrgVCS}
				if err := orgs.CreateOrganisation(ctx, o); err != nil {
					return err
				}
				if err := assets.CreateAsset(ctx, listing("Undone club", "LS1 4AP", o.ID)); err != nil {
					return err
				}
				return stop
			})
			if err != stop {
				t.Errorf("Atomically returned %v, want the function's own error", err)
			}
			if o, a := count(); o != 0 || a != 0 {
				t.Errorf("%d organisations and %d listings saved, want none", o, a)
			}
		})

		t.Run("a call that fails is undone alone, and reads see what came before", func(t *testing.T) {
			var kept *linkwork.Asset
			err := db.Atomically(ctx, func(ctx context.Context) error {
				o := &linkwork.Organisation{Name: "Kept Trust", Kind: linkwork.OrgVCS}
				if err := orgs.CreateOrganisation(ctx, o); err != nil {
					return err
				}
				if _, err := orgs.FindOrganisationByID(ctx, o.ID); err != nil {
					t.Errorf("the organisation saved inside is not found inside: %v", err)
				}
				err := assets.CreateAsset(ctx, listing("Lost club", "ZZ99 9ZZ", o.ID))
				if linkwork.ErrorCode(err) != linkwork.EINVALID {
					t.Errorf("a place in no lookup: %v, want EINVALID", err)
				}
				kept = listing("Kept club", "LS1 4AP", o.ID)
				return db.Atomically(ctx, func(ctx context.Context) error { // joins the outer one
					return assets.CreateAsset(ctx, kept)
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			if o, a := count(); o != 1 || a != 1 {
				t.Errorf("%d organisations and %d listings saved, want 1 and 1", o, a)
			}
			if got, err := assets.FindAssetByID(ctx, kept.ID); err != nil || got.Name != "Kept club" {
				t.Errorf("the listing saved: %v %v", got, err)
			}
		})

		v, err := sqlstore.NewAuditService(db).VerifyAudit(ctx)
		if err != nil || !v.OK || v.Events == 0 {
			t.Errorf("the audit trail after: %+v %v", v, err)
		}
	})
}
