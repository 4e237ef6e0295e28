package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/linkwork/linkwork/notify"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqlweb"
	"github.com/linkwork/linkwork/web"
)

const serveSummary = `Serves an existing database, migrating it first. The database is
sqlite:PATH or a postgres:// URL, from --db or LINKWORK_DATABASE.

Notifications (a referral received, decided, back from deferral; support
ended) are always shown in the app. With --smtp-addr they are emailed too;
emails never contain names, dates of birth or reasons, only initials and
the referral's reference. The SMTP password is read from
LINKWORK_SMTP_PASSWORD, never from a flag.

Messages to the people supported (reminders of booked sessions, and the
like) go by their chosen channel: texts through GOV.UK Notify, with
--notify-api-key-file (or the key itself in LINKWORK_NOTIFY_API_KEY) and
--notify-sms-template; emails through Notify when --notify-email-template
is set, otherwise by SMTP; letters wait on the case to be printed. Each
Notify template shows ((subject)) and ((body)). Without Notify, texts wait
in the outbox, shown on the case as not sent.`

// serveOptions are the flags shared by serve and demo.
type serveOptions struct {
	addr         string
	cookieSecure string
	logFormat    string
	logLevel     string
	level        slog.Level // logLevel, checked
	shutdown     time.Duration
	jobsInterval time.Duration

	// Metrics: on a listener of their own when metricsAddr is set, and on
	// the main one to requests bearing metricsToken when that is set.
	metricsAddr  string
	metricsToken string

	// Email: notifications are always in the app, and emailed too when
	// smtp.Addr is set.
	smtp      notify.SMTPConfig
	publicURL string

	// Messages to people: texts (and emails, with an email template)
	// through GOV.UK Notify when its API key is given.
	notify        notify.NotifyConfig
	notifyKeyFile string
	envErr        error // a bad value in an environment variable

	// The audit trail: the key that keys its hashes, and the file its
	// checkpoints are appended to.
	auditKeyOpt *auditKeyOption
	auditKey    []byte
	auditAnchor string

	// SQLite: how each commit is synced, and how much of the file is
	// memory-mapped.
	sqliteSync string
	sqliteMmap string
}

// storeOptions are the options of the store the server opens.
func (o *serveOptions) storeOptions(log *slog.Logger) sqlstore.Options {
	opts := sqlstore.Options{Logger: log, AuditKey: o.auditKey, SQLiteSynchronous: o.sqliteSync}
	switch o.sqliteMmap {
	case "auto":
		opts.SQLiteMmapMiB = sqlstore.SQLiteMmapAuto
	case "off":
	default:
		opts.SQLiteMmapMiB, _ = strconv.Atoi(o.sqliteMmap) // check has refused anything else
	}
	return opts
}

