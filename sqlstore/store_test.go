package sqlstore_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func TestOpenRejectsBadDSNs(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"", "no database given"},
		{"mysql://localhost/x", "not understood"},
		{"sqlite:", "needs a file path"},
		{"sqlite::memory:", "in-memory"},
		{"postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2", "cannot reach"},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			_, err := sqlstore.Open(context.Background(), tt.dsn, sqlstore.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open(%q) error = %v, want it to mention %q", tt.dsn, err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("error %q shows the password", err)
			}
		})
	}
}

func TestSQLiteSynchronousOption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	if _, err := sqlstore.Open(context.Background(), "sqlite:"+path, sqlstore.Options{SQLiteSynchronous: "OFF"}); err == nil || !strings.Contains(err.Error(), "synchronous") {
		t.Fatalf("synchronous=OFF was accepted: %v", err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migrate applied %v", applied)
		}
		v, err := db.SchemaVersion(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ms, _ := sqlstore.Migrations(db.Dialect())
		if v != len(ms) || v == 0 {
			t.Fatalf("schema version %d, want %d", v, len(ms))
		}
	})
}

func TestBothDialectsHaveTheSameMigrations(t *testing.T) {
	lite, err := sqlstore.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqlstore.Migrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Name != pg[i].Name {
			t.Errorf("migration %d is %s in sqlite but %s in postgres", i+1, lite[i].Name, pg[i].Name)
		}
	}
	// Same names could still build different schemas: compare what a
	// fresh database on each engine holds.
	t.Run("and they make the same schema", func(t *testing.T) {
		sqltest.ReportPostgres(t)
		lite, pg := readSchema(t, "sqlite"), readSchema(t, "postgres")
		if diffs := compareSchemas(lite, pg); len(diffs) > 0 {
			t.Errorf("the engines' schemas differ in %d ways:\n%s", len(diffs), strings.Join(diffs, "\n"))
		}
		if len(lite.columns) == 0 || len(lite.indexes) == 0 {
			t.Fatalf("read %d columns and %d indexes: the schema was not read", len(lite.columns), len(lite.indexes))
		}
	})
}

func TestServicesNeedAnActor(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s := newServices(db)
		ctx := context.Background()
		_, _, err := s.referrals.FindReferrals(ctx, linkwork.ReferralFilter{})
		wantCode(t, err, linkwork.EUNAUTHORIZED)
		_, err = s.people.FindPersonByID(ctx, "x")
		wantCode(t, err, linkwork.EUNAUTHORIZED)
		_, err = s.home.HomeFigures(ctx)
		wantCode(t, err, linkwork.EUNAUTHORIZED)
	})
}

func TestTimesRoundTripAndSort(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		// Referrals received at times whose fractions differ in length sort
		// by time, not by text.
		var ids []string
		for _, step := range []time.Duration{500 * time.Millisecond, 120 * time.Millisecond, time.Second, 7 * time.Microsecond} {
			w.clock.Advance(step)
			r := w.refer(t, "Sam", "Order"+itoa3(len(ids)))
			ids = append(ids, r.ID)
			got, err := w.referrals.FindReferralByID(w.as(w.coordinator), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.ReceivedAt.Equal(r.ReceivedAt) || !got.ReceivedAt.Equal(w.clock.Now().Truncate(time.Microsecond)) {
				t.Fatalf("received at %v, stored %v, clock %v", r.ReceivedAt, got.ReceivedAt, w.clock.Now())
			}
		}
		list, _, err := w.referrals.FindReferrals(w.as(w.coordinator), linkwork.ReferralFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range list {
			if r.ID != ids[len(ids)-1-i] {
				t.Fatalf("referral %d is %s, want newest first %v", i, r.ID, ids)
			}
		}
		after, _, err := w.referrals.FindReferrals(w.as(w.coordinator), linkwork.ReferralFilter{ReceivedAfter: list[1].ReceivedAt})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != 2 {
			t.Fatalf("%d referrals received at or after the second newest, want 2", len(after))
		}
	})
}

func TestDatesRoundTrip(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Dana", "Date")
		p, err := w.people.FindPersonByID(w.as(w.coordinator), r.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if p.DateOfBirth != (linkwork.Date{Year: 2010, Month: 5, Day: 14}) {
			t.Fatalf("date of birth %v", p.DateOfBirth)
		}
		found, n, err := w.people.FindPeople(w.as(w.coordinator), linkwork.PersonFilter{DateOfBirth: p.DateOfBirth})
		if err != nil || n != 1 || found[0].ID != p.ID {
			t.Fatalf("find by date of birth: %d found, err %v", n, err)
		}
	})
}

func TestDriverErrorsBecomeDomainErrors(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		t.Run("a missing parent is invalid", func(t *testing.T) {
			l := sqlstore.NewLoader(ctx, db)
			if err := l.Person(&linkwork.Person{ID: "p1", ServiceOrgID: "no-such-service", GivenName: "A"}); err != nil {
				t.Fatal(err)
			}
			err := l.Flush()
			wantCode(t, err, linkwork.EINVALID)
			if strings.Contains(linkwork.ErrorMessage(err), "FOREIGN") || strings.Contains(linkwork.ErrorMessage(err), "violates") {
				t.Fatalf("the message shows the driver's words: %q", linkwork.ErrorMessage(err))
			}
		})
		t.Run("a duplicate is a conflict", func(t *testing.T) {
			l := sqlstore.NewLoader(ctx, db)
			o := &linkwork.Organisation{ID: "o1", Name: "Twice", Kind: linkwork.OrgVCS}
			if err := l.Organisation(o); err != nil {
				t.Fatal(err)
			}
			if err := l.Flush(); err != nil {
				t.Fatal(err)
			}
			if err := l.Organisation(o); err != nil {
				t.Fatal(err)
			}
			wantCode(t, l.Flush(), linkwork.ECONFLICT)
		})
	})
}

func TestPurgeSessions(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		old, _, err := w.auth.Login(w.sys, "gp@example.org", password, "", "")
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(linkwork.DefaultSessionPolicy.Idle + time.Minute)
		fresh, _, err := w.auth.Login(w.sys, "teacher@example.org", password, "", "")
		if err != nil {
			t.Fatal(err)
		}
		n, err := w.auth.PurgeSessions(w.sys)
		if err != nil || n != 1 {
			t.Fatalf("purged %d (%v), want the one idle session", n, err)
		}
		if _, err := w.auth.SessionUser(w.sys, fresh.Token); err != nil {
			t.Fatalf("the live session was purged: %v", err)
		}
		_, err = w.auth.SessionUser(w.sys, old.Token)
		wantCode(t, err, linkwork.EUNAUTHORIZED)
	})
}

func TestPostgreSQLIsConfigured(t *testing.T) { sqltest.ReportPostgres(t) }

// TestEachEngineRunsOnItsOwnClock: time moved on in one engine's run does
// not move the next engine's, which starts where the first started.
func TestEachEngineRunsOnItsOwnClock(t *testing.T) {
	start := newClock().Now()
	eachWorld(t, func(t *testing.T, w *world) {
		if got := w.db.Now(); !got.Equal(start) {
			t.Errorf("the run starts at %s, want %s: an earlier run moved its clock", got, start)
		}
		w.clock.Advance(48 * time.Hour)
	})
}
