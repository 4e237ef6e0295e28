package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/notify"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
)

// job is work the server does by itself, again and again: run does one
// round as the system and says how many things it did.
type job struct {
	name string
	run  func(ctx context.Context) (int, error)
}

// serverJobs lists the jobs a server runs: ending expired sessions,
// bringing deferred referrals back to triage on their date, forgetting
// idempotency keys a day old, sending messages to people and links to
// groups, harvesting the neighbours' feeds that are due and, when a
// mail server is configured, asking listings' contacts to check listings
// due a check and emailing the notification outbox.
//
// Several servers may share one PostgreSQL database, each running these
// jobs: a job whose round, run twice at once, would do its work twice is
// exclusive (see exclusive), and a round that finds another server
// running the same job is skipped. The two sweeps need no lock: each is a
// single DELETE of rows past their time, which a second server running
// at once finds already gone, and they send, notify and audit nothing.
func serverJobs(db *sqlstore.DB, o serveOptions, log *slog.Logger) ([]job, error) {
	auth := sqlstore.NewAuthService(db)
	jobs := []job{
		{name: "purge sessions", run: func(ctx context.Context) (int, error) {
			n, err := auth.PurgeSessions(ctx)
			return int(n), err
		}},
		// Row locks alone would bring each referral back once, but two
		// servers at once would queue on each other's rows (and could
		// deadlock over them): one at a time does the work once.
		exclusive(db, job{name: "return due deferrals", run: sqlstore.NewTriageService(db).ReturnDueDeferrals}),
		{name: "forget idempotency keys", run: sqlstore.NewIdempotencyService(db).PurgeIdempotencyKeys},
	}
	people, links, measureLinks, err := peopleMessagesJobs(db, o, log)
	if err != nil {
		return nil, err
	}
	jobs = append(jobs, people, links, measureLinks, harvestJob(db))
	if o.smtp.Addr == "" {
		log.Info("email is off: notifications are shown in the app only (set --smtp-addr to email them too)")
		return jobs, nil
	}
	email, err := emailJob(db, o, log)
	if err != nil {
		return nil, err
	}
	log.Info("email is on", "smtp", o.smtp.Addr, "from", o.smtp.From, "starttls", o.smtp.StartTLS)
	// Verification links go by email only, so they are sent only when
	// email is on: links written with email off would wait in the outbox
	// and expire there, and all go at once when it was turned on.
	// Without email the curator's dashboard lists listings due a check.
	// It reads the listings due a check and then writes their links: two
	// servers at once would both find a listing and both send it a link.
	verify := exclusive(db, job{name: "send verification links", run: sqlstore.NewListingService(db).SendVerificationLinks})
	return append(jobs, verify, email), nil
}

// harvestJob harvests the neighbours' feeds that are due, a few each
// round. Two servers at once would fetch each feed twice and race to
// apply it, so one at a time across the servers does the work once.
func harvestJob(db *sqlstore.DB) job {
	h := &orukio.Harvester{Feeds: sqlstore.NewFeedService(db), Orgs: sqlstore.NewOrganisationService(db),
		Assets: sqlstore.NewAssetService(db), Docs: sqlstore.NewORUKDocumentService(db), Atomically: db.Atomically}
	return exclusive(db, job{name: "harvest feeds", run: func(ctx context.Context) (int, error) {
		return h.HarvestDue(ctx, db.Now(), harvestPerRound)
	}})
}

// harvestPerRound is how many due feeds a round of the harvest job takes:
// the rest wait for the next round, so that one round stays short.
const harvestPerRound = 10

// emailJob sends the outbox's pending emails through the configured mail
// server, one server at a time.
func emailJob(db *sqlstore.DB, o serveOptions, log *slog.Logger) (job, error) {
	mailer, err := notify.NewMailer(o.smtp)
	if err != nil {
		return job{}, err
	}
	mailer.BaseURL = o.publicURL
	outbox := sqlstore.NewNotificationService(db)
	d := &notify.Dispatcher{Outbox: outbox, Sender: mailer, Exclusive: outbox.Exclusive, Logger: log}
	return job{name: "email", run: func(ctx context.Context) (int, error) {
		res, err := d.DispatchOnce(ctx)
		if err == nil && res.Skipped {
			return 0, errSkipped
		}
		return res.Sent, err
	}}, nil
}

