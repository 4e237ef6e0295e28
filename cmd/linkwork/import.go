package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
)

var importSummary = `Imports directory listings into a database, as the system (every listing
created or changed is versioned and audited).

  linkwork import oruk FILE|URL   an Open Referral UK feed: a JSON array of
                                  services, a page of them, one service, or
                                  (for a URL) the root of an ORUK API, whose
                                  /services are read page by page
  linkwork import csv FILE        linkwork's directory CSV (below)
  linkwork import tabular FILE|DIR  an HSDS tabular data package: a zip, or
                                  a directory, of datapackage.json and one
                                  CSV per table (service.csv,
                                  organization.csv, location.csv, …)

A tabular data package is imported as a feed of its services; it is read
and its foreign keys checked first, and a package with a problem imports
nothing, naming the file, row and column.

Importing the same feed again updates, never duplicates: services are
matched on their id (kept as the listing's id when it is a UUID, else turned
into a stable UUID), organisations by id and then by name. A service with
no linkwork category is filed under --category.

The CSV has a header row and one row per service; the columns, in any
order, are:
` + csvHelp

var csvHelp = `  ` + strings.Join(orukio.CSVColumns, ", ") + `
then, for each of a service's places (N = 1, 2, …, as many as it needs):
  location_N_` + strings.Join(orukio.LocationColumns, ", location_N_") + `
and for each of its cost options:
  cost_N_` + strings.Join(orukio.CostColumns, ", cost_N_") + `
Only name, categories and one place are required: a place is physical
(with a postcode; a blank latitude and longitude put it at the centre of its
postcode district) or online (location_N_type online, with a url). A group
left blank is ignored. Lists (categories, schedules, languages,
service_areas) are separated by ";"; a session is "FREQ BYDAY HH:MM-HH:MM",
e.g. "WEEKLY SA 10:00-12:00", with " @N" when it is at location_N;
cost_N_pence 0 means free; youth_friendly and buddy_welcome are yes or no;
a blank id makes one from the name and organisation. Files in the earlier
one-place layout (postcode, online, online_url, cost_pence, …) still import.
A file with a wrong row imports nothing, and says which rows are wrong.
`

func runImport(e env) error {
	if len(e.args) == 0 || e.args[0] == "--help" || e.args[0] == "-h" {
		if len(e.args) == 0 {
			return usagef("say what to import: linkwork import oruk FILE|URL, linkwork import csv FILE, linkwork import tabular FILE|DIR or linkwork import postcodes FILE")
		}
		fmt.Fprintf(e.stdout, "Usage: linkwork import oruk|csv|tabular [flags] FILE\n\n%s", importSummary)
		return nil
	}
	kind := e.args[0]
	if kind != "oruk" && kind != "csv" && kind != "tabular" {
		return usagef("%q is not a kind of import: use oruk, csv, tabular or postcodes", kind)
	}
	e.args = e.args[1:]
	fs := newFlags(e, "import "+kind, importSummary)
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	key := registerAuditKey(e, fs)
	category := fs.String("category", string(linkwork.CategoryWellbeing), "the category of a service that has none of linkwork's")
	var src string
	if len(e.args) > 0 && !strings.HasPrefix(e.args[0], "-") {
		src, e.args = e.args[0], e.args[1:]
	}
	if err := parse(fs, e.args); err != nil {
		return err
	}
	if src == "" && fs.NArg() > 0 {
		src = fs.Arg(0)
	}
	if src == "" {
		return usagef("say which file to import")
	}
	if !linkwork.Category(*category).Valid() {
		return usagef("--category: %q is not a category", *category)
	}
	db, ctx, err := openFor(e, *dbURL, "command line: import "+kind, key)
	if err != nil {
		return err
	}
	defer db.Close()
	st := storeOf(db)
	var res orukio.Result
	if kind == "oruk" || kind == "tabular" {
		var services []oruk.Service
		if kind == "tabular" {
			services, err = readTabular(e, src)
		} else {
			services, err = readFeed(ctx, src)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", src, err)
		}
		res, err = orukio.Import(ctx, st, services, linkwork.Category(*category))
		if err != nil {
			return fmt.Errorf("%s: %w (%s before it)", src, err, res)
		}
	} else {
		f, err := os.Open(src)
		if err != nil {
			return err
		}
		defer f.Close()
		rows, err := orukio.ReadCSV(f)
		if err == nil {
			res, err = orukio.ImportCSV(ctx, st, rows)
		}
		if err != nil {
			return fmt.Errorf("%s: %w\nnothing in the file was imported", src, err)
		}
	}
	fmt.Fprintf(e.stdout, "Imported %s: %s.\n", src, res)
	for _, s := range res.Skipped {
		fmt.Fprintf(e.stderr, "skipped %s\n", s)
	}
	if len(res.Skipped) > 0 {
		return fmt.Errorf("%d of the services in %s could not be imported (listed above)", len(res.Skipped), src)
	}
	return nil
}

func readFeed(ctx context.Context, src string) ([]oruk.Service, error) {
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		return orukio.Fetch(ctx, &http.Client{Timeout: 60 * time.Second}, src)
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return orukio.ReadServices(f)
}

// readTabular reads a tabular data package's services, saying on standard
// error what in it linkwork has no place for.
func readTabular(e env, src string) ([]oruk.Service, error) {
	p, err := orukio.ReadTabularFile(src)
	if err != nil {
		return nil, err
	}
	for _, s := range p.Ignored {
		fmt.Fprintf(e.stderr, "left out %s\n", s)
	}
	return p.Services, nil
}

func storeOf(db *sqlstore.DB) orukio.Store {
	return orukio.Store{Assets: sqlstore.NewAssetService(db), Orgs: sqlstore.NewOrganisationService(db), Atomically: db.Atomically, Docs: sqlstore.NewORUKDocumentService(db)}
}
