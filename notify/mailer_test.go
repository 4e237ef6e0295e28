package notify_test

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/notify"
	"github.com/linkwork/linkwork/notify/smtptest"
)

func newMailer(t *testing.T, cfg notify.SMTPConfig) *notify.Mailer {
	t.Helper()
	m, err := notify.NewMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m.Timeout = 5 * time.Second
	return m
}

// parse reads a message as a mail client would: its headers, and its body
// decoded from quoted-printable.
func parse(t *testing.T, data []byte) (mail.Header, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a message: %v\n%s", err, data)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("body is not quoted-printable: %v", err)
	}
	return msg.Header, string(body)
}

func note(email, subject, body string) *linkwork.Notification {
	return &linkwork.Notification{ID: "n1", Email: email, Subject: subject, Body: body, Link: "/referrals/r1"}
}

func TestMailerSendsAPlainTextEmail(t *testing.T) {
	srv := smtptest.NewServer(t)
	m := newMailer(t, notify.SMTPConfig{Addr: srv.Addr, From: "Millbrook Social Prescribing <linkwork@millbrook.example>"})
	m.BaseURL = "https://linkwork.millbrook.example/"
	m.Now = func() time.Time { return time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC) }
	long := strings.Repeat("A line long enough to be wrapped by quoted-printable encoding; ", 3)
	body := "Référral received for A.W.\n.a line that starts with a dot\n" + long + "\nMillbrook"
	if err := m.Send(context.Background(), note("gp@practice.example", "Référral received (LW-1234ABCD) — café", body)); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	got := msgs[0]
	if got.From != "linkwork@millbrook.example" || len(got.To) != 1 || got.To[0] != "gp@practice.example" {
		t.Fatalf("envelope from %q to %v", got.From, got.To)
	}
	for _, line := range strings.SplitAfter(string(got.Data), "\r\n") {
		if len(line) > 78+2 {
			t.Errorf("a line of %d characters: %q", len(line), line)
		}
	}
	h, text := parse(t, got.Data)
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Millbrook Social Prescribing" || from[0].Address != "linkwork@millbrook.example" {
		t.Errorf("From %q: %v %v", h.Get("From"), from, err)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "gp@practice.example" {
		t.Errorf("To %q", h.Get("To"))
	}
	raw := h.Get("Subject")
	if !strings.HasPrefix(raw, "=?utf-8?q?") {
		t.Errorf("a non-ASCII subject is not RFC 2047 encoded: %q", raw)
	}
	if subject, err := new(mime.WordDecoder).DecodeHeader(raw); err != nil || subject != "Référral received (LW-1234ABCD) — café" {
		t.Errorf("subject decodes to %q, %v", subject, err)
	}
	if d, err := h.Date(); err != nil || !d.Equal(m.Now()) {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@millbrook.example>") || len(id) < 30 {
		t.Errorf("Message-ID %q", id)
	}
	for k, v := range map[string]string{"MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "quoted-printable", "Auto-Submitted": "auto-generated"} {
		if h.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, h.Get(k), v)
		}
	}
	want := strings.ReplaceAll(body, "\n", "\r\n") + "\r\n\r\nhttps://linkwork.millbrook.example/referrals/r1\r\n"
	if text != want {
		t.Errorf("body\n%q\nwant\n%q", text, want)
	}
	t.Run("an ASCII subject is left as it is, and no link without an address for the app", func(t *testing.T) {
		m.BaseURL = ""
		if err := m.Send(context.Background(), note("gp@practice.example", "Referral received (LW-1)", "Hello")); err != nil {
			t.Fatal(err)
		}
		h, text := parse(t, srv.Messages()[1].Data)
		if h.Get("Subject") != "Referral received (LW-1)" || text != "Hello\r\n" {
			t.Errorf("subject %q body %q", h.Get("Subject"), text)
		}
	})
	t.Run("a long subject is folded and reads back whole", func(t *testing.T) {
		subject := strings.Repeat("Décision reçue — ", 8) + "LW-1234ABCD"
		if err := m.Send(context.Background(), note("gp@practice.example", subject, "x")); err != nil {
			t.Fatal(err)
		}
		data := srv.Messages()[len(srv.Messages())-1].Data
		for _, line := range strings.SplitAfter(string(data), "\r\n") {
			if len(line) > 78+2 {
				t.Errorf("a line of %d characters: %q", len(line), line)
			}
		}
		h, _ := parse(t, data)
		if got, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); err != nil || got != subject {
			t.Errorf("subject reads back as %q, %v", got, err)
		}
	})
	t.Run("a subject cannot add headers", func(t *testing.T) {
		if err := m.Send(context.Background(), note("gp@practice.example", "Hi\r\nBcc: someone@else.example", "x")); err != nil {
			t.Fatal(err)
		}
		h, _ := parse(t, srv.Messages()[len(srv.Messages())-1].Data)
		if h.Get("Bcc") != "" {
			t.Errorf("the subject added a Bcc header: %q", h.Get("Bcc"))
		}
	})
}

