// Package smtptest runs a small SMTP server in the test's process, on a
// loopback port, that keeps every message it is given: enough of SMTP
// (EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for
// net/smtp, to test what linkwork sends.
package smtptest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one message the server took.
type Message struct {
	From string   // the envelope sender
	To   []string // the envelope recipients
	Data []byte   // headers and body, with CRLF line ends, dots unstuffed
	// TLS is true when it came over STARTTLS; User is who signed in.
	TLS  bool
	User string
}

// Server is a running test SMTP server.
type Server struct {
	// Addr is the server's host:port.
	Addr string
	// ClientTLS trusts the server's certificate, for a client's STARTTLS;
	// nil when the server does not offer STARTTLS.
	ClientTLS *tls.Config

	ln       net.Listener
	tls      *tls.Config
	users    map[string]string
	mu       sync.Mutex
	msgs     []Message
	fail     string
	arrived  chan struct{}
	wg       sync.WaitGroup
	closed   chan struct{}
	sessions int
}

// Option configures a server.
type Option func(*Server)

// WithTLS offers STARTTLS, with a certificate for 127.0.0.1 made for the
// test.
func WithTLS() Option {
	return func(s *Server) {
		cert, pool := certificate()
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.ClientTLS = &tls.Config{RootCAs: pool}
	}
}

// WithUser requires signing in with AUTH PLAIN as user and password
// before MAIL.
func WithUser(user, password string) Option {
	return func(s *Server) {
		if s.users == nil {
			s.users = map[string]string{}
		}
		s.users[user] = password
	}
}

// NewServer starts a server, stopped when the test ends.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln, arrived: make(chan struct{}, 1), closed: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	s.wg.Add(1)
	go s.accept()
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and waits for its connections to end.
func (s *Server) Close() {
	select {
	case <-s.closed:
		return
	default:
	}
	close(s.closed)
	s.ln.Close()
	s.wg.Wait()
}

// Fail makes the server refuse every recipient with the reply, such as
// "451 4.3.0 Try again later", until it is called with "".
func (s *Server) Fail(reply string) {
	s.mu.Lock()
	s.fail = reply
	s.mu.Unlock()
}

// Messages returns the messages taken so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Sessions returns how many connections the server has had.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// Wait waits until the server has taken n messages in all, or the
// timeout passes, and returns the messages.
func (s *Server) Wait(n int, timeout time.Duration) []Message {
	deadline := time.After(timeout)
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		select {
		case <-s.arrived:
		case <-deadline:
			return s.Messages()
		}
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.sessions++
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			done := make(chan struct{})
			defer close(done)
			go func() {
				select {
				case <-s.closed:
					c.Close()
				case <-done:
				}
			}()
			s.serve(c)
		}()
	}
}

type session struct {
	conn  net.Conn
	text  *textproto.Conn
	tls   bool
	user  string
	hello bool
	from  string
	to    []string
}

func (s *Server) serve(c net.Conn) {
	ss := &session{conn: c, text: textproto.NewConn(c)}
	ss.reply("220 smtptest ESMTP ready")
	for {
		line, err := ss.text.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			ss.hello, ss.from, ss.to = true, "", nil
			lines := []string{"smtptest greets " + arg, "8BITMIME"}
			if s.tls != nil && !ss.tls {
				lines = append(lines, "STARTTLS")
			}
			if s.users != nil {
				lines = append(lines, "AUTH PLAIN")
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				ss.reply("250" + sep + l)
			}
		case "STARTTLS":
			if s.tls == nil || ss.tls {
				ss.reply("502 5.5.1 STARTTLS not offered")
				continue
			}
			ss.reply("220 2.0.0 Ready to start TLS")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			ss.conn, ss.text, ss.tls, ss.hello = tc, textproto.NewConn(tc), true, false
		case "AUTH":
			mech, initial, _ := strings.Cut(arg, " ")
			if s.users == nil || !strings.EqualFold(mech, "PLAIN") {
				ss.reply("504 5.5.4 Unrecognised authentication type")
				continue
			}
			if initial == "" {
				ss.reply("334 ")
				if initial, err = ss.text.ReadLine(); err != nil {
					return
				}
			}
			raw, err := base64.StdEncoding.DecodeString(initial)
			parts := strings.Split(string(raw), "\x00")
			if err != nil || len(parts) != 3 || s.users[parts[1]] == "" || s.users[parts[1]] != parts[2] {
				ss.reply("535 5.7.8 Authentication credentials invalid")
				continue
			}
			ss.user = parts[1]
			ss.reply("235 2.7.0 Authentication successful")
		case "MAIL":
			switch {
			case !ss.hello:
				ss.reply("503 5.5.1 Say EHLO first")
			case s.users != nil && ss.user == "":
				ss.reply("530 5.7.0 Authentication required")
			default:
				ss.from, ss.to = address(arg), nil
				ss.reply("250 2.1.0 OK")
			}
		case "RCPT":
			s.mu.Lock()
			fail := s.fail
			s.mu.Unlock()
			switch {
			case ss.from == "":
				ss.reply("503 5.5.1 MAIL first")
			case fail != "":
				ss.reply(fail)
			default:
				ss.to = append(ss.to, address(arg))
				ss.reply("250 2.1.5 OK")
			}
		case "DATA":
			if len(ss.to) == 0 {
				ss.reply("503 5.5.1 RCPT first")
				continue
			}
			ss.reply("354 End data with <CR><LF>.<CR><LF>")
			data, err := readData(ss.text.R)
			if err != nil {
				return
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, Message{From: ss.from, To: ss.to, Data: data, TLS: ss.tls, User: ss.user})
			s.mu.Unlock()
			ss.from, ss.to = "", nil
			ss.reply("250 2.0.0 OK: queued")
			select {
			case s.arrived <- struct{}{}:
			default:
			}
		case "RSET":
			ss.from, ss.to = "", nil
			ss.reply("250 2.0.0 OK")
		case "NOOP":
			ss.reply("250 2.0.0 OK")
		case "QUIT":
			ss.reply("221 2.0.0 Bye")
			return
		default:
			ss.reply("502 5.5.2 Command not recognised")
		}
	}
}

func (ss *session) reply(line string) {
	ss.text.W.WriteString(line + "\r\n")
	ss.text.W.Flush()
}

// address takes the address out of "FROM:<a@b> BODY=8BITMIME".
func address(arg string) string {
	i, j := strings.IndexByte(arg, '<'), strings.IndexByte(arg, '>')
	if i < 0 || j < i {
		return ""
	}
	return arg[i+1 : j]
}

// readData reads the lines of DATA up to the lone dot, keeping CRLF line
// ends and removing dot-stuffing; a line that ends in a bare LF is an
// error, as it is for real servers.
func readData(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(line, "\r\n") {
			return nil, errors.New("smtptest: bare LF in DATA")
		}
		if line == ".\r\n" {
			return out, nil
		}
		out = append(out, strings.TrimPrefix(line, ".")...)
	}
}

// certificate makes a self-signed certificate for 127.0.0.1 and a pool
// that trusts it.
func certificate() (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
