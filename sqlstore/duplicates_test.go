package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// A new referral's person is flagged as possibly someone the service
// already holds when they share the name and date of birth (whatever the
// letter case), the phone number (exactly) or the email address (whatever
// the letter case) of a person the service holds; the one held longest
// when several match; never someone another service holds.
func TestDuplicateDetection(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		dob := linkwork.Date{Year: 2009, Month: 2, Day: 3}
		elodie := func(r *linkwork.Referral, p *linkwork.Person) {
			p.DateOfBirth, p.Phone, p.Email = dob, "07700 900501", "Elodie.OBriain@Example.org"
		}
		// Held by the other service first, so that a search of every
		// service's people would find this twin before the one below.
		twin := w.referAs(t, w.referrer, "Élodie", "Ó Briain", func(r *linkwork.Referral, p *linkwork.Person) {
			elodie(r, p)
			r.ServiceOrgID = w.otherService.ID
		})
		w.clock.Advance(time.Minute)
		known := w.referAs(t, w.referrer, "Élodie", "Ó Briain", elodie)
		w.clock.Advance(time.Minute)
		ann := w.referAs(t, w.referrer, "Ann", "Marie Lee", func(r *linkwork.Referral, p *linkwork.Person) { p.Phone, p.Email = "07700 900502", "ann@example.org" })
		for _, r := range []*linkwork.Referral{twin, known, ann} {
			if r.PossibleDuplicateOf != "" {
				t.Fatalf("%s was flagged as a duplicate of %s before anyone matched", r.PersonID, r.PossibleDuplicateOf)
			}
		}
		// other gives the person a name and details that match nobody.
		n := 0
		other := func(p *linkwork.Person) {
			n++
			p.FamilyName, p.Phone, p.Email = "Newcomer "+itoa3(n), "07700 9006"+itoa3(n)[1:], ""
		}
		flagged := func(t *testing.T, edit func(r *linkwork.Referral, p *linkwork.Person)) string {
			t.Helper()
			w.clock.Advance(time.Minute)
			r := w.referAs(t, w.referrer, "Sam", "Newcomer", func(r *linkwork.Referral, p *linkwork.Person) {
				other(p)
				edit(r, p)
			})
			if r.ServiceOrgID == w.otherService.ID {
				got, err := w.referrals.FindReferralByID(w.as(w.foreignCoord), r.ID)
				if err != nil {
					t.Fatal(err)
				}
				return got.PossibleDuplicateOf
			}
			return w.reread(t, r.ID).PossibleDuplicateOf
		}
		for _, tt := range []struct {
			name string
			edit func(r *linkwork.Referral, p *linkwork.Person)
			want string
		}{
			{"the same name in other letter cases and the same date of birth", func(r *linkwork.Referral, p *linkwork.Person) {
				p.GivenName, p.FamilyName, p.DateOfBirth = "ÉLODIE", "ó briain", dob
			}, known.PersonID},
			{"the same name with the spaces the form trims", func(r *linkwork.Referral, p *linkwork.Person) {
				p.GivenName, p.FamilyName, p.DateOfBirth = " Élodie ", "Ó Briain ", dob
			}, known.PersonID},
			{"the same name and another date of birth", func(r *linkwork.Referral, p *linkwork.Person) {
				p.GivenName, p.FamilyName, p.DateOfBirth = "Élodie", "Ó Briain", linkwork.Date{Year: 2009, Month: 2, Day: 4}
			}, ""},
			{"the same name and no date of birth", func(r *linkwork.Referral, p *linkwork.Person) {
				p.GivenName, p.FamilyName, p.DateOfBirth = "Élodie", "Ó Briain", linkwork.Date{}
			}, ""},
			{"another name and the same date of birth", func(r *linkwork.Referral, p *linkwork.Person) {
				p.GivenName, p.FamilyName, p.DateOfBirth = "Eloise", "Ó Briain", dob
			}, ""},
			{"the same words split otherwise between given and family name", func(r *linkwork.Referral, p *linkwork.Person) {
				p.GivenName, p.FamilyName = "Ann Marie", "Lee"
			}, ""},
			{"the same phone number", func(r *linkwork.Referral, p *linkwork.Person) { p.Phone = "07700 900501" }, known.PersonID},
			{"the phone number written otherwise", func(r *linkwork.Referral, p *linkwork.Person) { p.Phone = "07700900501" }, ""},
			{"the same email address in other letter cases", func(r *linkwork.Referral, p *linkwork.Person) { p.Email = "elodie.obriain@EXAMPLE.ORG" }, known.PersonID},
			{"another email address", func(r *linkwork.Referral, p *linkwork.Person) { p.Email = "elodie.obriain@example.com" }, ""},
			{"several matches: the person held longest", func(r *linkwork.Referral, p *linkwork.Person) {
				p.GivenName, p.FamilyName, p.Phone = "ann", "MARIE LEE", "07700 900501"
			}, known.PersonID},
			{"another service's people are its own", func(r *linkwork.Referral, p *linkwork.Person) {
				r.ServiceOrgID, p.Phone = w.otherService.ID, "07700 900501"
			}, twin.PersonID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if got := flagged(t, tt.edit); got != tt.want {
					t.Errorf("flagged as a duplicate of %q, want %q", got, tt.want)
				}
			})
		}

		t.Run("a changed record is found by its new details, not its old", func(t *testing.T) {
			p, err := w.people.FindPersonByID(w.as(w.coordinator), ann.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.FamilyName, p.DateOfBirth, p.Email = "Lee", linkwork.Date{Year: 2011, Month: 7, Day: 8}, "Ann.Lee@example.org"
			if err := w.people.UpdatePerson(w.as(w.coordinator), p); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				edit func(r *linkwork.Referral, p *linkwork.Person)
				want string
			}{
				{func(r *linkwork.Referral, q *linkwork.Person) { q.Email = "ann@example.org" }, ""},
				{func(r *linkwork.Referral, q *linkwork.Person) {
					q.GivenName, q.FamilyName, q.DateOfBirth = "ANN", "lee", p.DateOfBirth
				}, ann.PersonID},
				{func(r *linkwork.Referral, q *linkwork.Person) { q.Email = "ann.lee@example.org" }, ann.PersonID},
			} {
				if got := flagged(t, c.edit); got != c.want {
					t.Errorf("flagged as a duplicate of %q, want %q", got, c.want)
				}
			}
		})

		t.Run("people loaded in bulk are found", func(t *testing.T) {
			l := sqlstore.NewLoader(context.Background(), w.db)
			p := &linkwork.Person{ID: uuid.NewString(), ServiceOrgID: w.service.ID, GivenName: "Zoë", FamilyName: "Ng", DateOfBirth: dob,
				Email: "ZOE.NG@example.org", CreatedAt: w.clock.Now(), UpdatedAt: w.clock.Now()}
			if err := l.Person(p); err != nil {
				t.Fatal(err)
			}
			if err := l.Close("test"); err != nil {
				t.Fatal(err)
			}
			if got := flagged(t, func(r *linkwork.Referral, q *linkwork.Person) {
				q.GivenName, q.FamilyName, q.DateOfBirth = "ZOË", "NG", dob
			}); got != p.ID {
				t.Errorf("by name: flagged as a duplicate of %q, want %q", got, p.ID)
			}
			if got := flagged(t, func(r *linkwork.Referral, q *linkwork.Person) { q.Email = "zoe.ng@example.org" }); got != p.ID {
				t.Errorf("by email: flagged as a duplicate of %q, want %q", got, p.ID)
			}
		})
	})
}

