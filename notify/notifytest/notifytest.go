// Package notifytest runs a fake GOV.UK Notify API in the test's
// process: it checks each request's bearer token (an HS256 JWT issued by
// the service, signed with its secret, issued within 30 seconds) and
// keeps every text message and email it accepts.
package notifytest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The fake's service id and secret, and the API key that holds them.
const (
	ServiceID = "26785a09-ab16-4eb0-8407-a37497a57506"
	Secret    = "3d844edf-8d35-48ac-975b-e847b4f122b0"
	APIKey    = "linkwork_test-" + ServiceID + "-" + Secret
	// SMSTemplate and EmailTemplate are template ids the fake accepts.
	SMSTemplate   = "f33517ff-2a88-4f6e-b855-c550268ce08a"
	EmailTemplate = "0ee2fc8a-0c3c-4d34-bd6e-4e9b3a3b8d3b"
)

// Message is one notification the fake accepted.
type Message struct {
	ID              string
	Type            string // "sms" or "email"
	To              string // phone_number or email_address
	TemplateID      string
	Personalisation map[string]string
}

// Server is a running fake Notify API.
type Server struct {
	URL string

	srv  *httptest.Server
	mu   sync.Mutex
	msgs []Message
	fail int // answer this status instead, when not zero
	// Now is the fake's clock for the token's iat. Default time.Now.
	Now func() time.Time
}

// New starts a fake, stopped when the test ends.
func New(t testing.TB) *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Fail makes the fake answer every request with status (500, say);
// zero makes it work again.
func (s *Server) Fail(status int) {
	s.mu.Lock()
	s.fail = status
	s.mu.Unlock()
}

// Close stops the fake: requests to it are refused.
func (s *Server) Close() { s.srv.Close() }

// Messages returns what the fake accepted, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

func writeError(w http.ResponseWriter, status int, kind, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"status_code": status, "errors": []map[string]string{{"error": kind, "message": msg}}})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	fail := s.fail
	s.mu.Unlock()
	if fail != 0 {
		writeError(w, fail, "Exception", "Internal server error")
		return
	}
	if err := s.checkToken(r.Header.Get("Authorization")); err != nil {
		writeError(w, http.StatusForbidden, "AuthError", err.Error())
		return
	}
	var typ, toField string
	switch r.URL.Path {
	case "/v2/notifications/sms":
		typ, toField = "sms", "phone_number"
	case "/v2/notifications/email":
		typ, toField = "email", "email_address"
	default:
		writeError(w, http.StatusNotFound, "NotFound", "no such path")
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "POST only")
		return
	}
	var body map[string]any
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestError", "body is not JSON")
		return
	}
	to, _ := body[toField].(string)
	tmpl, _ := body["template_id"].(string)
	if to == "" {
		writeError(w, http.StatusBadRequest, "ValidationError", toField+" is a required property")
		return
	}
	if typ == "sms" && tmpl != SMSTemplate || typ == "email" && tmpl != EmailTemplate {
		writeError(w, http.StatusBadRequest, "BadRequestError", "Template not found")
		return
	}
	pers := map[string]string{}
	if p, ok := body["personalisation"].(map[string]any); ok {
		for k, v := range p {
			pers[k], _ = v.(string)
		}
	}
	if pers["body"] == "" {
		writeError(w, http.StatusBadRequest, "BadRequestError", "Missing personalisation: body")
		return
	}
	s.mu.Lock()
	m := Message{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", len(s.msgs)+1), Type: typ, To: to, TemplateID: tmpl, Personalisation: pers}
	s.msgs = append(s.msgs, m)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{"id": m.ID, "reference": nil, "content": map[string]string{"body": pers["body"]},
		"template": map[string]any{"id": tmpl, "version": 1}})
}

// checkToken checks a bearer JWT as Notify does: HS256, issued by the
// service, signed with its secret, its iat within 30 seconds of now. Its
// errors are Notify's own words.
func (s *Server) checkToken(h string) error {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return notifyError("Unauthorized: authentication token must be provided")
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return notifyError("Invalid token: not a JWT")
	}
	enc := base64.RawURLEncoding
	var header struct{ Alg, Typ string }
	var claims struct {
		Iss string `json:"iss"`
		Iat int64  `json:"iat"`
	}
	hb, err1 := enc.DecodeString(parts[0])
	cb, err2 := enc.DecodeString(parts[1])
	sig, err3 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || json.Unmarshal(hb, &header) != nil || json.Unmarshal(cb, &claims) != nil {
		return notifyError("Invalid token: not a JWT")
	}
	if header.Alg != "HS256" {
		return notifyError("Invalid token: algorithm must be HS256")
	}
	if claims.Iss != ServiceID {
		return notifyError("Invalid token: service not found")
	}
	mac := hmac.New(sha256.New, []byte(Secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return notifyError("Invalid token: signature")
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if d := now().Unix() - claims.Iat; d > 30 || d < -30 {
		return notifyError("Error: Your system clock must be accurate to within 30 seconds")
	}
	return nil
}

// notifyError is an error in GOV.UK Notify's words, which begin with a
// capital.
type notifyError string

func (e notifyError) Error() string { return string(e) }
