package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// MessageOutbox is where the messages to people come from and each try
// is recorded: (*sqlstore.MessageService) is one.
type MessageOutbox interface {
	PendingMessages(ctx context.Context, limit int) ([]*linkwork.PersonMessage, error)
	// RecordMessageAttempt records a try: sent with the provider's id, or
	// failed and to be tried again after retry.
	RecordMessageAttempt(ctx context.Context, id, providerID string, sendErr error, retry time.Duration) error
}

// MessageSender sends one message to a person and returns the sending
// service's id for it.
type MessageSender interface {
	SendMessage(ctx context.Context, m *linkwork.PersonMessage) (string, error)
}

// The errors of a channel with no service to send it: the message stays
// in the outbox, its tries not counted, until one is configured.
var (
	ErrNoTextService  = fmt.Errorf("no text message service configured: %w", linkwork.ErrNotConfigured)
	ErrNoEmailService = fmt.Errorf("no email service configured: %w", linkwork.ErrNotConfigured)
)

// PeopleSender sends messages to people by their channel: texts through
// GOV.UK Notify; emails through Notify when it has an email template,
// otherwise by SMTP. Letters are printed, never sent.
type PeopleSender struct {
	Notify *Notify // nil: texts wait, with ErrNoTextService
	Mailer *Mailer // for email without a Notify email template
}

// SendMessage sends m by its channel.
func (s *PeopleSender) SendMessage(ctx context.Context, m *linkwork.PersonMessage) (string, error) {
	switch m.Channel {
	case linkwork.MessageText:
		if s.Notify == nil {
			return "", ErrNoTextService
		}
		return s.Notify.SendSMS(ctx, m.To, m.Subject, m.Body)
	case linkwork.MessageEmail:
		if s.Notify != nil && s.Notify.CanEmail() {
			return s.Notify.SendEmail(ctx, m.To, m.Subject, m.Body)
		}
		if s.Mailer != nil {
			return "", s.Mailer.Send(ctx, &linkwork.Notification{ID: m.ID, Email: m.To, Subject: m.Subject, Body: m.Body})
		}
		return "", ErrNoEmailService
	}
	return "", fmt.Errorf("a %s is printed and posted, not sent", m.Channel)
}

// MessageDispatcher sends the outbox's messages to people whose time has
// come: each round it asks for them (as the system), sends each and
// records the try. A failed message waits Backoff before its next try
// (the wait is kept in the outbox, so it survives a restart), up to
// linkwork.MaxEmailAttempts tries.
type MessageDispatcher struct {
	Outbox MessageOutbox
	Sender MessageSender
	// Exclusive, when set, runs each round so that only one dispatcher
	// sends at a time, across servers.
	Exclusive func(ctx context.Context, fn func(context.Context) error) (bool, error)
	// Batch is how many messages are asked for at a time. Default 100.
	Batch int
	// Backoff is how long to wait after a message's attempts-th failure.
	// Default DefaultBackoff.
	Backoff func(attempts int) time.Duration
	// Logger receives each failure. Default slog.Default().
	Logger *slog.Logger

	mu sync.Mutex
}

// DispatchOnce runs one round. It returns an error when the outbox
// cannot be read or written, or when any message failed (each failure is
// recorded, and the message tried again later).
func (d *MessageDispatcher) DispatchOnce(ctx context.Context) (Result, error) {
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
		return res, fmt.Errorf("%d of %d messages to people could not be sent and will be tried again, the last because: %w", res.Failed, res.Sent+res.Failed, lastErr)
	}
	return res, nil
}

func (d *MessageDispatcher) round(ctx context.Context, res *Result) (lastErr error, err error) {
	sys := linkwork.NewContext(ctx, linkwork.SystemActor("messages"))
	batch := d.Batch
	if batch <= 0 {
		batch = 100
	}
	backoff := d.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	log := d.Logger
	if log == nil {
		log = slog.Default()
	}
	tried := map[string]bool{}
	for {
		list, err := d.Outbox.PendingMessages(sys, batch)
		if err != nil {
			return lastErr, fmt.Errorf("read the messages to send: %w", err)
		}
		fresh := 0
		for _, m := range list {
			if tried[m.ID] {
				continue
			}
			if err := ctx.Err(); err != nil {
				return lastErr, err
			}
			tried[m.ID] = true
			fresh++
			id, sendErr := d.Sender.SendMessage(ctx, m)
			if sendErr != nil && ctx.Err() != nil {
				return lastErr, ctx.Err()
			}
			attempts := m.Attempts + 1
			retry := backoff(attempts)
			if errors.Is(sendErr, linkwork.ErrNotConfigured) {
				// Nothing will change until the server is restarted
				// with a service configured: look again now and then.
				attempts, retry = m.Attempts, time.Hour
			}
			// Recorded even if the server is stopping now, so that a sent
			// message is not sent again after the restart.
			err := d.Outbox.RecordMessageAttempt(context.WithoutCancel(sys), m.ID, id, sendErr, retry)
			if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
				continue // withdrawn while it was being sent
			}
			if err != nil {
				return lastErr, fmt.Errorf("record the try at message %s: %w", m.ID, err)
			}
			if sendErr == nil {
				res.Sent++
				continue
			}
			res.Failed++
			lastErr = sendErr
			switch {
			case errors.Is(sendErr, linkwork.ErrNotConfigured):
				log.Warn("message to a person waits", "message", m.ID, "err", sendErr)
			case attempts >= linkwork.MaxEmailAttempts:
				log.Error("message to a person given up", "message", m.ID, "attempts", attempts, "err", sendErr)
			default:
				log.Warn("message to a person not sent; will try again", "message", m.ID, "attempts", attempts, "err", sendErr)
			}
		}
		if len(list) < batch || fresh == 0 {
			return lastErr, nil
		}
	}
}
