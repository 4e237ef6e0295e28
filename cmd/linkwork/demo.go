package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/web"
)

const demoSummary = `Creates a demo database, fills it with the fictional city of Millbrook
(its GP practices, schools, CAMHS, social care, youth hub, social prescribing
service, community organisations, 300+ activities, and people at every stage
of the journey) and serves it. It prints the address and one sign-in per role.

The database is a SQLite file, made fresh each run: an existing demo file is
replaced; any other existing file is left alone and the command stops. A
postgres:// URL works too, for an empty database or an earlier demo one.`

// demoMetaKey marks a database as holding a demo city.
const demoMetaKey = demo.MetaKey

func runDemo(e env) error {
	fs := newFlags(e, "demo", demoSummary)
	var o serveOptions
	o.register(e, fs)
	dbPath := fs.String("db", "linkwork-demo.db", "the demo database: a SQLite file path (or sqlite:PATH, or a postgres:// URL)")
	password := fs.String("demo-password", demo.DefaultPassword, "the password of every demo account")
	preset := fs.String("preset", "demo", "the size of city: "+strings.Join(demo.PresetNames(), ", "))
	seed := fs.Int64("seed", demo.DefaultSeed, "the seed: the same seed gives the same city")
	people := fs.Int("people", 0, "how many people are referred (overrides the preset)")
	assets := fs.Int("assets", 0, "how many activities the directory lists (overrides the preset)")
	noServe := fs.Bool("no-serve", false, "create the database and stop, without serving it (for benchmarks)")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	secure, err := o.check()
	if err != nil {
		return err
	}
	if err := linkwork.ValidatePassword(*password); err != nil {
		return usagef("--demo-password: %s", linkwork.ErrorMessage(err))
	}
	cfg, err := demo.Preset(*preset)
	if err != nil {
		return usagef("--preset: %s", linkwork.ErrorMessage(err))
	}
	if *people < 0 || *assets < 0 {
		return usagef("--people and --assets must be positive numbers")
	}
	if *people > 0 {
		cfg.People = *people
	}
	if *assets > 0 {
		cfg.Assets = *assets
	}
	cfg.Seed, cfg.Password = *seed, *password
	cfg.Now = time.Now().UTC().Truncate(time.Second)
	dsn, err := dbFlag(*dbPath)
	if err != nil {
		return err
	}
	log := o.logger(e)
	ctx := context.Background()
	if err := freshDemoDatabase(ctx, dsn); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, dsn, o.storeOptions(log))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Building the demo city of %s (%d people, %d activities)…\n", demo.CityName, cfg.People, cfg.Assets)
	start := time.Now()
	loader := sqlstore.NewLoader(ctx, db)
	sum, err := demo.Generate(cfg, loader)
	if err != nil {
		return err
	}
	if err := loader.Close("demo city"); err != nil {
		return err
	}
	if err := db.SetMeta(ctx, demoMetaKey, cfg.Mark()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Built in %s: %d referrals, %d people, %d activities, %d records in all.\n",
		time.Since(start).Round(100*time.Millisecond), sum.Referrals, sum.People, sum.Assets, sum.Records())
	if *noServe {
		return nil
	}
	var logins []web.DemoLogin
	for _, l := range demo.Logins {
		logins = append(logins, web.DemoLogin{Role: l.Role, Email: l.Email})
	}
	return serveDB(e, db, o, web.Config{SecureCookies: secure, Logger: log, Demo: logins, DemoPassword: cfg.Password}, func(url string) {
		fmt.Fprintf(e.stdout, "\nlinkwork demo is serving %s at %s\n\nSign in with any of these (password %s):\n", dsnName(dsn), url, cfg.Password)
		for _, l := range demo.Logins {
			fmt.Fprintf(e.stdout, "  %-24s %s\n", l.Role.Label(), l.Email)
		}
		fmt.Fprintf(e.stdout, "\nPress Ctrl+C to stop.\n")
	})
}

func dsnName(dsn string) string {
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		return p
	}
	return "PostgreSQL"
}

// freshDemoDatabase clears the way for a new demo city: it removes an
// earlier demo SQLite file, or empties an earlier demo PostgreSQL database,
// and refuses to touch anything that is not a demo.
func freshDemoDatabase(ctx context.Context, dsn string) error {
	path, isSQLite := strings.CutPrefix(dsn, "sqlite:")
	if isSQLite {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil
		}
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return err
	}
	has, err := db.HasTables(ctx)
	if err != nil {
		db.Close()
		return usagef("--db %s is not a database linkwork can read (%v); choose another file with --db", dsnName(dsn), err)
	}
	if has {
		if empty, err := db.HoldsNoData(ctx); err == nil && empty && !isSQLite {
			// A migrated PostgreSQL database nobody has used yet: fill
			// it as it is. (A SQLite demo is always a new file of its
			// own.)
			db.Close()
			return nil
		}
		mark, err := db.Meta(ctx, demoMetaKey)
		if err != nil || mark == "" {
			db.Close()
			return usagef("--db %s holds data that is not a linkwork demo; choose another file with --db (the demo never overwrites other data)", dsnName(dsn))
		}
	}
	if !isSQLite {
		defer db.Close()
		if !has {
			return nil
		}
		return db.ResetPostgresSchema(ctx)
	}
	db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing the old demo database: %w", err)
		}
	}
	return nil
}
