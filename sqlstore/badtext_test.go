package sqlstore_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// TestTextTheStoreCannotHold: on both engines, every service refuses a
// zero byte, bytes that are not UTF-8 and text past its limit as EINVALID
// (naming the field where the service's Validate does), never as an
// internal error, and never stores them raw.
func TestTextTheStoreCannotHold(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		asset := newAsset(w.vcs, "Youth Boxing")
		if err := w.assets.CreateAsset(w.as(w.coordinator), asset); err != nil {
			t.Fatal(err)
		}
		k := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		lw := w.as(w.linkWorker)
		referral := func(edit func(r *linkwork.Referral, p *linkwork.Person)) error {
			r := &linkwork.Referral{ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
				Reasons: "Low mood", ConsentReferral: true, PersonAware: new(true), SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo}
			p := newPerson("Ana", "Bell")
			edit(r, p)
			return w.referrals.CreateReferral(w.as(w.referrer), r, p)
		}
		public := func(edit func(r *linkwork.Referral, p *linkwork.Person)) error {
			r, p := publicReferral(w)
			edit(r, p)
			return w.referrals.SubmitPublicReferral(anonymous, r, p)
		}
		named := []struct {
			name  string
			err   func() error
			field string
		}{
			{"a signed-in referral's reasons of 900 KB", func() error {
				return referral(func(r *linkwork.Referral, _ *linkwork.Person) { r.Reasons = strings.Repeat("x", 900<<10) })
			}, "reasons"},
			{"a zero byte in a signed-in referral's person", func() error {
				return referral(func(_ *linkwork.Referral, p *linkwork.Person) { p.GivenName = "A\x00na" })
			}, "person.given_name"},
			{"bytes that are not UTF-8 in a public referral's reasons", func() error {
				return public(func(r *linkwork.Referral, _ *linkwork.Person) { r.Reasons = "lonely \xff" })
			}, "reasons"},
			{"a zero byte in a public referral's name", func() error {
				return public(func(_ *linkwork.Referral, p *linkwork.Person) { p.FamilyName = "Pub\x00lic" })
			}, "person.family_name"},
			{"a public referral's email that is any text", func() error {
				return public(func(_ *linkwork.Referral, p *linkwork.Person) { p.Email = "text me" })
			}, "person.email"},
			{"a zero byte in the email signing in", func() error {
				_, _, err := w.auth.Login(t.Context(), "gp\x00@example.org", password, "test", "127.0.0.1")
				return err
			}, "email"},
			{"bytes that are not UTF-8 in the email signing in", func() error {
				_, _, err := w.auth.Login(t.Context(), "gp\xc3@example.org", password, "test", "127.0.0.1")
				return err
			}, "email"},
			{"a zero byte in an API token's name", func() error {
				_, err := w.auth.CreateAPIToken(w.as(w.referrer), w.referrer.ID, "case\x00system", w.clock.Now().AddDate(0, 1, 0))
				return err
			}, "name"},
			{"a listing's url of javascript:", func() error {
				a := newAsset(w.vcs, "Click me")
				a.URL = "javascript:alert(document.cookie)"
				return w.assets.CreateAsset(w.as(w.coordinator), a)
			}, "url"},
			{"a listing's email that is any text", func() error {
				a := newAsset(w.vcs, "Mail me")
				a.Email = "ask at the desk"
				return w.assets.CreateAsset(w.as(w.coordinator), a)
			}, "email"},
			{"an organisation's email that is any text", func() error {
				return w.orgs.CreateOrganisation(w.sys, &linkwork.Organisation{Name: "Chess Club", Kind: linkwork.OrgVCS, Email: "ring us"})
			}, "email"},
			{"a report on a listing with a zero byte", func() error {
				_, err := sqlstore.NewListingService(w.db).ReportAsset(lw, asset.ID, "Moved\x00")
				return err
			}, "note"},
			{"a case's plan past 5,000 characters", func() error {
				c := *k
				c.Plan = strings.Repeat("é", 5001)
				return w.cases.UpdateCase(lw, &c)
			}, "plan"},
			{"a goal with a zero byte", func() error {
				return w.cases.AddGoal(lw, &linkwork.Goal{CaseID: k.ID, Text: "Join\x00 a club"})
			}, "text"},
			{"a session's notes that are not UTF-8", func() error {
				return w.cases.AddContact(lw, &linkwork.Contact{CaseID: k.ID, At: w.clock.Now(), Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended, Notes: "\xff"})
			}, "notes"},
			{"a connection's note past 5,000 characters", func() error {
				return w.connections.CreateConnection(lw, &linkwork.Connection{CaseID: k.ID, AssetID: asset.ID, Level: linkwork.LevelRefer, Note: strings.Repeat("x", 5001)})
			}, "note"},
			{"a measure completed by text with a zero byte", func() error {
				return w.measures.RecordMeasure(lw, &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline,
					Answers: linkwork.Ints(5, 5, 5, 5), CompletedBy: "person\x00"})
			}, "completed_by"},
			{"a closure's note past 5,000 characters", func() error {
				_, err := w.cases.CloseCase(lw, k.ID, k.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet, Note: strings.Repeat("x", 5001)})
				return err
			}, "note"},
		}
		for _, tt := range named {
			t.Run(tt.name, func(t *testing.T) { wantField(t, tt.err(), tt.field) })
		}

		// What no Validate sees (ids and searches) the store refuses
		// before the query runs: EINVALID, never internal.
		refused := []struct {
			name string
			err  func() error
		}{
			{"a referral's id with a zero byte", func() error {
				_, err := w.referrals.FindReferralByID(w.as(w.coordinator), "x\x00")
				return err
			}},
			{"a listing's id that is not UTF-8", func() error { _, err := w.assets.FindAssetByID(anonymous, "\xff"); return err }},
			{"a user's email with a zero byte", func() error { _, err := w.users.FindUserByEmail(w.as(w.admin), "admin\x00@example.org"); return err }},
			{"a moved connection's note with a zero byte", func() error {
				_, err := w.connections.MoveConnection(lw, "x", linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: 1, Note: "rang\x00"})
				return err
			}},
		}
		for _, tt := range refused {
			t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.err(), linkwork.EINVALID) })
		}

		t.Run("searches for text that is not text find nothing, or are refused", func(t *testing.T) {
			_, _, err := w.assets.FindAssets(anonymous, linkwork.AssetFilter{Query: "box\x00ing\xff"})
			if code := linkwork.ErrorCode(err); code != "" && code != linkwork.EINVALID {
				t.Fatalf("directory search: %v", err)
			}
			_, _, err = w.orgs.FindOrganisations(w.as(w.admin), linkwork.OrganisationFilter{Query: "\xfe\x00"})
			if code := linkwork.ErrorCode(err); code != "" && code != linkwork.EINVALID {
				t.Fatalf("organisation search: %v", err)
			}
		})
		t.Run("tokens that are not text are simply not valid", func(t *testing.T) {
			_, err := w.auth.SessionUser(t.Context(), "abc\x00\xff")
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			_, err = w.auth.TokenUser(t.Context(), "lw_\x00\xff")
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
		t.Run("a browser whose user agent is not UTF-8 still signs in", func(t *testing.T) {
			// 299 bytes then a two-byte character: cut at 300 bytes, the
			// agent must not end half-way through it.
			agent := "Mozilla \xff\x00" + strings.Repeat("a", 289) + "é and more"
			sess, _, err := w.auth.Login(t.Context(), "gp@example.org", password, agent, "127.0.0.1")
			if err != nil {
				t.Fatalf("Login: %v", err)
			}
			if _, err := w.auth.SessionUser(t.Context(), sess.Token); err != nil {
				t.Fatalf("SessionUser: %v", err)
			}
			if !linkwork.ValidText(sess.UserAgent) || len(sess.UserAgent) > 300 {
				t.Fatalf("user agent stored as %q", sess.UserAgent)
			}
		})
	})
}
