package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// auditKeyOption is the audit key of a command that adds to or checks the
// audit trail: from the file --audit-key-file names, or the variable
// LINKWORK_AUDIT_KEY (the key itself). The key keys the chain's hashes
// (HMAC-SHA256), so it must be kept outside the database and its backups.
type auditKeyOption struct {
	file string
	env  string
}

// registerAuditKey adds --audit-key-file to fs.
func registerAuditKey(e env, fs *flag.FlagSet) *auditKeyOption {
	k := &auditKeyOption{env: e.getenv("LINKWORK_AUDIT_KEY")}
	fs.StringVar(&k.file, "audit-key-file", "", "a file holding the audit key, which keys the audit trail's hashes so that rewriting it shows; keep it outside the database and its backups (or env LINKWORK_AUDIT_KEY, the key itself)")
	return k
}

// load reads the key; nil when none is given.
func (k *auditKeyOption) load() ([]byte, error) {
	if k == nil {
		return nil, nil
	}
	var key []byte
	var from string
	switch {
	case k.file != "" && k.env != "":
		return nil, usagef("the audit key is given twice, by --audit-key-file and LINKWORK_AUDIT_KEY: give one")
	case k.file != "":
		b, err := os.ReadFile(k.file)
		if err != nil {
			return nil, usagef("--audit-key-file: %v", err)
		}
		key, from = bytes.TrimSpace(b), "--audit-key-file "+k.file+" holds"
	case k.env != "":
		key, from = []byte(strings.TrimSpace(k.env)), "LINKWORK_AUDIT_KEY is"
	default:
		return nil, nil
	}
	if len(key) < sqlstore.MinAuditKey {
		return nil, usagef("%s %d bytes; the audit key must be at least %d (make one with: openssl rand -hex 32)", from, len(key), sqlstore.MinAuditKey)
	}
	return key, nil
}

// checkAuditKey checks the key against the trail before the command adds
// to it, naming the settings to fix; with a key and an unkeyed trail, it
// starts keying it.
func checkAuditKey(ctx context.Context, db *sqlstore.DB) error {
	err := db.CheckAuditKey(ctx)
	switch {
	case errors.Is(err, sqlstore.ErrAuditKeyMissing):
		return usagef("%v: give it with --audit-key-file or LINKWORK_AUDIT_KEY", err)
	case errors.Is(err, sqlstore.ErrAuditKeyWrong):
		return usagef("%v: check --audit-key-file or LINKWORK_AUDIT_KEY", err)
	}
	return err
}

// readAnchor reads an anchor file's checkpoints; a file that does not
// exist yet has none.
func readAnchor(path string) ([]linkwork.AuditCheckpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--audit-anchor: %w", err)
	}
	defer f.Close()
	cs, err := linkwork.ParseAuditAnchor(f)
	if err != nil {
		return nil, fmt.Errorf("--audit-anchor %s: %s", path, linkwork.ErrorMessage(err))
	}
	return cs, nil
}

// auditAnchor appends signed checkpoints of the audit chain's end to a
// file outside the database, so that events cut from the end of the chain
// (with its head record) show when it is verified against the file.
type auditAnchor struct {
	path  string
	audit *sqlstore.AuditService
	last  linkwork.AuditCheckpoint // the last checkpoint in the file
}

// openAnchor reads the anchor file (if any) and makes sure it can be
// written.
func openAnchor(path string, audit *sqlstore.AuditService) (*auditAnchor, error) {
	cs, err := readAnchor(path)
	if err != nil {
		return nil, err
	}
	a := &auditAnchor{path: path, audit: audit}
	for _, c := range cs {
		if c.Seq > a.last.Seq {
			a.last = c
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("--audit-anchor: %w", err)
	}
	return a, f.Close()
}

// checkpoint appends a checkpoint of the chain's end when the chain has
// grown since the last one, and says how many it wrote. A chain that ends
// before the last checkpoint, or differs at it, is an error (and nothing
// is written): events have been removed or rewritten.
func (a *auditAnchor) checkpoint(ctx context.Context) (int, error) {
	c, err := a.audit.Checkpoint(ctx)
	if err != nil {
		return 0, err
	}
	when := a.last.At.Format(time.RFC3339)
	switch {
	case c.Seq < a.last.Seq:
		return 0, fmt.Errorf("the audit chain ends at event %d, but %s recorded event %d at %s: events have been removed from the end (run linkwork audit verify --audit-anchor)", c.Seq, a.path, a.last.Seq, when)
	case c.Seq == a.last.Seq && c.Hash != a.last.Hash:
		return 0, fmt.Errorf("event %d of the audit chain is not the one %s recorded at %s: the chain has been rewritten (run linkwork audit verify --audit-anchor)", c.Seq, a.path, when)
	case c.Seq == a.last.Seq || c.Seq == 0:
		return 0, nil
	}
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return 0, err
	}
	if _, err := f.WriteString(c.Line()); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	a.last = *c
	return 1, nil
}