// The duplicate check is a lookup in an index for each detail it matches
// on, never a read of the service's people.
func TestDuplicateCheckReadsByIndex(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		p := &linkwork.Person{ServiceOrgID: uuid.NewString(), GivenName: "Élodie", FamilyName: "Ó Briain", DateOfBirth: linkwork.Date{Year: 2009, Month: 2, Day: 3},
			Phone: "07700 900501", Email: "elodie@example.org"}
		q, args := sqlstore.DuplicateQuery(p)
		plan, err := db.PlanOf(q, args...)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Scans("people") {
			t.Errorf("the duplicate check reads all people:\n%s", plan.Text)
		}
		for _, index := range []string{"people_dup_name_dob", "people_dup_phone", "people_dup_email"} {
			if !strings.Contains(plan.Text, index) {
				t.Errorf("the duplicate check does not use %s:\n%s", index, plan.Text)
			}
		}
		if q, _ := sqlstore.DuplicateQuery(&linkwork.Person{ServiceOrgID: p.ServiceOrgID, GivenName: "Sam"}); q != "" {
			t.Errorf("a person with nothing to match on is looked for: %s", q)
		}
	})
}

// Migration 0018 keys the people and the connections already held: a
// person recorded before it is found as a possible duplicate, and a
// connection made before it is listed for its service.
func TestMigrationKeysRecordsAlreadyHeld(t *testing.T) {
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := openAtVersion(t, dialect, "before_indexed_keys", 17)
			w := newWorld(t, db, newClock())
			boxing := newAsset(w.vcs, "Youth Boxing")
			if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
				t.Fatal(err)
			}
			person, referral, kase, conn := uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{`INSERT INTO people (id, service_org_id, given_name, family_name, date_of_birth, phone, email, created_at, updated_at)
					VALUES (?, ?, 'Łucja', 'Nowak', '2010-05-14', '07700 900777', 'Lucja.Nowak@Example.org', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
					[]any{person, w.service.ID}},
				{`INSERT INTO referrals (id, service_org_id, person_id, pathway, mode, status, case_id, received_at, updated_at)
					VALUES (?, ?, ?, 'gp', 'referral', 'accepted', ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
					[]any{referral, w.service.ID, person, kase}},
				{`INSERT INTO cases (id, person_id, referral_id, service_org_id, link_worker_id, status, opened_at, updated_at)
					VALUES (?, ?, ?, ?, ?, 'active', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
					[]any{kase, person, referral, w.service.ID, w.linkWorker.ID}},
				{`INSERT INTO connections (id, case_id, person_id, asset_id, level, status, created_at, updated_at)
					VALUES (?, ?, ?, ?, 'refer', 'contacted', '2026-01-02 00:00:00', '2026-01-02 00:00:00')`,
					[]any{conn, kase, person, boxing.ID}},
			} {
				if err := db.Exec(q.sql, q.args...); err != nil {
					t.Fatalf("%s: %v", q.sql, err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			for _, edit := range []func(r *linkwork.Referral, p *linkwork.Person){
				func(r *linkwork.Referral, p *linkwork.Person) { p.GivenName, p.FamilyName = "ŁUCJA", "NOWAK" },
				func(r *linkwork.Referral, p *linkwork.Person) { p.Phone = "07700 900777" },
				func(r *linkwork.Referral, p *linkwork.Person) { p.Email = "lucja.nowak@example.org" },
			} {
				r := w.referAs(t, w.referrer, "Sam", "Newcomer", func(r *linkwork.Referral, p *linkwork.Person) {
					p.Phone = "07700 900888"
					edit(r, p)
				})
				if got := w.reread(t, r.ID); got.PossibleDuplicateOf != person {
					t.Errorf("flagged as a duplicate of %q, want the person held before the migration", got.PossibleDuplicateOf)
				}
			}
			for _, c := range []struct {
				who  *linkwork.User
				want int
			}{{w.coordinator, 1}, {w.linkWorker, 1}, {w.otherWorker, 0}, {w.foreignCoord, 0}, {w.community, 1}} {
				list, total, err := w.connections.FindConnections(w.as(c.who), linkwork.ConnectionFilter{})
				if err != nil {
					t.Fatal(err)
				}
				if total != c.want || len(list) != c.want || (c.want == 1 && list[0].ID != conn) {
					t.Errorf("%s: %d connections of %d, want %d", c.who.Name, len(list), total, c.want)
				}
			}
		})
	}
}
