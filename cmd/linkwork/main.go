// Command linkwork runs a social prescribing service: the web interface,
// the JSON API and the tools to run them.
//
//	linkwork demo      serve a demo city on a fresh SQLite file
//	linkwork serve     serve an existing database, migrating it first
//	linkwork migrate   bring a database's schema up to date
//	linkwork user      add, disable or issue an API token to a user
//	linkwork audit     verify the audit trail's hash chain
//	linkwork import    load directory listings (Open Referral UK, CSV) or full UK postcodes
//	linkwork export    export the directory (Open Referral UK JSON, CSV)
//	linkwork postcodes lsoa  load the ONS postcode lookup, placing people in their area
//
// Run "linkwork COMMAND --help" for each command's flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

var invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -([\w-]+): (.*)$`)

// usageError is a mistake in how the command was called: it is printed
// with a pointer to --help, and the exit status is 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// env is the process environment, replaceable in tests.
type env struct {
	args   []string
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

const mainUsage = `linkwork runs a social prescribing service.

Usage:
  linkwork demo      [flags]   serve a demo city on a fresh SQLite file
  linkwork serve     [flags]   serve a database (SQLite or PostgreSQL), migrating it first
  linkwork migrate   [flags]   bring a database's schema up to date
  linkwork user add|disable|token [flags]
                               manage accounts and API tokens
  linkwork audit verify [flags]
                               check the audit trail's hash chain
  linkwork import oruk|csv FILE [flags]
                               import directory listings (Open Referral UK or CSV)
  linkwork import postcodes [flags] FILE
                               load full UK postcodes (ONS Postcode Directory CSV)
  linkwork export oruk|csv [flags]
                               export the directory (Open Referral UK JSON or CSV)
  linkwork postcodes lsoa --file FILE [flags]
                               place people in their area (ONS postcode lookup, NSPL)

Run "linkwork COMMAND --help" for a command's flags.
`

func main() {
	e := env{args: os.Args[1:], stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(e))
}

func run(e env) int {
	if len(e.args) == 0 {
		fmt.Fprint(e.stderr, mainUsage)
		return 2
	}
	cmd, rest := e.args[0], e.args[1:]
	e.args = rest
	var err error
	switch cmd {
	case "demo":
		err = runDemo(e)
	case "serve":
		err = runServe(e)
	case "migrate":
		err = runMigrate(e)
	case "user":
		err = runUser(e)
	case "audit":
		err = runAudit(e)
	case "import":
		if len(e.args) > 0 && e.args[0] == "postcodes" {
			e.args = e.args[1:]
			cmd = "import postcodes"
			err = runImportPostcodes(e)
			break
		}
		err = runImport(e)
	case "export":
		err = runExport(e)
	case "postcodes":
		err = runPostcodes(e)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, mainUsage)
		return 0
	default:
		err = usagef("%q is not a linkwork command. Run \"linkwork --help\" to see the commands.", cmd)
		cmd = ""
	}
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		if cmd != "" {
			fmt.Fprintf(e.stderr, "linkwork %s: %s\nRun \"linkwork %s --help\" for the flags.\n", cmd, ue.msg, cmd)
		} else {
			fmt.Fprintf(e.stderr, "linkwork: %s\n", ue.msg)
		}
		return 2
	}
	fmt.Fprintf(e.stderr, "linkwork %s: %v\n", cmd, err)
	return 1
}

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(e env, name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: linkwork %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses flags, turning flag-package errors into usage errors that
// name the flag. --help prints the usage (once) and returns flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		// The flag package has printed the usage already.
		return err
	}
	if err != nil {
		msg := err.Error()
		switch {
		case strings.HasPrefix(msg, "flag provided but not defined: "):
			return usagef("there is no flag --%s", strings.TrimLeft(strings.TrimPrefix(msg, "flag provided but not defined: "), "-"))
		case strings.HasPrefix(msg, "invalid value "):
			if m := invalidValue.FindStringSubmatch(msg); m != nil {
				why := m[3]
				if why == "parse error" {
					why = "it must be a number"
				}
				return usagef("--%s: %q is not a valid value: %s", m[2], m[1], why)
			}
			return usagef("%s", strings.TrimPrefix(msg, "invalid value "))
		}
		return usagef("%s", msg)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	return nil
}
