package sqlstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"syscall"
)

// sqliteFileError explains why SQLite could not open or write the
// database file at path. SQLite itself says only "unable to open database
// file (14)" or "attempt to write a readonly database (8)"; the operating
// system, asked the same things, says which file and why. doing is what
// failed: "open" or "write to".
func sqliteFileError(path, doing string, err error) error {
	if why := sqliteFileProblem(path); why != "" {
		return fmt.Errorf("sqlite: cannot %s the database %s: %s (%w)", doing, path, why, err)
	}
	return fmt.Errorf("sqlite: cannot %s the database %s: %w", doing, path, err)
}

// sqliteFileProblem checks what SQLite needs of the file system, in the
// order it needs it: the directory must exist; the file, when there is
// one, must be a file this user may read and write; and the directory must
// take new files, for SQLite keeps its -wal and -shm files beside the
// database. It returns what is wrong, or "" when it finds nothing.
func sqliteFileProblem(path string) string {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("its directory %s does not exist", dir)
	case errors.Is(err, syscall.ENOTDIR):
		return fmt.Sprintf("its directory %s cannot be reached: part of that path is a file, not a directory", dir)
	case err != nil:
		return fmt.Sprintf("its directory %s cannot be read: %s", dir, osReason(err))
	case !fi.IsDir():
		return fmt.Sprintf("%s is a file, not a directory", dir)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		what := "the file"
		if p != path {
			what = filepath.Base(p) + ", which SQLite keeps beside it,"
		}
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Sprintf("%s cannot be read: %s", what, osReason(err))
		}
		if fi.IsDir() && p == path {
			return "that is a directory, not a file"
		}
		if fi.IsDir() {
			return fmt.Sprintf("%s is a directory, not a file", what)
		}
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if err != nil {
			return fmt.Sprintf("%s cannot be written by %s: %s", what, whoAmI(), osReason(err))
		}
		f.Close()
	}
	f, err := os.CreateTemp(dir, ".linkwork-write-check-*")
	if err != nil {
		return fmt.Sprintf("the directory %s does not take new files from %s, and SQLite keeps its -wal and -shm files beside the database: %s", dir, whoAmI(), osReason(err))
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return ""
}

// osReason is the operating system's reason in an error, without the
// path it repeats: "permission denied", "read-only file system".
func osReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// whoAmI names the user this process runs as, for messages about
// permissions.
func whoAmI() string {
	if u, err := user.Current(); err == nil {
		return "the user " + u.Username
	}
	return fmt.Sprintf("user id %d", os.Getuid())
}
