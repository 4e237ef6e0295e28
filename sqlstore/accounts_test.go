package sqlstore_test

import (
	"context"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestOrganisations(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		t.Run("administrators add organisations", func(t *testing.T) {
			o := &linkwork.Organisation{Name: "Hillside School", Kind: linkwork.OrgSchool, Postcode: "s10 2tn"}
			if err := w.orgs.CreateOrganisation(w.as(w.admin), o); err != nil {
				t.Fatal(err)
			}
			got, err := w.orgs.FindOrganisationByID(w.as(w.referrer), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != o.Name || got.Postcode != "S10 2TN" || got.Version != 1 {
				t.Fatalf("got %+v", got)
			}
		})
		t.Run("others may not", func(t *testing.T) {
			err := w.orgs.CreateOrganisation(w.as(w.coordinator), &linkwork.Organisation{Name: "X", Kind: linkwork.OrgVCS})
			wantCode(t, err, linkwork.EFORBIDDEN)
		})
		t.Run("a duplicate name of the same kind is a conflict on the name", func(t *testing.T) {
			err := w.orgs.CreateOrganisation(w.as(w.admin), &linkwork.Organisation{Name: "Riverside Surgery", Kind: linkwork.OrgGPPractice})
			wantCode(t, err, linkwork.ECONFLICT)
			if fs := linkwork.ErrorFields(err); len(fs) != 1 || fs[0].Field != "name" {
				t.Fatalf("fields %v", fs)
			}
		})
		t.Run("bad fields are named", func(t *testing.T) {
			err := w.orgs.CreateOrganisation(w.as(w.admin), &linkwork.Organisation{Kind: "pub", Postcode: "nowhere"})
			wantField(t, err, "name")
			wantField(t, err, "kind")
			wantField(t, err, "postcode")
		})
		t.Run("a stale update is a conflict", func(t *testing.T) {
			a, _ := w.orgs.FindOrganisationByID(w.as(w.admin), w.school.ID)
			b, _ := w.orgs.FindOrganisationByID(w.as(w.admin), w.school.ID)
			a.Phone = "0114 496 0000"
			if err := w.orgs.UpdateOrganisation(w.as(w.admin), a); err != nil {
				t.Fatal(err)
			}
			b.Phone = "0114 496 0001"
			wantCode(t, w.orgs.UpdateOrganisation(w.as(w.admin), b), linkwork.ECONFLICT)
			got, _ := w.orgs.FindOrganisationByID(w.as(w.admin), w.school.ID)
			if got.Phone != "0114 496 0000" || got.Version != 2 {
				t.Fatalf("after conflict: phone %q version %d", got.Phone, got.Version)
			}
		})
		t.Run("unknown ids are not found", func(t *testing.T) {
			_, err := w.orgs.FindOrganisationByID(w.as(w.admin), "nope")
			wantCode(t, err, linkwork.ENOTFOUND)
			wantCode(t, w.orgs.UpdateOrganisation(w.as(w.admin), &linkwork.Organisation{ID: "nope", Name: "X", Kind: linkwork.OrgVCS, Version: 1}), linkwork.ENOTFOUND)
		})
		t.Run("lists filter by kind and name", func(t *testing.T) {
			list, total, err := w.orgs.FindOrganisations(w.as(w.referrer), linkwork.OrganisationFilter{Kind: linkwork.OrgSPService})
			if err != nil || total != 2 || len(list) != 2 {
				t.Fatalf("%d services (%d listed), err %v", total, len(list), err)
			}
			list, total, _ = w.orgs.FindOrganisations(w.as(w.referrer), linkwork.OrganisationFilter{Query: "BOXING"})
			if total != 1 || list[0].ID != w.vcs.ID {
				t.Fatalf("name search found %d", total)
			}
		})
	})
}

