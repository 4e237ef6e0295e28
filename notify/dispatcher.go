package notify

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// Outbox is where the emails to send come from and each try is recorded:
// the email half of linkwork.NotificationService.
type Outbox interface {
	PendingEmails(ctx context.Context, limit int) ([]*linkwork.Notification, error)
	RecordEmailAttempt(ctx context.Context, id string, sendErr error) error
}

// Sender sends one notification by email; *Mailer is one.
type Sender interface {
	Send(ctx context.Context, n *linkwork.Notification) error
}

// DefaultBackoff is how long to wait before trying an email again after
// its attempts-th failed try: a minute, then five, half an hour and two
// hours, so that the tries span a few hours of a mail server's outage.
func DefaultBackoff(attempts int) time.Duration {
	switch {
	case attempts <= 1:
		return time.Minute
	case attempts == 2:
		return 5 * time.Minute
	case attempts == 3:
		return 30 * time.Minute
	}
	return 2 * time.Hour
}

// Dispatcher sends the outbox's pending emails: each round it asks for
// them (as the system), sends each and records the try, so that a sent
// email is never pending again and a failing one is tried up to
// linkwork.MaxEmailAttempts times.
type Dispatcher struct {
	Outbox Outbox
	Sender Sender
	// Exclusive, when set, runs each round so that only one dispatcher
	// sends at a time, across servers: (*sqlstore.NotificationService).Exclusive.
	// It returns false when another holds it, and the round is skipped.
	Exclusive func(ctx context.Context, fn func(context.Context) error) (bool, error)
	// Interval is how often Run starts a round. Default one minute.
	Interval time.Duration
	// Batch is how many emails are asked for at a time. Default 100.
	Batch int
	// Backoff is how long to wait after an email's attempts-th failure
	// before trying it again. Default DefaultBackoff. (The wait is kept in
	// memory: a restarted server tries at once.)
	Backoff func(attempts int) time.Duration
	// Logger receives each failure. Default slog.Default().
	Logger *slog.Logger
	// Now is the clock for the backoff. Default time.Now.
	Now func() time.Time

	mu      sync.Mutex // one round at a time
	retryAt map[string]time.Time
}

// Result counts what one round did.
type Result struct {
	Sent, Failed int
	// Skipped is true when another dispatcher held the outbox.
	Skipped bool
}

// DispatchOnce runs one round: it sends every pending email that is not
// waiting to be tried again. It returns an error when the outbox cannot
// be read or written, or when any email failed (each failure is recorded,
// and the email tried again later).
func (d *Dispatcher) DispatchOnce(ctx context.Context) (Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var res Result
	var lastErr error
	round := func(ctx context.Context) error {
		var err error
		lastErr, err = d.round(ctx, &res)
		return err
	}
	if d.Exclusive != nil {
		ran, err := d.Exclusive(ctx, round)
		if err != nil {
			return res, err
		}
		res.Skipped = !ran
	} else if err := round(ctx); err != nil {
		return res, err
	}
	if res.Failed > 0 {
		return res, fmt.Errorf("%d of %d emails could not be sent and will be tried again, the last because: %w", res.Failed, res.Sent+res.Failed, lastErr)
	}
	return res, nil
}

func (d *Dispatcher) round(ctx context.Context, res *Result) (lastErr error, err error) {
	sys := linkwork.NewContext(ctx, linkwork.SystemActor("email"))
	batch := d.Batch
	if batch <= 0 {
		batch = 100
	}
	if d.retryAt == nil {
		d.retryAt = map[string]time.Time{}
	}
	tried := map[string]bool{}
	for {
		list, err := d.Outbox.PendingEmails(sys, batch)
		if err != nil {
			return lastErr, fmt.Errorf("read the emails to send: %w", err)
		}
		sentThisBatch := 0
		for _, n := range list {
			if tried[n.ID] || d.now().Before(d.retryAt[n.ID]) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return lastErr, err
			}
			tried[n.ID] = true
			sendErr := d.Sender.Send(ctx, n)
			if sendErr != nil && ctx.Err() != nil {
				// Stopping, not failing: this try does not count.
				return lastErr, ctx.Err()
			}
			// Once it has gone, the try is recorded even if the server is
			// stopping now: without the record it would go again after
			// the restart.
			if err := d.Outbox.RecordEmailAttempt(context.WithoutCancel(sys), n.ID, sendErr); err != nil {
				return lastErr, fmt.Errorf("record the try at email %s: %w", n.ID, err)
			}
			if sendErr == nil {
				res.Sent++
				sentThisBatch++
				delete(d.retryAt, n.ID)
				continue
			}
			res.Failed++
			lastErr = sendErr
			attempts := n.Attempts + 1
			if attempts >= linkwork.MaxEmailAttempts {
				delete(d.retryAt, n.ID)
				d.logger().Error("email given up", "notification", n.ID, "attempts", attempts, "err", sendErr)
				continue
			}
			d.retryAt[n.ID] = d.now().Add(d.backoff(attempts))
			d.logger().Warn("email not sent; will try again", "notification", n.ID, "attempts", attempts, "err", sendErr)
		}
		// A full batch may hide more behind it; emails tried or waiting
		// stay pending, so ask again only when some went.
		if len(list) < batch || sentThisBatch == 0 {
			return lastErr, nil
		}
	}
}

// Run sends the pending emails now and then every Interval, until ctx is
// done. Errors are logged, and never stop it.
func (d *Dispatcher) Run(ctx context.Context) {
	interval := d.Interval
	if interval <= 0 {
		interval = time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if res, err := d.DispatchOnce(ctx); err != nil && ctx.Err() == nil {
			d.logger().Error("email", "sent", res.Sent, "failed", res.Failed, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) backoff(attempts int) time.Duration {
	if d.Backoff != nil {
		return d.Backoff(attempts)
	}
	return DefaultBackoff(attempts)
}

func (d *Dispatcher) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}
