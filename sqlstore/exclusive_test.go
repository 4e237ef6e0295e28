package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestAJobRunsOneRoundAtATimeAcrossServers holds a round of a job open on
// one store and tries the same job from the same process and, on
// PostgreSQL, from a second store on the database (as a second server
// would): neither runs until the first round ends, while another job
// runs meanwhile.
func TestAJobRunsOneRoundAtATimeAcrossServers(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		stores := []*sqlstore.DB{db}
		if db.Dialect() == "postgres" {
			other, err := db.Reopen(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			stores = append(stores, other)
		}
		errTwice := errors.New("ran twice at once")
		ran, err := db.RunExclusive(ctx, "return due deferrals", func(ctx context.Context) error {
			for i, s := range stores {
				inner, err := s.RunExclusive(ctx, "return due deferrals", func(context.Context) error { return errTwice })
				if err != nil || inner {
					t.Errorf("store %d ran the job while a round was running: %v %v", i, inner, err)
				}
				other, err := s.RunExclusive(ctx, "send verification links", func(context.Context) error { return nil })
				if err != nil || !other {
					t.Errorf("store %d could not run another job meanwhile: %v %v", i, other, err)
				}
			}
			return nil
		})
		if err != nil || !ran {
			t.Fatalf("the first round: ran %v, %v", ran, err)
		}
		for i, s := range stores {
			ran, err := s.RunExclusive(ctx, "return due deferrals", func(context.Context) error { return nil })
			if err != nil || !ran {
				t.Fatalf("store %d after the round ended: ran %v, %v", i, ran, err)
			}
		}
		t.Run("a round's error comes back, and the lock is let go", func(t *testing.T) {
			ran, err := db.RunExclusive(ctx, "return due deferrals", func(context.Context) error { return errTwice })
			if !ran || !errors.Is(err, errTwice) {
				t.Fatalf("ran %v, %v", ran, err)
			}
			for i, s := range stores {
				if ran, err := s.RunExclusive(ctx, "return due deferrals", func(context.Context) error { return nil }); err != nil || !ran {
					t.Fatalf("store %d after a failed round: ran %v, %v", i, ran, err)
				}
			}
		})
	})
}

// TestSharedSecretIsTheSameForEveryServer makes the secret from two
// stores on one database, as two servers starting would: both get the
// same 32 bytes, and a later call gets them again.
func TestSharedSecretIsTheSameForEveryServer(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		other, err := db.Reopen(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		a, err := db.SharedSecret(ctx, "public form")
		if err != nil {
			t.Fatal(err)
		}
		b, err := other.SharedSecret(ctx, "public form")
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 32 || string(a) != string(b) {
			t.Fatalf("two servers got different secrets: %x and %x", a, b)
		}
		again, err := db.SharedSecret(ctx, "public form")
		if err != nil || string(again) != string(a) {
			t.Fatalf("the secret changed: %x, %v", again, err)
		}
		c, err := db.SharedSecret(ctx, "something else")
		if err != nil || string(c) == string(a) {
			t.Fatalf("another name got the same secret: %x, %v", c, err)
		}
	})
}
