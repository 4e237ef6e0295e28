package main

import (
	"fmt"
	"os"

	"github.com/linkwork/linkwork/imd"
	"github.com/linkwork/linkwork/sqlstore"
)

const postcodesLSOASummary = `Loads the ONS postcode lookup (the National Statistics Postcode Lookup,
NSPL, or the ONS Postcode Directory: the columns pcds, or pcd, and lsoa11)
into the database, replacing any loaded before, with each area's decile of
the English Index of Multiple Deprivation 2019. Every person whose postcode
is in the lookup is then placed in their 2011 LSOA, and so in a deprivation
decile on the equity table; people recorded later are placed as they are
recorded. The file is read a row at a time: the full lookup (2.7 million
rows) needs no more memory than a small one.

` + imd.Attribution + `

Usage: linkwork postcodes lsoa --db DB --file FILE`

// runPostcodes is "linkwork postcodes SUBCOMMAND".
func runPostcodes(e env) error {
	if len(e.args) == 0 || e.args[0] != "lsoa" {
		return usagef("say what to load: linkwork postcodes lsoa --file NSPL.csv")
	}
	e.args = e.args[1:]
	fs := newFlags(e, "postcodes lsoa", postcodesLSOASummary)
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	file := fs.String("file", "", "the ONS postcode lookup CSV (NSPL or ONSPD)")
	key := registerAuditKey(e, fs)
	if err := parse(fs, e.args); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		return usagef("give the lookup's file: linkwork postcodes lsoa --db DB --file NSPL.csv")
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	db, ctx, err := openFor(e, *dbURL, "command line: postcodes lsoa", key)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := sqlstore.ImportPostcodeLSOAs(ctx, db, f)
	if err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	fmt.Fprintf(e.stdout, "Loaded %d postcodes from %s, %d of them in an English area the deprivation index ranks (skipped %d without an English or Welsh LSOA and %d that are not full postcodes). Placed %d people in their area.\n",
		res.Loaded, *file, res.Ranked, res.NoArea, res.Bad, res.People)
	return nil
}
