package notify_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/notify"
	"github.com/linkwork/linkwork/notify/smtptest"
)

// outbox is an in-memory outbox that keeps the store's contract: pending
// emails are unsent with fewer than MaxEmailAttempts tries, oldest first;
// only the system reads and records them; a sent or spent email cannot be
// recorded again. (sqlstore's own tests check the store keeps it.)
type outbox struct {
	mu    sync.Mutex
	notes []*linkwork.Notification
	// failRecord makes RecordEmailAttempt fail.
	failRecord error
}

func (o *outbox) add(n ...*linkwork.Notification) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.notes = append(o.notes, n...)
}

func system(ctx context.Context) error {
	if a, ok := linkwork.ActorFrom(ctx); !ok || !a.System {
		return linkwork.Errorf(linkwork.EFORBIDDEN, "system only")
	}
	return nil
}

func (o *outbox) PendingEmails(ctx context.Context, limit int) ([]*linkwork.Notification, error) {
	if err := system(ctx); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []*linkwork.Notification
	for _, n := range o.notes {
		if n.Email != "" && n.SentAt.IsZero() && n.Attempts < linkwork.MaxEmailAttempts && len(out) < limit {
			c := *n
			out = append(out, &c)
		}
	}
	return out, nil
}

func (o *outbox) RecordEmailAttempt(ctx context.Context, id string, sendErr error) error {
	if err := system(ctx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // as the store: a cancelled context writes nothing
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failRecord != nil {
		return o.failRecord
	}
	for _, n := range o.notes {
		if n.ID == id {
			if !n.SentAt.IsZero() || n.Attempts >= linkwork.MaxEmailAttempts {
				return linkwork.Errorf(linkwork.ECONFLICT, "already sent or spent")
			}
			n.Attempts++
			if sendErr == nil {
				n.SentAt, n.LastError = time.Now(), ""
			} else {
				n.LastError = sendErr.Error()
			}
			return nil
		}
	}
	return linkwork.Errorf(linkwork.ENOTFOUND, "no such email")
}

func (o *outbox) get(id string) linkwork.Notification {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, n := range o.notes {
		if n.ID == id {
			return *n
		}
	}
	return linkwork.Notification{}
}

func emails(n int) []*linkwork.Notification {
	var out []*linkwork.Notification
	for i := range n {
		id := string(rune('a' + i))
		out = append(out, &linkwork.Notification{ID: id, Email: id + "@practice.example", Subject: "Referral received (LW-" + id + ")", Body: "Body " + id})
	}
	return out
}

func recipients(msgs []smtptest.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.To...)
	}
	slices.Sort(out)
	return out
}

func newDispatcher(t *testing.T, srv *smtptest.Server, o *outbox) (*notify.Dispatcher, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	return &notify.Dispatcher{
		Outbox: o, Sender: newMailer(t, notify.SMTPConfig{Addr: srv.Addr, From: "linkwork@millbrook.example"}),
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	}, &logs
}

func TestDispatcherSendsEachEmailOnce(t *testing.T) {
	srv := smtptest.NewServer(t)
	o := &outbox{}
	o.add(emails(5)...)
	d, _ := newDispatcher(t, srv, o)
	d.Batch = 2 // more than one batch in a round
	res, err := d.DispatchOnce(context.Background())
	if err != nil || res.Sent != 5 || res.Failed != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	want := []string{"a@practice.example", "b@practice.example", "c@practice.example", "d@practice.example", "e@practice.example"}
	if got := recipients(srv.Messages()); !slices.Equal(got, want) {
		t.Fatalf("sent to %v", got)
	}
	h, body := parse(t, srv.Messages()[0].Data)
	if h.Get("Subject") != "Referral received (LW-a)" || body != "Body a\r\n" {
		t.Errorf("first email: %q %q", h.Get("Subject"), body)
	}
	for _, id := range []string{"a", "e"} {
		if n := o.get(id); n.SentAt.IsZero() || n.Attempts != 1 {
			t.Errorf("%s: sent %v after %d attempts", id, n.SentAt, n.Attempts)
		}
	}
	if res, err := d.DispatchOnce(context.Background()); err != nil || res.Sent != 0 || len(srv.Messages()) != 5 {
		t.Fatalf("a second round sent again: %+v %v, %d messages", res, err, len(srv.Messages()))
	}
}