func (o *serveOptions) register(e env, fs *flag.FlagSet) {
	fs.StringVar(&o.addr, "addr", envOr(e, "LINKWORK_ADDR", "127.0.0.1:8080"), "address to listen on, host:port (env LINKWORK_ADDR)")
	fs.StringVar(&o.cookieSecure, "cookie-secure", envOr(e, "LINKWORK_COOKIE_SECURE", "auto"), "mark the session cookie Secure: true, false, or auto (true unless listening on a loopback address) (env LINKWORK_COOKIE_SECURE)")
	fs.StringVar(&o.logFormat, "log", envOr(e, "LINKWORK_LOG", "text"), "log format: text or json (env LINKWORK_LOG)")
	fs.StringVar(&o.logLevel, "log-level", envOr(e, "LINKWORK_LOG_LEVEL", "info"), "the least a log line must matter to be written: debug (adds each round of each background job), info, warn or error (env LINKWORK_LOG_LEVEL)")
	fs.DurationVar(&o.shutdown, "shutdown-timeout", 25*time.Second, "how long to let in-flight requests finish after SIGTERM or SIGINT")
	fs.DurationVar(&o.jobsInterval, "jobs-interval", time.Minute, "how often background jobs run: sending email, ending expired sessions")
	fs.StringVar(&o.smtp.Addr, "smtp-addr", e.getenv("LINKWORK_SMTP_ADDR"), "the mail server to email notifications through, host:port; without it notifications are shown in the app only (env LINKWORK_SMTP_ADDR)")
	fs.StringVar(&o.smtp.From, "smtp-from", e.getenv("LINKWORK_SMTP_FROM"), "the address emails come from, like \"Millbrook Social Prescribing <linkwork@example.org>\" (env LINKWORK_SMTP_FROM)")
	fs.StringVar(&o.smtp.Username, "smtp-username", e.getenv("LINKWORK_SMTP_USERNAME"), "the user to sign in to the mail server as; the password is read from LINKWORK_SMTP_PASSWORD only, never a flag (env LINKWORK_SMTP_USERNAME)")
	o.smtp.Password = e.getenv("LINKWORK_SMTP_PASSWORD")
	startTLS := true
	if v := e.getenv("LINKWORK_SMTP_STARTTLS"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			o.envErr = usagef("LINKWORK_SMTP_STARTTLS must be true or false, not %q", v)
		}
		startTLS = b || err != nil
	}
	fs.BoolVar(&o.smtp.StartTLS, "smtp-starttls", startTLS, "encrypt the connection to the mail server with STARTTLS, and send nothing if it cannot; false only for a relay on this machine (env LINKWORK_SMTP_STARTTLS)")
	fs.StringVar(&o.publicURL, "public-url", e.getenv("LINKWORK_PUBLIC_URL"), "the address people reach linkwork at, like https://linkwork.example.org, for links in emails (env LINKWORK_PUBLIC_URL)")
	fs.StringVar(&o.notifyKeyFile, "notify-api-key-file", "", "a file holding the GOV.UK Notify API key that texts (and emails) to the people supported are sent with (or env LINKWORK_NOTIFY_API_KEY, the key itself); without one, texts wait in the outbox")
	o.notify.APIKey = e.getenv("LINKWORK_NOTIFY_API_KEY")
	fs.StringVar(&o.notify.BaseURL, "notify-url", envOr(e, "LINKWORK_NOTIFY_URL", notify.DefaultNotifyURL), "GOV.UK Notify's API address (env LINKWORK_NOTIFY_URL)")
	fs.StringVar(&o.notify.SMSTemplate, "notify-sms-template", e.getenv("LINKWORK_NOTIFY_SMS_TEMPLATE"), "the id of the GOV.UK Notify text message template, showing ((body)) (env LINKWORK_NOTIFY_SMS_TEMPLATE)")
	fs.StringVar(&o.notify.EmailTemplate, "notify-email-template", e.getenv("LINKWORK_NOTIFY_EMAIL_TEMPLATE"), "the id of the GOV.UK Notify email template, showing ((subject)) and ((body)); without it emails to people go by SMTP (env LINKWORK_NOTIFY_EMAIL_TEMPLATE)")
	o.auditKeyOpt = registerAuditKey(e, fs)
	fs.StringVar(&o.auditAnchor, "audit-anchor", e.getenv("LINKWORK_AUDIT_ANCHOR"), "a file, outside the database, to append signed checkpoints of the audit trail to, every --jobs-interval and at shutdown; needs the audit key (env LINKWORK_AUDIT_ANCHOR)")
	fs.StringVar(&o.metricsAddr, "metrics-addr", e.getenv("LINKWORK_METRICS_ADDR"), "serve Prometheus metrics at /metrics on this separate address, host:port, that only your monitoring can reach; off unless set. The metrics token, LINKWORK_METRICS_TOKEN (an environment variable only), serves them on --addr to requests bearing it instead (env LINKWORK_METRICS_ADDR)")
	o.metricsToken = e.getenv("LINKWORK_METRICS_TOKEN")
	fs.StringVar(&o.sqliteSync, "sqlite-synchronous", envOr(e, "LINKWORK_SQLITE_SYNCHRONOUS", "full"), "SQLite only: full syncs every commit to disk before it is acknowledged; normal syncs at checkpoints instead, which is faster but can lose the last commits (never corrupt the file) if the machine loses power or crashes, though not if only linkwork does (env LINKWORK_SQLITE_SYNCHRONOUS)")
	fs.StringVar(&o.sqliteMmap, "sqlite-mmap", envOr(e, "LINKWORK_SQLITE_MMAP", "off"), "SQLite only: how many MiB of the database file to read through memory mapping, or auto (twice the file's size, from 256 MiB to 2 GiB); off reads through each connection's page cache, which measured faster for linkwork's mix of reads and writes (env LINKWORK_SQLITE_MMAP)")
}

