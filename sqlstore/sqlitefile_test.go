package sqlstore_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/linkwork/linkwork/sqlstore"
)

// makeReadOnly makes path (a file or a directory) unwritable for this
// process until the test ends: by its permissions for an ordinary user,
// and for root, whom permissions do not stop, by the immutable attribute
// (chattr +i). It skips the test, saying why, when it cannot.
func makeReadOnly(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		if err := os.Chmod(path, fi.Mode().Perm()&^0o222); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(path, fi.Mode().Perm()) })
		return
	}
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("running as root, whom file permissions do not stop, and there is no chattr to make a file immutable")
	}
	if out, err := exec.Command(chattr, "+i", path).CombinedOutput(); err != nil {
		t.Skipf("running as root, and chattr +i %s failed (the file system may not support it): %v %s", path, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(chattr, "-i", path).CombinedOutput(); err != nil {
			t.Errorf("chattr -i %s: %v %s", path, err, out)
		}
	})
}

func TestSQLiteSaysWhichFileAndWhy(t *testing.T) {
	ctx := context.Background()
	// migrated makes a database in a directory of its own and returns its
	// path.
	migrated := func(t *testing.T) string {
		t.Helper()
		path := filepath.Join(t.TempDir(), "data", "linkwork.db")
		if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		db, err := sqlstore.Open(ctx, "sqlite:"+path, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, tt := range []struct {
		name string
		path func(t *testing.T) string
		says []string
	}{
		{"a directory that does not exist", func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "no-such-dir", "linkwork.db")
		}, []string{"no-such-dir does not exist"}},
		{"a file where the directory should be", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "notes.txt")
			if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(f, "linkwork.db")
		}, []string{"notes.txt is a file, not a directory"}},
		{"a directory where the database should be", func(t *testing.T) string {
			d := filepath.Join(t.TempDir(), "linkwork.db")
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
			return d
		}, []string{"that is a directory, not a file"}},
		{"a read-only database file", func(t *testing.T) string {
			path := migrated(t)
			makeReadOnly(t, path)
			return path
		}, []string{"the file cannot be written by the user"}},
		{"a read-only directory", func(t *testing.T) string {
			path := migrated(t)
			makeReadOnly(t, filepath.Dir(path))
			return path
		}, []string{"does not take new files", "-wal and -shm"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			db, err := sqlstore.Open(ctx, "sqlite:"+path, sqlstore.Options{})
			if err == nil {
				_, err = db.Migrate(ctx)
				db.Close()
			}
			if err == nil {
				t.Fatal("opened and migrated")
			}
			msg := err.Error()
			for _, want := range append([]string{"sqlite: cannot", path}, tt.says...) {
				if !strings.Contains(msg, want) {
					t.Errorf("the error does not say %q:\n%s", want, msg)
				}
			}
			t.Log(msg)
		})
	}
}
