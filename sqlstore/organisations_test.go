package sqlstore_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// TestChangingAnOrganisation: an administrator corrects an organisation's
// details and sets what it belongs to, a service's funding commissioner
// or a practice's network and nothing of another kind; a stale version,
// a name another of its kind has, and anyone else are refused; the change
// is audited.
func TestChangingAnOrganisation(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		admin := w.as(w.admin)
		pcn := &linkwork.Organisation{Name: "Millbrook North PCN", Kind: linkwork.OrgPCN}
		if err := w.orgs.CreateOrganisation(admin, pcn); err != nil {
			t.Fatal(err)
		}
		fresh := func(t *testing.T, id string) linkwork.Organisation {
			t.Helper()
			o, err := w.orgs.FindOrganisationByID(admin, id)
			if err != nil {
				t.Fatal(err)
			}
			return *o
		}
		for _, c := range []struct {
			name   string
			org    *linkwork.Organisation
			parent string
			field  string // "": saved
		}{
			{"a service funded by a commissioner", w.service, w.icb.ID, ""},
			{"a service under a community group", w.service, w.vcs.ID, "parent_id"},
			{"a service its own parent", w.service, w.service.ID, "parent_id"},
			{"a service under nothing that exists", w.service, "00000000-0000-4000-8000-000000000000", "parent_id"},
			{"a practice in its network", w.gp, pcn.ID, ""},
			{"a practice under a commissioner", w.gp, w.icb.ID, "parent_id"},
			{"a practice under a school", w.gp, w.school.ID, "parent_id"},
			{"a community group part of another", w.otherVCS, w.vcs.ID, ""},
			{"a service funded by nobody", w.service, "", ""},
		} {
			t.Run(c.name, func(t *testing.T) {
				o := fresh(t, c.org.ID)
				o.ParentID = c.parent
				err := w.orgs.UpdateOrganisation(admin, &o)
				if c.field != "" {
					wantField(t, err, c.field)
					if got := fresh(t, c.org.ID); got.Version != o.Version {
						t.Errorf("a refused change moved the version from %d to %d", o.Version, got.Version)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := fresh(t, c.org.ID); got.ParentID != c.parent || got.Version != o.Version {
					t.Errorf("stored parent %q at version %d, want %q at %d", got.ParentID, got.Version, c.parent, o.Version)
				}
			})
		}
		t.Run("details corrected, and audited", func(t *testing.T) {
			o := fresh(t, w.school.ID)
			o.Name, o.Postcode, o.Email = "Millbrook High School", "ls6 2aa", "office@millbrook-high.example.org"
			if err := w.orgs.UpdateOrganisation(admin, &o); err != nil {
				t.Fatal(err)
			}
			if got := fresh(t, o.ID); got.Name != o.Name || got.Postcode != "LS6 2AA" || got.Email != o.Email {
				t.Errorf("stored %+v", got)
			}
			events, _, err := w.audit.FindAuditEvents(admin, linkwork.AuditFilter{RecordID: o.ID, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, e := range events {
				found = found || e.Action == "organisation.update"
			}
			if !found {
				t.Errorf("no organisation.update in %+v", events)
			}
		})
		t.Run("a stale version, a name its kind has, anyone but an administrator", func(t *testing.T) {
			o := fresh(t, w.vcs.ID)
			stale := o
			o.Phone = "0113 496 0000"
			if err := w.orgs.UpdateOrganisation(admin, &o); err != nil {
				t.Fatal(err)
			}
			stale.Phone = "0113 496 0999"
			wantCode(t, w.orgs.UpdateOrganisation(admin, &stale), linkwork.ECONFLICT)
			unread := o
			unread.Version = 0
			wantField(t, w.orgs.UpdateOrganisation(admin, &unread), "version")
			same := fresh(t, w.otherVCS.ID)
			same.Name = o.Name
			err := w.orgs.UpdateOrganisation(admin, &same)
			wantCode(t, err, linkwork.ECONFLICT)
			if fs := linkwork.ErrorFields(err); len(fs) != 1 || fs[0].Field != "name" {
				t.Errorf("a name taken names %v", fs)
			}
			for _, u := range []*linkwork.User{w.coordinator, w.commissioner, w.referrer, w.linkWorker} {
				mine := fresh(t, u.OrgID)
				wantCode(t, w.orgs.UpdateOrganisation(w.as(u), &mine), linkwork.EFORBIDDEN)
			}
		})
	})
}