// peopleMessagesJobs sends the messages to the people supported, the
// links that let groups without an account answer referrals, and the
// links that let people answer a measure on their own phone: texts (and
// emails, with an email template) through GOV.UK Notify when it is
// configured, other emails through the mail server when there is one.
// Without a service for a channel its messages wait in the outbox, shown
// on their case as not sent.
func peopleMessagesJobs(db *sqlstore.DB, o serveOptions, log *slog.Logger) (people, links, measureLinks job, err error) {
	sender := &notify.PeopleSender{}
	if o.notify.APIKey != "" {
		n, err := notify.NewNotify(o.notify)
		if err != nil {
			return job{}, job{}, job{}, err
		}
		sender.Notify = n
		log.Info("texts to people are on", "notify", o.notify.BaseURL, "email_by_notify", n.CanEmail())
	} else {
		log.Info("texts to people are off: they wait in the outbox (set --notify-api-key-file to send them through GOV.UK Notify)")
	}
	if o.smtp.Addr != "" {
		m, err := notify.NewMailer(o.smtp)
		if err != nil {
			return job{}, job{}, job{}, err
		}
		sender.Mailer = m
	}
	outbox := sqlstore.NewMessageService(db)
	d := &notify.MessageDispatcher{Outbox: outbox, Sender: sender, Exclusive: outbox.Exclusive, Logger: log}
	// A link's message holds the whole address, to work from a text.
	answers := sqlstore.NewAnswerLinkService(db)
	answers.PublicURL = o.publicURL
	ld := &notify.MessageDispatcher{Outbox: answers, Sender: sender, Exclusive: answers.Exclusive, Logger: log}
	measures := sqlstore.NewMeasureLinkService(db)
	measures.PublicURL = o.publicURL
	md := &notify.MessageDispatcher{Outbox: measures, Sender: sender, Exclusive: measures.Exclusive, Logger: log}
	return dispatchJob("send messages to people", d), dispatchJob("send links to groups", ld), dispatchJob("send measure links to people", md), nil
}

// dispatchJob is a job that runs a dispatcher's round.
func dispatchJob(name string, d *notify.MessageDispatcher) job {
	return job{name: name, run: func(ctx context.Context) (int, error) {
		res, err := d.DispatchOnce(ctx)
		if err == nil && res.Skipped {
			return 0, errSkipped
		}
		return res.Sent, err
	}}
}

// errSkipped is what a round returns when another server (or another
// round in this process) was running the same job, and so it did nothing.
var errSkipped = errors.New("skipped: another server is running this job")

// exclusive makes a job run one round at a time across the servers on the
// database (sqlstore.DB.RunExclusive): a round that finds another server
// running the job is skipped, and the job tried again at the next.
func exclusive(db *sqlstore.DB, j job) job {
	run := j.run
	j.run = func(ctx context.Context) (int, error) {
		var n int
		ran, err := db.RunExclusive(ctx, j.name, func(ctx context.Context) error {
			var err error
			n, err = run(ctx)
			return err
		})
		if err == nil && !ran {
			return 0, errSkipped
		}
		return n, err
	}
	return j
}

// runJobs runs each job now and then every interval until ctx is done,
// each on its own, so that a job that fails, panics or hangs never stops
// the others. It returns when every job has stopped.
func runJobs(ctx context.Context, log *slog.Logger, interval time.Duration, jobs []job) {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			t := time.NewTicker(interval)
			defer t.Stop()
			for {
				runJob(ctx, log, j)
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	wg.Wait()
}

// runJob runs one round of a job and logs how it went: done or skipped
// (another server was running it) at debug level, failed at error level.
func runJob(ctx context.Context, log *slog.Logger, j job) {
	start := time.Now()
	n, err := func() (n int, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return j.run(linkwork.NewContext(ctx, linkwork.SystemActor(j.name)))
	}()
	took := time.Since(start).Round(time.Millisecond)
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopping: not a failure.
	case errors.Is(err, errSkipped):
		log.Debug("job skipped", "job", j.name, "why", "another server is running it")
	case err != nil:
		log.Error("job failed", "job", j.name, "done", n, "took", took, "err", err)
	default:
		log.Debug("job done", "job", j.name, "done", n, "took", took)
	}
}