// minMetricsToken is the shortest metrics token accepted.
const minMetricsToken = 24

// check validates the options, naming the flag at fault.
func (o *serveOptions) check() (secure bool, err error) {
	host, port, err := net.SplitHostPort(o.addr)
	if err != nil || port == "" {
		return false, usagef("--addr %q is not host:port; use, for example, 127.0.0.1:8080 or :8080", o.addr)
	}
	switch o.cookieSecure {
	case "true":
		secure = true
	case "false":
	case "auto":
		ip := net.ParseIP(host)
		secure = !(host == "localhost" || (ip != nil && ip.IsLoopback()))
	default:
		return false, usagef("--cookie-secure must be true, false or auto, not %q", o.cookieSecure)
	}
	if o.logFormat != "text" && o.logFormat != "json" {
		return false, usagef("--log must be text or json, not %q", o.logFormat)
	}
	switch o.logLevel {
	case "debug", "info", "warn", "error":
		if err := o.level.UnmarshalText([]byte(o.logLevel)); err != nil {
			return false, usagef("--log-level: %v", err)
		}
	default:
		return false, usagef("--log-level must be debug, info, warn or error, not %q", o.logLevel)
	}
	if o.shutdown <= 0 {
		return false, usagef("--shutdown-timeout must be positive, like 25s")
	}
	if o.jobsInterval < time.Second {
		return false, usagef("--jobs-interval must be at least a second, like 1m")
	}
	switch strings.ToLower(o.sqliteSync) {
	case "full", "normal", "extra":
	default:
		return false, usagef("--sqlite-synchronous must be full, normal or extra, not %q", o.sqliteSync)
	}
	if o.sqliteMmap != "auto" && o.sqliteMmap != "off" {
		if n, err := strconv.Atoi(o.sqliteMmap); err != nil || n <= 0 {
			return false, usagef("--sqlite-mmap must be auto, off or a number of MiB like 512, not %q", o.sqliteMmap)
		}
	}
	if err := o.checkEmail(); err != nil {
		return false, err
	}
	if err := o.checkNotify(); err != nil {
		return false, err
	}
	if o.auditKey, err = o.auditKeyOpt.load(); err != nil {
		return false, err
	}
	if o.auditAnchor != "" && o.auditKey == nil {
		return false, usagef("--audit-anchor needs the audit key (--audit-key-file or LINKWORK_AUDIT_KEY): its checkpoints are signed with it")
	}
	if o.metricsAddr != "" {
		_, port, err := net.SplitHostPort(o.metricsAddr)
		if err != nil || port == "" {
			return false, usagef("--metrics-addr %q is not host:port; use, for example, 127.0.0.1:9090", o.metricsAddr)
		}
		if o.metricsAddr == o.addr && port != "0" {
			return false, usagef("--metrics-addr must differ from --addr (%s): the metrics have a listener of their own", o.addr)
		}
	}
	if o.metricsToken != "" && len(o.metricsToken) < minMetricsToken {
		return false, usagef("LINKWORK_METRICS_TOKEN must be at least %d characters; make one with: openssl rand -hex 32", minMetricsToken)
	}
	return secure, nil
}

