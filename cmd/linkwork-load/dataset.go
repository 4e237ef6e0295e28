package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
)

// dataset is the demo city the benchmark serves.
type dataset struct {
	dsn    string // sqlite:PATH or a postgres:// URL
	sqlite string // the SQLite file's path; "" on PostgreSQL
	mark   string // the city, as linkwork demo marks its database (demo.Config.Mark)
	people int
	assets int
}

// engine names the database engine.
func (d *dataset) engine() string {
	if d.sqlite != "" {
		return "SQLite"
	}
	return "PostgreSQL"
}

// city is the city the configuration asks for.
func city(cfg *config) (demo.Config, error) {
	c, err := demo.Preset(cfg.preset)
	if err != nil {
		return c, err
	}
	if cfg.people > 0 {
		c.People = cfg.people
	}
	if cfg.assets > 0 {
		c.Assets = cfg.assets
	}
	return c, nil
}

// prepareDataset opens or builds the city. A SQLite file that already
// holds the city asked for is used as it is; any other is built afresh by
// "linkwork demo --no-serve" (which replaces only an earlier demo, and
// refuses a file holding other data). A PostgreSQL database is built
// afresh unless reuse is set, when it must hold the city asked for.
func prepareDataset(ctx context.Context, cfg *config, bin string, log io.Writer) (*dataset, error) {
	c, err := city(cfg)
	if err != nil {
		return nil, err
	}
	d := &dataset{dsn: cfg.db, mark: c.Mark(), people: c.People, assets: c.Assets}
	if p, ok := strings.CutPrefix(cfg.db, "sqlite:"); ok {
		d.sqlite = p
	}
	have, err := d.heldMark(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case have == d.mark && (d.sqlite != "" || cfg.reuse):
		fmt.Fprintf(log, "Using the demo city already in %s (%s).\n", d.name(), d.mark)
		return d, nil
	case cfg.reuse:
		return nil, fmt.Errorf("--reuse: %s holds %q, not the city asked for (%s); leave out --reuse to build it", d.name(), have, d.mark)
	}
	fmt.Fprintf(log, "Building the demo city (%s) in %s…\n", d.mark, d.name())
	args := []string{"demo", "--no-serve", "--db", d.dsn, "--preset", cfg.preset}
	if cfg.people > 0 {
		args = append(args, "--people", strconv.Itoa(cfg.people))
	}
	if cfg.assets > 0 {
		args = append(args, "--assets", strconv.Itoa(cfg.assets))
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("linkwork demo: %w", err)
	}
	return d, nil
}

// name is the database as the messages name it.
func (d *dataset) name() string {
	if d.sqlite != "" {
		return d.sqlite
	}
	return "the PostgreSQL database"
}

// heldMark returns the demo mark of the database, "" when it has none or
// (SQLite) does not exist yet.
func (d *dataset) heldMark(ctx context.Context) (string, error) {
	if d.sqlite != "" {
		if _, err := os.Stat(d.sqlite); errors.Is(err, os.ErrNotExist) {
			return "", nil
		}
	}
	db, err := sqlstore.Open(ctx, d.dsn, sqlstore.Options{})
	if err != nil {
		return "", fmt.Errorf("--db: %w", err)
	}
	defer db.Close()
	if has, err := db.HasTables(ctx); err != nil || !has {
		return "", err
	}
	mark, err := db.Meta(ctx, demo.MetaKey)
	if err != nil {
		return "", nil // no meta table: not a demo, and linkwork demo will say so
	}
	return mark, nil
}

// workingCopy returns the database a run serves. On SQLite it is a copy
// of the city's file, beside it, so that every run (and every invocation)
// starts from the same city however much the last one wrote; done
// removes it. On PostgreSQL it is the database itself, and the runs of
// one invocation see each other's writes.
func (d *dataset) workingCopy() (dsn string, done func(), err error) {
	if d.sqlite == "" {
		return d.dsn, func() {}, nil
	}
	dst := strings.TrimSuffix(d.sqlite, ".db") + ".run.db"
	remove := func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(dst + suffix)
		}
	}
	remove()
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(d.sqlite+suffix, dst+suffix); err != nil && !(suffix != "" && errors.Is(err, os.ErrNotExist)) {
			remove()
			return "", nil, fmt.Errorf("copying the city for the run: %w", err)
		}
	}
	return "sqlite:" + dst, remove, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
