package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client speaks to the server under test, and to nothing else: its
// connections may only reach loopback addresses.
type client struct {
	base string // http://127.0.0.1:PORT
	hc   *http.Client
}

// newClient returns a client for the server at base that keeps up to
// conns connections open, and refuses to dial any address that is not
// loopback.
func newClient(base string, conns int) *client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if err := loopbackOnly(addr); err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        conns + 8,
		MaxIdleConnsPerHost: conns + 8,
		IdleConnTimeout:     90 * time.Second,
		// Browsers and API clients ask for what they can read; the server
		// decides. Go's transparent gzip would hide what it sends.
		DisableCompression: true,
	}
	return &client{base: base, hc: &http.Client{
		Transport: tr,
		Timeout:   2 * time.Minute,
		// Every answer is checked as it comes, redirects included.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// loopbackOnly refuses a host:port whose host is not a loopback IP
// address.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("the load benchmark only reaches loopback addresses, not %s", host)
	}
	return nil
}

func (c *client) close() { c.hc.CloseIdleConnections() }

// user is a signed-in account: its session cookie for pages and its API
// token for the API.
type user struct {
	Role   string
	Email  string
	ID     string
	OrgID  string
	cookie string // the Cookie header pages are sent with
	token  string // the API bearer token
}

// call is one request of the workload, and the answer it expects.
type call struct {
	method string
	path   string // with its query
	as     *user  // nil: nobody signed in
	api    bool   // sent with the API token; otherwise with the session cookie
	json   any    // a JSON body
	want   int    // the status the route answers when all is well
	// read, when set, takes what the answer says (new ids, versions); an
	// error counts the request as failed.
	read func(body []byte) error
}

// request builds the HTTP request of a call.
func (c *client) request(ctx context.Context, k call) (*http.Request, error) {
	var body io.Reader
	if k.json != nil {
		b, err := json.Marshal(k.json)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, k.method, c.base+k.path, body)
	if err != nil {
		return nil, err
	}
	if k.json != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if k.api {
		req.Header.Set("Accept", "application/json")
	} else {
		req.Header.Set("Accept", "text/html")
	}
	if k.as != nil {
		if k.api {
			req.Header.Set("Authorization", "Bearer "+k.as.token)
		} else {
			req.Header.Set("Cookie", k.as.cookie)
		}
	}
	return req, nil
}

// maxBody is the most of an answer kept to read or to show.
const maxBody = 8 << 20

// do sends a call and checks its answer. It returns the answer's status
// (0 when there was none) and, when the call failed, why. The body is
// read to the end in every case, so that the latency measured covers the
// whole answer.
func (c *client) do(ctx context.Context, k call) (status int, problem error) {
	req, err := c.request(ctx, k)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == k.want && k.read == nil {
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return resp.StatusCode, fmt.Errorf("reading the answer: %w", err)
		}
		return resp.StatusCode, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("reading the answer: %w", err)
	}
	if resp.StatusCode != k.want {
		return resp.StatusCode, fmt.Errorf("answered %d, not %d: %s", resp.StatusCode, k.want, snippet(body))
	}
	if err := k.read(body); err != nil {
		return resp.StatusCode, fmt.Errorf("the answer does not say what it should: %w", err)
	}
	return resp.StatusCode, nil
}

// snippet is the start of a body, on one line, to show in an error.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return s
}

// getJSON sends a GET to the API as the user and decodes the answer,
// which must be 200.
func (c *client) getJSON(ctx context.Context, as *user, path string, out any) error {
	return c.sendJSON(ctx, as, "GET", path, nil, http.StatusOK, out)
}

// sendJSON sends an API request as the user and decodes the answer,
// which must have status want.
func (c *client) sendJSON(ctx context.Context, as *user, method, path string, in any, want int, out any) error {
	_, err := c.do(ctx, call{method: method, path: path, as: as, api: true, json: in, want: want, read: func(b []byte) error {
		if out == nil {
			return nil
		}
		return json.Unmarshal(b, out)
	}})
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// signIn signs in through the sign-in form as a browser does (the
// server's cross-origin protection reads the Origin and Sec-Fetch-Site
// headers), takes an API token for the account, and learns who it is.
func (c *client) signIn(ctx context.Context, email, password string) (*user, error) {
	form := url.Values{"email": {email}, "password": {password}, "next": {"/"}}
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("signing in as %s: %w", email, err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	var cookies []string
	for _, ck := range resp.Cookies() {
		if ck.Value != "" {
			cookies = append(cookies, ck.Name+"="+ck.Value)
		}
	}
	if resp.StatusCode != http.StatusSeeOther || len(cookies) == 0 {
		return nil, fmt.Errorf("signing in as %s: answered %d without a session: %s", email, resp.StatusCode, snippet(body))
	}
	u := &user{Email: email, cookie: strings.Join(cookies, "; ")}
	var tok struct {
		Token string `json:"token"`
	}
	expires := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	// The token is taken with the session, as someone would on their
	// account page; it then stands for them on the API.
	in := map[string]any{"name": "linkwork-load", "expires_at": expires}
	if _, err := c.do(ctx, call{method: "POST", path: "/api/v1/tokens", as: u, json: in, want: http.StatusCreated, read: func(b []byte) error {
		return json.Unmarshal(b, &tok)
	}}); err != nil {
		return nil, fmt.Errorf("taking an API token for %s: %w", email, err)
	}
	if tok.Token == "" {
		return nil, errors.New("taking an API token for " + email + ": the answer holds no token")
	}
	u.token = tok.Token
	var me struct {
		ID    string `json:"id"`
		OrgID string `json:"org_id"`
		Role  string `json:"role"`
	}
	if err := c.getJSON(ctx, u, "/api/v1/me", &me); err != nil {
		return nil, err
	}
	u.ID, u.OrgID, u.Role = me.ID, me.OrgID, me.Role
	return u, nil
}