// checkEmail validates the email settings, naming the flag or variable
// at fault.
func (o *serveOptions) checkEmail() error {
	if o.envErr != nil {
		return o.envErr
	}
	if o.publicURL != "" {
		u, err := url.Parse(o.publicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return usagef("--public-url %q is not a web address, like https://linkwork.example.org", o.publicURL)
		}
	}
	if o.smtp.Addr == "" {
		if o.smtp.From != "" || o.smtp.Username != "" || o.smtp.Password != "" {
			return usagef("email settings are given without --smtp-addr (or LINKWORK_SMTP_ADDR): say which mail server to use")
		}
		return nil
	}
	var ce *notify.ConfigError
	if err := o.smtp.Validate(); errors.As(err, &ce) {
		setting := map[string]string{"addr": "--smtp-addr", "from": "--smtp-from", "username": "--smtp-username", "password": "LINKWORK_SMTP_PASSWORD"}[ce.Setting]
		return usagef("%s: %s", setting, ce.Message)
	} else if err != nil {
		return usagef("%s", err)
	}
	return nil
}

// checkNotify reads the GOV.UK Notify key and validates the Notify
// settings, naming the flag or variable at fault.
func (o *serveOptions) checkNotify() error {
	switch {
	case o.notifyKeyFile != "" && o.notify.APIKey != "":
		return usagef("the GOV.UK Notify API key is given twice, by --notify-api-key-file and LINKWORK_NOTIFY_API_KEY: give one")
	case o.notifyKeyFile != "":
		b, err := os.ReadFile(o.notifyKeyFile)
		if err != nil {
			return usagef("--notify-api-key-file: %v", err)
		}
		o.notify.APIKey = strings.TrimSpace(string(b))
	}
	if o.notify.APIKey == "" {
		if o.notify.SMSTemplate != "" || o.notify.EmailTemplate != "" {
			return usagef("GOV.UK Notify templates are given without its API key (--notify-api-key-file or LINKWORK_NOTIFY_API_KEY)")
		}
		return nil
	}
	var ce *notify.ConfigError
	if err := o.notify.Validate(); errors.As(err, &ce) {
		setting := "--" + ce.Setting
		if ce.Setting == "notify-api-key" {
			setting = "the GOV.UK Notify API key"
		}
		return usagef("%s: %s", setting, ce.Message)
	} else if err != nil {
		return usagef("%s", err)
	}
	return nil
}

func (o *serveOptions) logger(e env) *slog.Logger {
	opts := &slog.HandlerOptions{Level: o.level}
	if o.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

func envOr(e env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// dbFlag normalises the --db value: a bare path means SQLite.
func dbFlag(v string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", usagef("--db is required: give sqlite:PATH or a postgres:// URL, or set LINKWORK_DATABASE")
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"), strings.HasPrefix(v, "sqlite:"):
		return v, nil
	case strings.Contains(v, "://"):
		return "", usagef("--db %q: only sqlite:PATH and postgres:// URLs are supported", v)
	}
	return "sqlite:" + v, nil
}

func runServe(e env) error {
	fs := newFlags(e, "serve", serveSummary)
	var o serveOptions
	o.register(e, fs)
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database: sqlite:PATH or postgres://… (env LINKWORK_DATABASE)")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	secure, err := o.check()
	if err != nil {
		return err
	}
	dsn, err := dbFlag(*dbURL)
	if err != nil {
		return err
	}
	log := o.logger(e)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, o.storeOptions(log))
	if err != nil {
		return err
	}
	defer db.Close()
	if applied, err := db.Migrate(ctx); err != nil {
		return err
	} else if len(applied) > 0 {
		log.Info("migrated", "applied", applied)
	}
	return serveDB(e, db, o, web.Config{SecureCookies: secure, Logger: log}, func(url string) {
		fmt.Fprintf(e.stdout, "linkwork is serving %s on %s\n", db.Dialect(), url)
	})
}

