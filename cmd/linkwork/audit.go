package main

import (
	"context"
	"fmt"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

const auditVerifySummary = `Checks the audit trail's hash chain from the first event and reports the
first broken link. Exits 1 when the chain is broken.

A keyed chain (linkwork run with --audit-key-file or LINKWORK_AUDIT_KEY)
needs the same key to verify, and shows an event rewritten by someone
without it. With --audit-anchor, each checkpoint the server wrote to that
file must still be in the chain: that shows events cut from its end too.
An unkeyed chain shows accidental change only.`

func runAudit(e env) error {
	if len(e.args) == 0 || e.args[0] != "verify" {
		if len(e.args) > 0 && (e.args[0] == "--help" || e.args[0] == "-h") {
			fmt.Fprintf(e.stdout, "Usage: linkwork audit verify --db DB [--audit-key-file FILE] [--audit-anchor FILE]\n\n%s\n", auditVerifySummary)
			return nil
		}
		return usagef("the only audit command is verify: linkwork audit verify --db DB")
	}
	e.args = e.args[1:]
	fs := newFlags(e, "audit verify", auditVerifySummary)
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	key := registerAuditKey(e, fs)
	anchorPath := fs.String("audit-anchor", e.getenv("LINKWORK_AUDIT_ANCHOR"), "the file of checkpoints the server appended (linkwork serve --audit-anchor) to check the chain against (env LINKWORK_AUDIT_ANCHOR)")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	var anchors []linkwork.AuditCheckpoint
	if *anchorPath != "" {
		var err error
		if anchors, err = readAnchor(*anchorPath); err != nil {
			return err
		}
		if len(anchors) == 0 {
			return usagef("--audit-anchor %s holds no checkpoints", *anchorPath)
		}
	}
	dsn, err := dbFlag(*dbURL)
	if err != nil {
		return err
	}
	auditKey, err := key.load()
	if err != nil {
		return err
	}
	if len(anchors) > 0 && auditKey == nil {
		return usagef("the anchor's checkpoints are signed with the audit key: give it with --audit-key-file or LINKWORK_AUDIT_KEY")
	}
	// Verifying with a key keys nothing: only a server or command that
	// adds to the trail starts keying it.
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{AuditKey: auditKey})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	v, err := sqlstore.NewAuditService(db).VerifyAudit(linkwork.NewContext(ctx, linkwork.SystemActor("command line: audit verify")), anchors...)
	if err != nil {
		if linkwork.ErrorCode(err) == linkwork.EINVALID {
			return usagef("%s: give it with --audit-key-file or LINKWORK_AUDIT_KEY", linkwork.ErrorMessage(err))
		}
		return err
	}
	if !v.OK {
		return fmt.Errorf("the audit chain is broken at event %d: %s (%d events checked)", v.BrokenAt, v.Problem, v.Events)
	}
	fmt.Fprintf(e.stdout, "The audit chain is intact: %d events checked.\n", v.Events)
	switch {
	case v.KeyedFrom == 0:
		fmt.Fprintln(e.stdout, "It is not keyed, so this shows accidental change only: whoever can write to the database could rewrite it and hash it again. Run linkwork with an audit key (--audit-key-file or LINKWORK_AUDIT_KEY) to key it.")
	case v.KeyedFrom == 1:
		fmt.Fprintln(e.stdout, "It is keyed from its first event.")
	default:
		fmt.Fprintf(e.stdout, "It is keyed from event %d; the %d events before it show accidental change only.\n", v.KeyedFrom, v.KeyedFrom-1)
	}
	if v.Anchored > 0 {
		fmt.Fprintf(e.stdout, "Each of the anchor's %d checkpoints is in it.\n", v.Anchored)
	} else if v.KeyedFrom > 0 {
		fmt.Fprintln(e.stdout, "Without --audit-anchor, events cut from the end of the chain would not show.")
	}
	return nil
}
