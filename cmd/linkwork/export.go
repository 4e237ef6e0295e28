package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/linkwork/linkwork/orukio"
)

const exportSummary = `Exports every directory listing, whatever its status.

  linkwork export oruk [--out FILE]   a JSON array of full Open Referral UK services
  linkwork export csv [--out FILE]    linkwork's directory CSV (see "linkwork import --help")
  linkwork export tabular --out FILE  an HSDS tabular data package: a zip of
                                      datapackage.json and one CSV per table

Without --out it writes to standard output.`

func runExport(e env) error {
	if len(e.args) == 0 || e.args[0] == "--help" || e.args[0] == "-h" {
		if len(e.args) == 0 {
			return usagef("say what to export: linkwork export oruk, linkwork export csv or linkwork export tabular")
		}
		fmt.Fprintf(e.stdout, "Usage: linkwork export oruk|csv|tabular [flags]\n\n%s\n", exportSummary)
		return nil
	}
	kind := e.args[0]
	if kind != "oruk" && kind != "csv" && kind != "tabular" {
		return usagef("%q is not a kind of export: use oruk, csv or tabular", kind)
	}
	e.args = e.args[1:]
	fs := newFlags(e, "export "+kind, exportSummary)
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	out := fs.String("out", "", "the file to write (default: standard output)")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	if kind == "tabular" && *out == "" {
		return usagef("a tabular data package is a zip: say where to write it with --out FILE")
	}
	db, ctx, err := openFor(e, *dbURL, "command line: export "+kind, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	var w io.Writer = e.stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	st := storeOf(db)
	switch kind {
	case "csv":
		err = orukio.WriteCSV(ctx, st, w)
	case "tabular":
		services, err2 := orukio.Export(ctx, st)
		if err2 != nil {
			return err2
		}
		err = orukio.WriteTabular(w, orukio.Package{Services: services}, time.Now())
	default:
		services, err2 := orukio.Export(ctx, st)
		if err2 != nil {
			return err2
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(services)
	}
	if err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && *out != "" {
		return f.Close()
	}
	return nil
}
