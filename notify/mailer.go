// Package notify emails the notification outbox: a Mailer sends one
// notification as a plain-text email over SMTP, and a Dispatcher takes
// the emails still to be sent from the outbox, sends them and records
// each try.
//
// Notifications are always shown in the app; email is an extra, and not a
// secure channel. The outbox writes emails that name the person by
// initials and reference only; this package sends what it is given.
package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// SMTPConfig says how to reach the mail server.
type SMTPConfig struct {
	// Addr is the server's host:port, such as smtp.example.org:587.
	Addr string
	// From is the sender, an address or "Name <address>".
	From string
	// Username and Password sign in with AUTH PLAIN, only over TLS (or to
	// a server on this machine); both empty to send without signing in.
	Username string
	Password string
	// StartTLS upgrades the connection with STARTTLS before anything else
	// is said, and fails if the server does not offer it.
	StartTLS bool
}

// ConfigError is a problem with one setting of an SMTPConfig: Setting
// is "addr", "from", "username" or "password".
type ConfigError struct {
	Setting string
	Message string
}

func (e *ConfigError) Error() string { return e.Message }

// Validate reports the first problem with the configuration as a
// *ConfigError.
func (c SMTPConfig) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return &ConfigError{"addr", fmt.Sprintf("SMTP address %q is not host:port, like smtp.example.org:587", c.Addr)}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return &ConfigError{"addr", fmt.Sprintf("SMTP address %q has no valid port", c.Addr)}
	}
	if strings.TrimSpace(c.From) == "" {
		return &ConfigError{"from", "SMTP sender is required: the address emails come from, like linkwork@example.org"}
	}
	if _, err := mail.ParseAddress(c.From); err != nil || strings.ContainsAny(c.From, "\r\n") {
		return &ConfigError{"from", fmt.Sprintf("SMTP sender %q is not an email address", c.From)}
	}
	if c.Username == "" && c.Password != "" {
		return &ConfigError{"username", "an SMTP password is set without a username"}
	}
	if c.Username != "" && c.Password == "" {
		return &ConfigError{"password", "an SMTP username is set without a password"}
	}
	return nil
}

// DefaultTimeout bounds one email's whole conversation with the server.
const DefaultTimeout = 30 * time.Second

// Mailer sends notifications as plain-text emails.
type Mailer struct {
	cfg  SMTPConfig
	host string
	from *mail.Address

	// Timeout bounds connecting, and the whole conversation, for one
	// email. Default DefaultTimeout.
	Timeout time.Duration
	// TLS configures STARTTLS; nil verifies the server's certificate for
	// the host in Addr against the system's roots.
	TLS *tls.Config
	// BaseURL, such as https://linkwork.example.org, turns a
	// notification's link into an address at the end of the email. Empty
	// leaves it out.
	BaseURL string
	// Hostname is said in EHLO. Default the machine's name.
	Hostname string
	// Now dates the message. Default time.Now.
	Now func() time.Time
}

// NewMailer returns a mailer for the configuration, or what is wrong
// with it.
func NewMailer(cfg SMTPConfig) (*Mailer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	host, _, _ := net.SplitHostPort(cfg.Addr)
	from, _ := mail.ParseAddress(cfg.From)
	return &Mailer{cfg: cfg, host: host, from: from}, nil
}

// Send emails one notification to n.Email.
func (m *Mailer) Send(ctx context.Context, n *linkwork.Notification) error {
	to, err := recipient(n.Email)
	if err != nil {
		return err
	}
	msg, err := m.Message(n)
	if err != nil {
		return err
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.cfg.Addr)
	if err != nil {
		return fmt.Errorf("smtp: connect to %s: %w", m.cfg.Addr, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// Cancelling the context (the server shutting down) ends the
	// conversation at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return m.fail(ctx, "greeting", err)
	}
	defer c.Close()
	if err := c.Hello(m.hostname()); err != nil {
		return m.fail(ctx, "EHLO", err)
	}
	if m.cfg.StartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("smtp: %s does not offer STARTTLS, so nothing was sent (turn STARTTLS off only for a relay on this machine)", m.cfg.Addr)
		}
		cfg := &tls.Config{}
		if m.TLS != nil {
			cfg = m.TLS.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = m.host
		}
		if cfg.MinVersion == 0 {
			cfg.MinVersion = tls.VersionTLS12
		}
		if err := c.StartTLS(cfg); err != nil {
			return m.fail(ctx, "STARTTLS", err)
		}
	}
	if m.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return fmt.Errorf("smtp: %s does not offer AUTH, but a username is configured", m.cfg.Addr)
		}
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.host)); err != nil {
			return m.fail(ctx, "AUTH", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return m.fail(ctx, "MAIL FROM", err)
	}
	if err := c.Rcpt(to); err != nil {
		return m.fail(ctx, "RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return m.fail(ctx, "DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return m.fail(ctx, "DATA", err)
	}
	if err := w.Close(); err != nil {
		return m.fail(ctx, "end of DATA", err)
	}
	// The server has taken the message; a failed goodbye does not undo
	// that.
	_ = c.Quit()
	return nil
}

func (m *Mailer) fail(ctx context.Context, step string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("smtp: %s at %s: %w (%v)", step, m.cfg.Addr, ctx.Err(), err)
	}
	return fmt.Errorf("smtp: %s at %s: %w", step, m.cfg.Addr, err)
}

func (m *Mailer) hostname() string {
	if m.Hostname != "" {
		return m.Hostname
	}
	if h, err := os.Hostname(); err == nil && h != "" && !strings.ContainsAny(h, " \r\n") {
		return h
	}
	return "localhost"
}

// recipient returns the bare address of a notification's email.
func recipient(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n") {
		return "", errors.New("smtp: the recipient is not an email address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", fmt.Errorf("smtp: the recipient %q is not an email address", s)
	}
	return a.Address, nil
}

// Message returns the notification as an email: headers, then the body
// in quoted-printable UTF-8 with CRLF line ends.
func (m *Mailer) Message(n *linkwork.Notification) ([]byte, error) {
	to, err := recipient(n.Email)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	domain := "linkwork.invalid"
	if i := strings.LastIndexByte(m.from.Address, '@'); i >= 0 && i < len(m.from.Address)-1 {
		domain = m.from.Address[i+1:]
	}
	subject := strings.Join(strings.Fields(n.Subject), " ")
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", m.from.String())
	header("To", (&mail.Address{Address: to}).String())
	header("Subject", fold(len("Subject: "), mime.QEncoding.Encode("utf-8", subject)))
	header("Date", now().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	// An automatic message: out-of-office replies should not answer it.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	body := strings.TrimRight(n.Body, "\n")
	if m.BaseURL != "" && n.Link != "" {
		body += "\n\n" + strings.TrimRight(m.BaseURL, "/") + n.Link
	}
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(body + "\n")); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// fold puts each encoded word of a header value too long for one line on
// a line of its own (each is at most 75 characters; the space that
// starts a folded line is not part of the value, and the space between
// encoded words is ignored when they are decoded).
func fold(prefix int, v string) string {
	if prefix+len(v) <= 78 || !strings.HasPrefix(v, "=?") {
		return v
	}
	return "\r\n " + strings.ReplaceAll(v, "?= =?", "?=\r\n =?")
}