// serveDB serves the database until SIGINT or SIGTERM, then stops taking
// connections and lets in-flight requests finish.
func serveDB(e env, db *sqlstore.DB, o serveOptions, cfg web.Config, started func(url string)) error {
	if err := checkAuditKey(context.Background(), db); err != nil {
		return err
	}
	// For developers measuring where the time goes (the load benchmark):
	// a CPU profile of the whole time the server runs.
	if path := e.getenv("LINKWORK_CPU_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return fmt.Errorf("LINKWORK_CPU_PROFILE: %w", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return fmt.Errorf("LINKWORK_CPU_PROFILE: %w", err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	if o.auditKey == nil {
		cfg.Logger.Info("the audit trail is not keyed: it shows accidental change only (give an audit key with --audit-key-file or LINKWORK_AUDIT_KEY)")
	}
	var anchor *auditAnchor
	var err error
	if o.auditAnchor != "" {
		if anchor, err = openAnchor(o.auditAnchor, sqlstore.NewAuditService(db)); err != nil {
			return err
		}
	}
	cfg.MetricsToken = o.metricsToken
	// The public form's start time is signed with a key every server on
	// the database shares, so that a form shown by one server and sent
	// to another is still checked.
	if cfg.FormKey, err = db.SharedSecret(context.Background(), "public form"); err != nil {
		return err
	}
	srv, err := web.New(cfg, sqlweb.Services(db))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("--addr %s: cannot listen: %w (is another program using the port? choose another with --addr)", o.addr, err)
	}
	var metrics *http.Server
	var metricsURL string
	if o.metricsAddr != "" {
		mln, err := net.Listen("tcp", o.metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("--metrics-addr %s: cannot listen: %w (is another program using the port? choose another with --metrics-addr)", o.metricsAddr, err)
		}
		metrics = &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn)}
		go func() {
			if err := metrics.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				cfg.Logger.Error("metrics listener", "err", err)
			}
		}()
		defer metrics.Close()
		metricsURL = "http://" + mln.Addr().String() + "/metrics"
	} else if o.metricsToken == "" {
		cfg.Logger.Info("metrics are off: serve them to your monitoring with --metrics-addr or LINKWORK_METRICS_TOKEN")
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn),
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := db.Optimize(ctx); err != nil {
		cfg.Logger.Warn("optimize", "err", err)
	}
	go housekeeping(ctx, db, cfg.Logger)
	jobs, err := serverJobs(db, o, cfg.Logger)
	if err != nil {
		return err
	}
	anchorJob := job{name: "anchor the audit trail"}
	if anchor != nil {
		anchorJob.run = anchor.checkpoint
		jobs = append(jobs, anchorJob)
	}
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		runJobs(ctx, cfg.Logger, o.jobsInterval, jobs)
	}()
	// The database closes when serveDB returns: let the jobs stop first.
	defer func() { stop(); <-jobsDone }()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	started("http://" + ln.Addr().String())
	if metricsURL != "" {
		fmt.Fprintf(e.stdout, "metrics are at %s\n", metricsURL)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	cfg.Logger.Info("shutting down: finishing in-flight requests", "timeout", o.shutdown)
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if anchor != nil {
		// The last checkpoint, once requests and jobs have stopped.
		stop()
		<-jobsDone
		runJob(context.Background(), cfg.Logger, anchorJob)
	}
	cfg.Logger.Info("stopped")
	return nil
}

// housekeeping refreshes the query planner's statistics every quarter of
// an hour. (Expired sessions are ended by a job: see serverJobs.)
func housekeeping(ctx context.Context, db *sqlstore.DB, log *slog.Logger) {
	t := time.NewTicker(15 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := db.Optimize(ctx); err != nil && ctx.Err() == nil {
				log.Error("optimize", "err", err)
			}
		}
	}
}

const migrateSummary = `Brings a database's schema up to date. Safe to run again: it applies only
what is missing.`

func runMigrate(e env) error {
	fs := newFlags(e, "migrate", migrateSummary)
	dbURL := fs.String("db", e.getenv("LINKWORK_DATABASE"), "the database: sqlite:PATH or postgres://… (env LINKWORK_DATABASE)")
	if err := parse(fs, e.args); err != nil {
		return err
	}
	dsn, err := dbFlag(*dbURL)
	if err != nil {
		return err
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	v, _ := db.SchemaVersion(ctx)
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "The schema is up to date (version %d).\n", v)
	} else {
		fmt.Fprintf(e.stdout, "Applied %s; the schema is at version %d.\n", strings.Join(applied, ", "), v)
	}
	return nil
}