func TestUsers(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tests := []struct {
			name  string
			user  linkwork.User
			field string
			code  string
		}{
			{"a link worker must work for a social prescribing service", linkwork.User{Name: "A", Email: "a@example.org", Role: linkwork.RoleLinkWorker, OrgID: ""}, "role", linkwork.EINVALID},
			{"a missing email is named", linkwork.User{Name: "A", Role: linkwork.RoleReferrer}, "email", linkwork.EINVALID},
			{"a malformed email is named", linkwork.User{Name: "A", Email: "not an email", Role: linkwork.RoleReferrer}, "email", linkwork.EINVALID},
			{"an unknown role is named", linkwork.User{Name: "A", Email: "b@example.org", Role: "boss"}, "role", linkwork.EINVALID},
			{"a taken email is a conflict", linkwork.User{Name: "A", Email: "GP@example.org", Role: linkwork.RoleReferrer}, "email", linkwork.ECONFLICT},
			{"an unknown organisation is named", linkwork.User{Name: "A", Email: "c@example.org", Role: linkwork.RoleReferrer, OrgID: "nope"}, "org_id", linkwork.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				u := tt.user
				if u.OrgID == "" && tt.field != "org_id" {
					u.OrgID = w.gp.ID
				}
				err := w.users.CreateUser(w.as(w.admin), &u, password)
				wantCode(t, err, tt.code)
				found := false
				for _, f := range linkwork.ErrorFields(err) {
					found = found || f.Field == tt.field
				}
				if !found {
					t.Fatalf("error %v does not name %s", err, tt.field)
				}
			})
		}
		t.Run("a short password is named", func(t *testing.T) {
			err := w.users.CreateUser(w.as(w.admin), &linkwork.User{Name: "A", Email: "d@example.org", Role: linkwork.RoleReferrer, OrgID: w.gp.ID}, "short")
			wantField(t, err, "password")
		})
		t.Run("only administrators add users", func(t *testing.T) {
			err := w.users.CreateUser(w.as(w.coordinator), &linkwork.User{Name: "A", Email: "e@example.org", Role: linkwork.RoleLinkWorker, OrgID: w.service.ID}, password)
			wantCode(t, err, linkwork.EFORBIDDEN)
		})
		t.Run("who sees which users", func(t *testing.T) {
			cases := []struct {
				who  *linkwork.User
				want int
			}{
				{w.admin, 10},
				{w.coordinator, 5}, // the service's staff
				{w.linkWorker, 1},  // only themself
				{w.commissioner, 1},
			}
			for _, c := range cases {
				_, total, err := w.users.FindUsers(w.as(c.who), linkwork.UserFilter{})
				if err != nil || total != c.want {
					t.Errorf("%s sees %d users (err %v), want %d", c.who.Role, total, err, c.want)
				}
			}
			_, err := w.users.FindUserByID(w.as(w.linkWorker), w.coordinator.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
			if _, err := w.users.FindUserByEmail(w.as(w.admin), " GP@Example.org "); err != nil {
				t.Fatalf("find by email: %v", err)
			}
		})
	})
}

