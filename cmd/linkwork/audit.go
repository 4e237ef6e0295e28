package main

import (
	"fmt"

	"github.com/linkwork/linkwork/sqlstore"
)

func runAudit(e env) error {
	if len(e.args) == 0 || e.args[0] != "verify" {
		if len(e.args) > 0 && (e.args[0] == "--help" || e.args[0] == "-h") {
			fmt.Fprintln(e.stdout, "Usage: linkwork audit verify --db DB\n\nChecks the audit trail's hash chain from the first event and reports the first broken link.")
			return nil
		}
		return usagef("the only audit command is verify: linkwork audit verify --db DB")
	}
	e.args = e.args[1:]
	fs := newFlags(e, "audit verify", "Checks the audit trail's hash chain from the first event and reports the first broken link. Exits 1 when the chain is broken.")
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	db, ctx, err := openFor(e, *dbURL, "command line: audit verify")
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := sqlstore.NewAuditService(db).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("the audit chain is broken at event %d: %s (%d events checked)", v.BrokenAt, v.Problem, v.Events)
	}
	fmt.Fprintf(e.stdout, "The audit chain is intact: %d events checked.\n", v.Events)
	return nil
}