func TestMailerStartTLSAndSignIn(t *testing.T) {
	srv := smtptest.NewServer(t, smtptest.WithTLS(), smtptest.WithUser("linkwork", "s3cret"))
	cfg := notify.SMTPConfig{Addr: srv.Addr, From: "linkwork@millbrook.example", Username: "linkwork", Password: "s3cret", StartTLS: true}
	m := newMailer(t, cfg)
	m.TLS = srv.ClientTLS
	if err := m.Send(context.Background(), note("gp@practice.example", "Hello", "Over TLS")); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || !msgs[0].TLS || msgs[0].User != "linkwork" {
		t.Fatalf("messages %+v", msgs)
	}
	t.Run("a wrong password is an error and sends nothing", func(t *testing.T) {
		cfg := cfg
		cfg.Password = "wrong"
		m := newMailer(t, cfg)
		m.TLS = srv.ClientTLS
		err := m.Send(context.Background(), note("gp@practice.example", "Hello", "x"))
		if err == nil || !strings.Contains(err.Error(), "AUTH") || !strings.Contains(err.Error(), "535") {
			t.Fatalf("error %v", err)
		}
		if len(srv.Messages()) != 1 {
			t.Fatal("sent without signing in")
		}
	})
	t.Run("a certificate that is not trusted is refused", func(t *testing.T) {
		m := newMailer(t, cfg)
		err := m.Send(context.Background(), note("gp@practice.example", "Hello", "x"))
		if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("error %v", err)
		}
	})
}

func TestMailerRefusesToSendInTheClearWhenTLSIsAskedFor(t *testing.T) {
	srv := smtptest.NewServer(t)
	m := newMailer(t, notify.SMTPConfig{Addr: srv.Addr, From: "linkwork@millbrook.example", StartTLS: true})
	err := m.Send(context.Background(), note("gp@practice.example", "Hello", "x"))
	if err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("error %v", err)
	}
	if len(srv.Messages()) != 0 {
		t.Fatal("sent in the clear")
	}
}

func TestMailerErrors(t *testing.T) {
	srv := smtptest.NewServer(t)
	m := newMailer(t, notify.SMTPConfig{Addr: srv.Addr, From: "linkwork@millbrook.example"})
	t.Run("a refused recipient says the server's reply", func(t *testing.T) {
		srv.Fail("550 5.1.1 No such user here")
		defer srv.Fail("")
		err := m.Send(context.Background(), note("nobody@practice.example", "Hello", "x"))
		if err == nil || !strings.Contains(err.Error(), "RCPT TO") || !strings.Contains(err.Error(), "No such user") {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("a recipient that is not an address is not tried", func(t *testing.T) {
		before := srv.Sessions()
		for _, to := range []string{"", "not an address", "a@b.example\r\nRCPT TO:<c@d.example>"} {
			if err := m.Send(context.Background(), note(to, "Hello", "x")); err == nil {
				t.Errorf("sent to %q", to)
			}
		}
		if srv.Sessions() != before {
			t.Error("connected to the server for a bad address")
		}
	})
	t.Run("a server that never answers times out", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close() // say nothing
			}
		}()
		m := newMailer(t, notify.SMTPConfig{Addr: ln.Addr().String(), From: "linkwork@millbrook.example"})
		m.Timeout = 200 * time.Millisecond
		start := time.Now()
		err = m.Send(context.Background(), note("gp@practice.example", "Hello", "x"))
		if err == nil || time.Since(start) > 3*time.Second {
			t.Fatalf("error %v after %s", err, time.Since(start))
		}
		t.Run("and a cancelled context ends it sooner", func(t *testing.T) {
			m.Timeout = time.Minute
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			err := m.Send(ctx, note("gp@practice.example", "Hello", "x"))
			if err == nil || time.Since(start) > 3*time.Second {
				t.Fatalf("error %v after %s", err, time.Since(start))
			}
		})
	})
	t.Run("nothing listening", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		m := newMailer(t, notify.SMTPConfig{Addr: addr, From: "linkwork@millbrook.example"})
		if err := m.Send(context.Background(), note("gp@practice.example", "Hello", "x")); err == nil || !strings.Contains(err.Error(), "connect") {
			t.Fatalf("error %v", err)
		}
	})
}

func TestSMTPConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  notify.SMTPConfig
		says string
	}{
		{notify.SMTPConfig{Addr: "smtp.example.org:587", From: "a@example.org"}, ""},
		{notify.SMTPConfig{Addr: "smtp.example.org:587", From: "Linkwork <a@example.org>", Username: "u", Password: "p", StartTLS: true}, ""},
		{notify.SMTPConfig{Addr: "smtp.example.org", From: "a@example.org"}, "not host:port"},
		{notify.SMTPConfig{Addr: "smtp.example.org:smtp", From: "a@example.org"}, "no valid port"},
		{notify.SMTPConfig{Addr: "smtp.example.org:25"}, "sender is required"},
		{notify.SMTPConfig{Addr: "smtp.example.org:25", From: "linkwork"}, "not an email address"},
		{notify.SMTPConfig{Addr: "smtp.example.org:25", From: "a@example.org", Password: "p"}, "without a username"},
		{notify.SMTPConfig{Addr: "smtp.example.org:25", From: "a@example.org", Username: "u"}, "without a password"},
	}
	for _, tt := range tests {
		err := tt.cfg.Validate()
		if tt.says == "" && err != nil || tt.says != "" && (err == nil || !strings.Contains(err.Error(), tt.says)) {
			t.Errorf("%+v: %v, want %q", tt.cfg, err, tt.says)
		}
	}
}