func TestSignInAndSessions(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		t.Run("the right password starts a session", func(t *testing.T) {
			s, u, err := w.auth.Login(w.sys, " LinkWorker@example.org", password, "test", "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != w.linkWorker.ID || s.Token == "" || s.ID == s.Token {
				t.Fatalf("session %+v user %+v", s, u)
			}
			got, err := w.auth.SessionUser(w.sys, s.Token)
			if err != nil || got.ID != u.ID {
				t.Fatalf("session user %v, err %v", got, err)
			}
		})
		t.Run("every failure gets the same answer", func(t *testing.T) {
			var msgs []string
			for _, c := range []struct{ email, pw string }{
				{"linkworker@example.org", "wrong password!!"},
				{"nobody@example.org", password},
			} {
				_, _, err := w.auth.Login(w.sys, c.email, c.pw, "", "")
				wantCode(t, err, linkwork.EUNAUTHORIZED)
				msgs = append(msgs, linkwork.ErrorMessage(err))
			}
			if msgs[0] != msgs[1] {
				t.Fatalf("failures differ: %q vs %q", msgs[0], msgs[1])
			}
		})
		t.Run("empty fields are named", func(t *testing.T) {
			_, _, err := w.auth.Login(w.sys, "", "", "", "")
			wantField(t, err, "email")
			wantField(t, err, "password")
		})
		t.Run("a session ends after the idle timeout", func(t *testing.T) {
			s, _, err := w.auth.Login(w.sys, "gp@example.org", password, "", "")
			if err != nil {
				t.Fatal(err)
			}
			w.clock.Advance(linkwork.DefaultSessionPolicy.Idle - time.Minute)
			if _, err := w.auth.SessionUser(w.sys, s.Token); err != nil {
				t.Fatalf("session ended early: %v", err)
			}
			w.clock.Advance(linkwork.DefaultSessionPolicy.Idle - time.Minute)
			if _, err := w.auth.SessionUser(w.sys, s.Token); err != nil {
				t.Fatalf("activity did not extend the session: %v", err)
			}
			w.clock.Advance(linkwork.DefaultSessionPolicy.Idle)
			_, err = w.auth.SessionUser(w.sys, s.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
		t.Run("a session ends at the absolute limit however busy", func(t *testing.T) {
			s, _, err := w.auth.Login(w.sys, "gp@example.org", password, "", "")
			if err != nil {
				t.Fatal(err)
			}
			for elapsed := time.Duration(0); elapsed < linkwork.DefaultSessionPolicy.Absolute-20*time.Minute; elapsed += 20 * time.Minute {
				w.clock.Advance(20 * time.Minute)
				if _, err := w.auth.SessionUser(w.sys, s.Token); err != nil {
					t.Fatalf("ended after %v: %v", elapsed, err)
				}
			}
			w.clock.Advance(40 * time.Minute)
			_, err = w.auth.SessionUser(w.sys, s.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
		t.Run("logout ends the session", func(t *testing.T) {
			s, _, _ := w.auth.Login(w.sys, "gp@example.org", password, "", "")
			if err := w.auth.Logout(w.sys, s.Token); err != nil {
				t.Fatal(err)
			}
			_, err := w.auth.SessionUser(w.sys, s.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			if err := w.auth.Logout(w.sys, s.Token); err != nil {
				t.Fatalf("second logout: %v", err)
			}
		})
		t.Run("disabling a user ends their sessions and tokens and stops sign-in", func(t *testing.T) {
			s, _, _ := w.auth.Login(w.sys, "teacher@example.org", password, "", "")
			tok, err := w.auth.CreateAPIToken(w.as(w.schoolReferrer), w.schoolReferrer.ID, "school MIS", time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.auth.TokenUser(w.sys, tok.Token); err != nil {
				t.Fatalf("fresh token refused: %v", err)
			}
			wantCode(t, w.users.DisableUser(w.as(w.coordinator), w.schoolReferrer.ID), linkwork.ENOTFOUND)
			if err := w.users.DisableUser(w.as(w.admin), w.schoolReferrer.ID); err != nil {
				t.Fatal(err)
			}
			_, err = w.auth.SessionUser(w.sys, s.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			_, err = w.auth.TokenUser(w.sys, tok.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			_, _, err = w.auth.Login(w.sys, "teacher@example.org", password, "", "")
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			if err := w.users.EnableUser(w.as(w.admin), w.schoolReferrer.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, err := w.auth.Login(w.sys, "teacher@example.org", password, "", ""); err != nil {
				t.Fatalf("enabled user cannot sign in: %v", err)
			}
		})
		t.Run("administrators cannot disable themselves", func(t *testing.T) {
			wantCode(t, w.users.DisableUser(w.as(w.admin), w.admin.ID), linkwork.EINVALID)
		})
		t.Run("changing your password needs the current one and ends old sessions", func(t *testing.T) {
			s, _, _ := w.auth.Login(w.sys, "otherworker@example.org", password, "", "")
			ctx := w.as(w.otherWorker)
			wantField(t, w.users.ChangePassword(ctx, "not my password", "another long password"), "current_password")
			wantField(t, w.users.ChangePassword(ctx, password, "short"), "password")
			wantField(t, w.users.ChangePassword(ctx, password, password), "password")
			if err := w.users.ChangePassword(ctx, password, "another long password"); err != nil {
				t.Fatal(err)
			}
			_, err := w.auth.SessionUser(w.sys, s.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			if _, _, err := w.auth.Login(w.sys, "otherworker@example.org", "another long password", "", ""); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("only administrators reset someone's password", func(t *testing.T) {
			wantCode(t, w.users.SetPassword(w.as(w.linkWorker), w.linkWorker.ID, "a reset password!"), linkwork.EFORBIDDEN)
			wantCode(t, w.users.SetPassword(w.as(w.coordinator), w.linkWorker.ID, "a reset password!"), linkwork.EFORBIDDEN)
			wantField(t, w.users.SetPassword(w.as(w.admin), w.linkWorker.ID, "short"), "password")
			if err := w.users.SetPassword(w.as(w.admin), w.linkWorker.ID, "a reset password!"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := w.auth.Login(w.sys, "linkworker@example.org", "a reset password!", "", ""); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestAPITokens(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.linkWorker)
		t.Run("bad requests are named", func(t *testing.T) {
			_, err := w.auth.CreateAPIToken(ctx, w.linkWorker.ID, " ", time.Time{})
			wantField(t, err, "name")
			_, err = w.auth.CreateAPIToken(ctx, w.linkWorker.ID, "x", w.clock.Now().Add(-time.Hour))
			wantField(t, err, "expires")
			_, err = w.auth.CreateAPIToken(ctx, w.linkWorker.ID, "x", w.clock.Now().AddDate(2, 0, 0))
			wantField(t, err, "expires")
		})
		t.Run("only for yourself, even as administrator", func(t *testing.T) {
			_, err := w.auth.CreateAPIToken(ctx, w.coordinator.ID, "x", time.Time{})
			wantCode(t, err, linkwork.ENOTFOUND)
			_, err = w.auth.CreateAPIToken(w.as(w.admin), w.coordinator.ID, "x", time.Time{})
			wantCode(t, err, linkwork.EFORBIDDEN)
			if _, err := w.auth.CreateAPIToken(w.sys, w.coordinator.ID, "issued by an operator", time.Time{}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a token works until it expires", func(t *testing.T) {
			tok, err := w.auth.CreateAPIToken(ctx, w.linkWorker.ID, "case system", w.clock.Now().Add(48*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			u, err := w.auth.TokenUser(w.sys, tok.Token)
			if err != nil || u.ID != w.linkWorker.ID {
				t.Fatalf("token user %v err %v", u, err)
			}
			for _, bad := range []string{"", "lw_nope", tok.Token + "x", tok.Token[3:]} {
				_, err := w.auth.TokenUser(w.sys, bad)
				wantCode(t, err, linkwork.EUNAUTHORIZED)
			}
			w.clock.Advance(49 * time.Hour)
			_, err = w.auth.TokenUser(w.sys, tok.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
	})
}

// auditDetail returns the detail of the latest audit event with the action
// about the record, and whether there is one.
func auditDetail(t *testing.T, w *world, recordID, action string) (string, bool) {
	t.Helper()
	events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordID: recordID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == action {
			return e.Detail, true
		}
	}
	return "", false
}

func TestPasswordChangesEndTokens(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, tt := range []struct {
			name   string
			who    *linkwork.User
			change func() error
			action string
		}{
			{"changing your own password revokes every API token you hold", w.otherWorker, func() error {
				return w.users.ChangePassword(w.as(w.otherWorker), password, "another long password")
			}, "user.password_change"},
			{"an administrator's reset revokes every API token of the user", w.schoolReferrer, func() error {
				return w.users.SetPassword(w.as(w.admin), w.schoolReferrer.ID, "a reset password!!")
			}, "user.password_reset"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				ctx := w.as(tt.who)
				var tokens []string
				for _, name := range []string{"case system", "reporting"} {
					tok, err := w.auth.CreateAPIToken(ctx, tt.who.ID, name, time.Time{})
					if err != nil {
						t.Fatal(err)
					}
					tokens = append(tokens, tok.Token)
				}
				s, _, err := w.auth.Login(w.sys, tt.who.Email, password, "", "")
				if err != nil {
					t.Fatal(err)
				}
				if err := tt.change(); err != nil {
					t.Fatal(err)
				}
				for _, tok := range tokens {
					_, err := w.auth.TokenUser(w.sys, tok)
					wantCode(t, err, linkwork.EUNAUTHORIZED)
				}
				_, err = w.auth.SessionUser(w.sys, s.Token)
				wantCode(t, err, linkwork.EUNAUTHORIZED)
				if list, err := w.auth.APITokens(ctx); err != nil || len(list) != 0 {
					t.Fatalf("after the change the account lists %d tokens (err %v), want none", len(list), err)
				}
				if d, ok := auditDetail(t, w, tt.who.ID, tt.action); !ok || d != "ended 1 sessions, revoked 2 API tokens" {
					t.Fatalf("audit %s: %q (found %v)", tt.action, d, ok)
				}
			})
		}
		t.Run("a token made after the change works", func(t *testing.T) {
			tok, err := w.auth.CreateAPIToken(w.as(w.otherWorker), w.otherWorker.ID, "new", time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.auth.TokenUser(w.sys, tok.Token); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestOwnAPITokens(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		mine := w.as(w.coordinator)
		older, err := w.auth.CreateAPIToken(mine, w.coordinator.ID, "case system", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(time.Hour)
		newer, err := w.auth.CreateAPIToken(mine, w.coordinator.ID, "reporting", w.clock.Now().Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := w.auth.CreateAPIToken(w.as(w.linkWorker), w.linkWorker.ID, "their system", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(time.Hour)
		if _, err := w.auth.TokenUser(w.sys, older.Token); err != nil {
			t.Fatal(err)
		}
		usedAt := w.clock.Now().UTC()

		t.Run("you list your own tokens, newest first, with when each was last used", func(t *testing.T) {
			list, err := w.auth.APITokens(mine)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 2 || list[0].ID != newer.ID || list[1].ID != older.ID {
				t.Fatalf("listed %v, want reporting then case system", list)
			}
			got := list[1]
			if got.Name != "case system" || !got.CreatedAt.Equal(older.CreatedAt) || !got.ExpiresAt.Equal(older.ExpiresAt) || !got.LastUsed.Equal(usedAt) {
				t.Fatalf("case system listed as %+v; created %v, expires %v, used %v", got, older.CreatedAt, older.ExpiresAt, usedAt)
			}
			if !list[0].LastUsed.IsZero() {
				t.Fatalf("an unused token lists as used at %v", list[0].LastUsed)
			}
			for _, tok := range list {
				if tok.Token != "" {
					t.Fatal("a listed token carries its secret")
				}
			}
		})
		t.Run("an expired token is listed until revoked", func(t *testing.T) {
			w.clock.Advance(72 * time.Hour)
			list, _ := w.auth.APITokens(mine)
			if len(list) != 2 || !list[0].Expired(w.clock.Now()) || list[1].Expired(w.clock.Now()) {
				t.Fatalf("listed %v", list)
			}
		})
		t.Run("nobody revokes a token that is not theirs, not even an administrator", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.coordinator, w.admin} {
				wantCode(t, w.auth.RevokeAPIToken(w.as(u), theirs.ID), linkwork.ENOTFOUND)
			}
			wantCode(t, w.auth.RevokeAPIToken(mine, "no such token"), linkwork.ENOTFOUND)
			if _, err := w.auth.TokenUser(w.sys, theirs.Token); err != nil {
				t.Fatalf("their token stopped working: %v", err)
			}
		})
		t.Run("you revoke your own token at once, audited", func(t *testing.T) {
			if err := w.auth.RevokeAPIToken(mine, older.ID); err != nil {
				t.Fatal(err)
			}
			_, err := w.auth.TokenUser(w.sys, older.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			if list, _ := w.auth.APITokens(mine); len(list) != 1 || list[0].ID != newer.ID {
				t.Fatalf("after revoking, listed %v", list)
			}
			if d, ok := auditDetail(t, w, w.coordinator.ID, "token.revoke"); !ok || d != "token "+older.ID {
				t.Fatalf("audit token.revoke: %q (found %v)", d, ok)
			}
			if err := w.auth.RevokeAPIToken(mine, older.ID); err != nil {
				t.Fatalf("revoking again: %v", err)
			}
		})
		t.Run("the system lists no tokens of its own but may revoke any", func(t *testing.T) {
			if list, err := w.auth.APITokens(w.sys); err != nil || len(list) != 0 {
				t.Fatalf("the system lists %v, err %v", list, err)
			}
			if err := w.auth.RevokeAPIToken(w.sys, theirs.ID); err != nil {
				t.Fatal(err)
			}
			_, err := w.auth.TokenUser(w.sys, theirs.Token)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
		t.Run("without an actor there is nothing to list or revoke", func(t *testing.T) {
			_, err := w.auth.APITokens(context.Background())
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			wantCode(t, w.auth.RevokeAPIToken(context.Background(), newer.ID), linkwork.EUNAUTHORIZED)
		})
	})
}
