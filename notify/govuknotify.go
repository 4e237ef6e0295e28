package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultNotifyURL is GOV.UK Notify's API.
const DefaultNotifyURL = "https://api.notifications.service.gov.uk"

// NotifyConfig says how to reach GOV.UK Notify: the API key (its name,
// the service id and the secret, as Notify shows it), the templates
// that messages fill (each with ((subject)) and ((body)) placeholders;
// an email template is optional), and the API's address.
type NotifyConfig struct {
	APIKey        string
	BaseURL       string // default DefaultNotifyURL
	SMSTemplate   string
	EmailTemplate string
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ParseNotifyKey splits a Notify API key, {key_name}-{service_id}-{secret},
// into the service id (the JWT's issuer) and the secret it is signed
// with: the last 36 characters are the secret, the 36 before them (and
// a dash) the service id.
func ParseNotifyKey(key string) (serviceID, secret string, err error) {
	key = strings.TrimSpace(key)
	if len(key) < 74 || key[len(key)-37] != '-' {
		return "", "", errors.New("a GOV.UK Notify API key is the key's name, the service id and the secret, joined by dashes: this is too short")
	}
	secret, serviceID = key[len(key)-36:], key[len(key)-73:len(key)-37]
	if !uuidPattern.MatchString(secret) || !uuidPattern.MatchString(serviceID) {
		return "", "", errors.New("a GOV.UK Notify API key ends in the service id and the secret, two UUIDs: this one does not")
	}
	return serviceID, secret, nil
}

// Validate reports the first problem with the configuration as a
// *ConfigError: setting "notify-api-key", "notify-url",
// "notify-sms-template" or "notify-email-template".
func (c NotifyConfig) Validate() error {
	if _, _, err := ParseNotifyKey(c.APIKey); err != nil {
		return &ConfigError{"notify-api-key", err.Error()}
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "https://") && !strings.HasPrefix(c.BaseURL, "http://") {
		return &ConfigError{"notify-url", fmt.Sprintf("GOV.UK Notify's address %q is not a web address, like %s", c.BaseURL, DefaultNotifyURL)}
	}
	if !uuidPattern.MatchString(c.SMSTemplate) {
		return &ConfigError{"notify-sms-template", "the text message template's id is required: a UUID from the template's page in GOV.UK Notify"}
	}
	if c.EmailTemplate != "" && !uuidPattern.MatchString(c.EmailTemplate) {
		return &ConfigError{"notify-email-template", "the email template's id must be a UUID from the template's page in GOV.UK Notify"}
	}
	return nil
}

// Notify sends text messages and emails through GOV.UK Notify.
type Notify struct {
	cfg       NotifyConfig
	serviceID string
	secret    string

	// Client makes the requests. Default one with a 30 second timeout.
	Client *http.Client
	// Now stamps the tokens. Default time.Now.
	Now func() time.Time
}

// NewNotify returns a client for the configuration, or what is wrong
// with it.
func NewNotify(cfg NotifyConfig) (*Notify, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultNotifyURL
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	id, secret, _ := ParseNotifyKey(cfg.APIKey)
	return &Notify{cfg: cfg, serviceID: id, secret: secret}, nil
}

// CanEmail reports whether an email template is configured.
func (n *Notify) CanEmail() bool { return n.cfg.EmailTemplate != "" }

// Token is the bearer token for a request: a JWT signed with HS256,
// its issuer the service id, issued now.
func Token(serviceID, secret string, now time.Time) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256"}`))
	claims := enc.EncodeToString([]byte(`{"iss":` + strconv.Quote(serviceID) + `,"iat":` + strconv.FormatInt(now.Unix(), 10) + `}`))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(header + "." + claims))
	return header + "." + claims + "." + enc.EncodeToString(mac.Sum(nil))
}

// SendSMS sends a text message to phone, filling the text template's
// ((subject)) and ((body)), and returns Notify's id for it.
func (n *Notify) SendSMS(ctx context.Context, phone, subject, body string) (string, error) {
	return n.post(ctx, "/v2/notifications/sms", map[string]any{
		"phone_number": phone, "template_id": n.cfg.SMSTemplate,
		"personalisation": map[string]string{"subject": subject, "body": body},
	})
}

// SendEmail sends an email to address through the email template.
func (n *Notify) SendEmail(ctx context.Context, address, subject, body string) (string, error) {
	if !n.CanEmail() {
		return "", errors.New("no GOV.UK Notify email template is configured")
	}
	return n.post(ctx, "/v2/notifications/email", map[string]any{
		"email_address": address, "template_id": n.cfg.EmailTemplate,
		"personalisation": map[string]string{"subject": subject, "body": body},
	})
}

func (n *Notify) post(ctx context.Context, path string, payload any) (string, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.cfg.BaseURL+path, bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	now := time.Now
	if n.Now != nil {
		now = n.Now
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+Token(n.serviceID, n.secret, now()))
	req.Header.Set("User-Agent", "linkwork")
	client := n.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	res, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("GOV.UK Notify: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
		var e struct {
			Errors []struct {
				Error   string `json:"error"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		msg := http.StatusText(res.StatusCode)
		if json.Unmarshal(body, &e) == nil && len(e.Errors) > 0 {
			msg = e.Errors[0].Error + ": " + e.Errors[0].Message
		}
		return "", fmt.Errorf("GOV.UK Notify answered %d: %s", res.StatusCode, msg)
	}
	var ok struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &ok); err != nil || ok.ID == "" {
		return "", fmt.Errorf("GOV.UK Notify answered %d without a notification id", res.StatusCode)
	}
	return ok.ID, nil
}