func TestDispatcherRetriesUpToTheLimit(t *testing.T) {
	srv := smtptest.NewServer(t)
	o := &outbox{}
	o.add(emails(2)...)
	d, logs := newDispatcher(t, srv, o)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { return now }
	srv.Fail("451 4.3.0 Mail server busy, try again later")
	round := func() (notify.Result, error) {
		t.Helper()
		return d.DispatchOnce(context.Background())
	}
	res, err := round()
	if err == nil || !strings.Contains(err.Error(), "2 of 2 emails could not be sent") || !strings.Contains(err.Error(), "451") || res.Failed != 2 {
		t.Fatalf("first round: %+v %v", res, err)
	}
	if n := o.get("a"); n.Attempts != 1 || !strings.Contains(n.LastError, "Mail server busy") || !n.SentAt.IsZero() {
		t.Fatalf("after one failure: %+v", n)
	}
	t.Run("a failed email waits before it is tried again", func(t *testing.T) {
		if res, err := round(); err != nil || res.Failed+res.Sent != 0 {
			t.Fatalf("tried again at once: %+v %v", res, err)
		}
		if n := o.get("a"); n.Attempts != 1 {
			t.Fatalf("attempts %d", n.Attempts)
		}
	})
	t.Run("and is tried at most MaxEmailAttempts times", func(t *testing.T) {
		for i := 2; i <= linkwork.MaxEmailAttempts; i++ {
			now = now.Add(notify.DefaultBackoff(i - 1))
			if res, _ := round(); res.Failed != 2 {
				t.Fatalf("round %d: %+v", i, res)
			}
		}
		if n := o.get("a"); n.Attempts != linkwork.MaxEmailAttempts {
			t.Fatalf("attempts %d", n.Attempts)
		}
		now = now.Add(24 * time.Hour)
		srv.Fail("")
		if res, err := round(); err != nil || res.Sent+res.Failed != 0 {
			t.Fatalf("tried after the limit: %+v %v", res, err)
		}
		if len(srv.Messages()) != 0 {
			t.Fatal("sent after giving up")
		}
		if !strings.Contains(logs.String(), "email given up") {
			t.Errorf("giving up was not logged:\n%s", logs)
		}
	})
	t.Run("an email that fails, then goes, is sent once", func(t *testing.T) {
		o.add(&linkwork.Notification{ID: "z", Email: "z@practice.example", Subject: "s", Body: "b"})
		srv.Fail("421 4.4.2 Timeout")
		round()
		srv.Fail("")
		now = now.Add(time.Minute)
		if res, err := round(); err != nil || res.Sent != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		now = now.Add(24 * time.Hour)
		round()
		if got := recipients(srv.Messages()); !slices.Equal(got, []string{"z@practice.example"}) {
			t.Fatalf("sent %v", got)
		}
		if n := o.get("z"); n.Attempts != 2 || n.LastError != "" || n.SentAt.IsZero() {
			t.Fatalf("%+v", n)
		}
	})
}

// stopAfterSend sends with the mailer, then cancels the round: the server
// is told to stop between an email going and its being recorded.
type stopAfterSend struct {
	notify.Sender
	stop context.CancelFunc
}

func (s stopAfterSend) Send(ctx context.Context, n *linkwork.Notification) error {
	err := s.Sender.Send(ctx, n)
	s.stop()
	return err
}

func TestDispatcherRecordsAnEmailSentAsTheServerStops(t *testing.T) {
	srv := smtptest.NewServer(t)
	o := &outbox{}
	o.add(emails(2)...)
	d, _ := newDispatcher(t, srv, o)
	ctx, stop := context.WithCancel(context.Background())
	d.Sender = stopAfterSend{Sender: d.Sender, stop: stop}
	if _, err := d.DispatchOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("a stopped round returned %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d emails sent after the stop, want the one in flight", n)
	}
	if n := o.get("a"); n.SentAt.IsZero() || n.Attempts != 1 {
		t.Fatalf("the email that went is not recorded as sent: %+v", n)
	}
	// After the restart, only the one that never went is sent.
	d.Sender = newMailer(t, notify.SMTPConfig{Addr: srv.Addr, From: "linkwork@millbrook.example"})
	if res, err := d.DispatchOnce(context.Background()); err != nil || res.Sent != 1 {
		t.Fatalf("after the restart: %+v %v", res, err)
	}
	if got := recipients(srv.Messages()); !slices.Equal(got, []string{"a@practice.example", "b@practice.example"}) {
		t.Fatalf("sent to %v, want each once", got)
	}
}

func TestDispatcherStopsWhenItCannotRecord(t *testing.T) {
	srv := smtptest.NewServer(t)
	o := &outbox{failRecord: errors.New("database is down")}
	o.add(emails(3)...)
	d, _ := newDispatcher(t, srv, o)
	_, err := d.DispatchOnce(context.Background())
	if err == nil || !strings.Contains(err.Error(), "database is down") {
		t.Fatalf("error %v", err)
	}
	// Without a record, the next round would send it again: stop at once,
	// before sending more.
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("sent %d emails it could not record", n)
	}
}

func TestDispatcherSkipsWhenAnotherHoldsTheOutbox(t *testing.T) {
	srv := smtptest.NewServer(t)
	o := &outbox{}
	o.add(emails(1)...)
	d, _ := newDispatcher(t, srv, o)
	held := true
	d.Exclusive = func(ctx context.Context, fn func(context.Context) error) (bool, error) {
		if held {
			return false, nil
		}
		return true, fn(ctx)
	}
	if res, err := d.DispatchOnce(context.Background()); err != nil || !res.Skipped || len(srv.Messages()) != 0 {
		t.Fatalf("%+v %v", res, err)
	}
	held = false
	if res, err := d.DispatchOnce(context.Background()); err != nil || res.Skipped || res.Sent != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestDispatcherRunStopsWithTheContext(t *testing.T) {
	srv := smtptest.NewServer(t)
	o := &outbox{}
	o.add(emails(1)...)
	d, _ := newDispatcher(t, srv, o)
	d.Interval = 20 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	if msgs := srv.Wait(1, 5*time.Second); len(msgs) != 1 {
		t.Fatal("the first round did not send")
	}
	o.add(&linkwork.Notification{ID: "later", Email: "later@practice.example", Subject: "s", Body: "b"})
	if msgs := srv.Wait(2, 5*time.Second); len(msgs) != 2 {
		t.Fatal("a later round did not send")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}
