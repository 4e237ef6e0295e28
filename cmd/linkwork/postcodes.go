package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/linkwork/linkwork/sqlstore"
)

const postcodesSummary = `Loads full UK postcodes from an ONS Postcode Directory CSV (the columns
pcds, lat and long; terminated postcodes, with doterm set, and those
without coordinates are skipped) into the database, replacing any loaded
before. Directory searches near a full postcode then use its own centre;
without it, or for a postcode not in the file, they use the centre of
its district.

Usage: linkwork import postcodes --db DB FILE`

// runImportPostcodes is "linkwork import postcodes FILE".
func runImportPostcodes(e env) error {
	fs := newFlags(e, "import postcodes", postcodesSummary)
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	key := registerAuditKey(e, fs)
	// The file may come before or after the flags.
	var files []string
	args := e.args
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return parse(fs, args)
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		return usagef("give one file: linkwork import postcodes --db DB FILE")
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	db, ctx, err := openFor(e, *dbURL, "command line: import postcodes", key)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := sqlstore.ImportPostcodes(ctx, db, f)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	fmt.Fprintf(e.stdout, "Loaded %d postcodes from %s (skipped %d terminated and %d without coordinates).\n", res.Loaded, files[0], res.Terminated, res.NoPlace)
	return nil
}
