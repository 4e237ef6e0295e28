package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

const userUsage = `Usage:
  linkwork user add     --db DB --email EMAIL --name NAME --role ROLE --org ORG
                        (password from LINKWORK_PASSWORD)
  linkwork user disable --db DB --email EMAIL
  linkwork user token   --db DB --email EMAIL --name NAME [--days N]

Roles: ` + "referrer, link_worker, coordinator, safeguarding_lead, community_org, commissioner, admin" + `
These run as the system; every change is recorded in the audit trail.
`

func runUser(e env) error {
	if len(e.args) == 0 || strings.HasPrefix(e.args[0], "-") {
		if len(e.args) > 0 && (e.args[0] == "--help" || e.args[0] == "-h" || e.args[0] == "-help") {
			fmt.Fprint(e.stdout, userUsage)
			return nil
		}
		return usagef("say what to do: add, disable or token")
	}
	sub := e.args[0]
	e.args = e.args[1:]
	switch sub {
	case "add":
		return userAdd(e)
	case "disable":
		return userDisable(e)
	case "token":
		return userToken(e)
	}
	return usagef("%q is not a user command: use add, disable or token", sub)
}

// openFor opens and migrates the database for a command-line change, with
// the system as the actor. A command that adds to the audit trail gives
// its audit key option, checked against the trail (nil for one that only
// reads what is not personal).
func openFor(e env, dbURL, purpose string, key *auditKeyOption) (*sqlstore.DB, context.Context, error) {
	dsn, err := dbFlag(dbURL)
	if err != nil {
		return nil, nil, err
	}
	auditKey, err := key.load()
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{AuditKey: auditKey})
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	if key != nil {
		if err := checkAuditKey(ctx, db); err != nil {
			db.Close()
			return nil, nil, err
		}
	}
	return db, linkwork.NewContext(ctx, linkwork.SystemActor(purpose)), nil
}

// fieldErr turns a service's EINVALID error into one naming flags.
func fieldErr(err error, flags map[string]string) error {
	if linkwork.ErrorCode(err) != linkwork.EINVALID && linkwork.ErrorCode(err) != linkwork.ECONFLICT {
		return err
	}
	var parts []string
	for _, f := range linkwork.ErrorFields(err) {
		name := flags[f.Field]
		if name == "" {
			name = f.Field
		}
		parts = append(parts, name+": "+f.Message)
	}
	if len(parts) == 0 {
		return usagef("%s", linkwork.ErrorMessage(err))
	}
	return usagef("%s", strings.Join(parts, "; "))
}

func userAdd(e env) error {
	fs := newFlags(e, "user add", "Adds a user account. The password comes from the LINKWORK_PASSWORD environment variable, so that it is not left in shell history.")
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	key := registerAuditKey(e, fs)
	email := fs.String("email", "", "the user's email address, used to sign in")
	name := fs.String("name", "", "the user's full name")
	role := fs.String("role", "", "the user's role")
	org := fs.String("org", "", "the organisation, by id or exact name")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	password := e.getenv("LINKWORK_PASSWORD")
	if password == "" {
		return usagef("set LINKWORK_PASSWORD to the new user's password (at least %d characters)", linkwork.MinPasswordLength)
	}
	if *org == "" {
		return usagef("--org is required: the organisation's id or exact name")
	}
	db, ctx, err := openFor(e, *dbURL, "command line: user add", key)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs := sqlstore.NewOrganisationService(db)
	o, err := orgs.FindOrganisationByID(ctx, *org)
	if err != nil {
		list, _, ferr := orgs.FindOrganisations(ctx, linkwork.OrganisationFilter{Query: *org, Limit: 500})
		if ferr != nil {
			return ferr
		}
		for _, c := range list {
			if strings.EqualFold(c.Name, *org) {
				o = c
			}
		}
		if o == nil {
			return usagef("--org %q: no organisation has that id or name", *org)
		}
	}
	u := &linkwork.User{Email: *email, Name: *name, Role: linkwork.Role(*role), OrgID: o.ID}
	if err := sqlstore.NewUserService(db).CreateUser(ctx, u, password); err != nil {
		return fieldErr(err, map[string]string{"email": "--email", "name": "--name", "role": "--role", "org_id": "--org", "password": "LINKWORK_PASSWORD"})
	}
	fmt.Fprintf(e.stdout, "Added %s (%s) at %s, id %s.\n", u.Name, u.Role.Label(), o.Name, u.ID)
	return nil
}

func findByEmail(ctx context.Context, db *sqlstore.DB, email string) (*linkwork.User, error) {
	if strings.TrimSpace(email) == "" {
		return nil, usagef("--email is required")
	}
	u, err := sqlstore.NewUserService(db).FindUserByEmail(ctx, email)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		return nil, usagef("--email %q: no user has that email address", email)
	}
	return u, err
}

func userDisable(e env) error {
	fs := newFlags(e, "user disable", "Disables a user: they cannot sign in, and their sessions and API tokens end at once.")
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	key := registerAuditKey(e, fs)
	email := fs.String("email", "", "the user's email address")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	db, ctx, err := openFor(e, *dbURL, "command line: user disable", key)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := findByEmail(ctx, db, *email)
	if err != nil {
		return err
	}
	if err := sqlstore.NewUserService(db).DisableUser(ctx, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Disabled %s; their sessions and API tokens have ended.\n", u.Email)
	return nil
}

func userToken(e env) error {
	fs := newFlags(e, "user token", "Issues an API bearer token to a user and prints it once. Send it as \"Authorization: Bearer TOKEN\".")
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database (env LINKWORK_DATABASE)")
	key := registerAuditKey(e, fs)
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "what will use the token, e.g. \"practice system\"")
	days := fs.Int("days", 90, "days until the token expires (1 to 366)")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	if *days < 1 || *days > 366 {
		return usagef("--days must be from 1 to 366, not %d", *days)
	}
	db, ctx, err := openFor(e, *dbURL, "command line: user token", key)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := findByEmail(ctx, db, *email)
	if err != nil {
		return err
	}
	t, err := sqlstore.NewAuthService(db).CreateAPIToken(ctx, u.ID, *name, time.Now().Add(time.Duration(*days)*24*time.Hour))
	if err != nil {
		return fieldErr(err, map[string]string{"name": "--name", "expires": "--days"})
	}
	fmt.Fprintln(e.stdout, t.Token)
	return nil
}
