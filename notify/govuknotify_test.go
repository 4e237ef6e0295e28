package notify_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkwork/linkwork/notify"
	"github.com/linkwork/linkwork/notify/notifytest"
)

func TestParseNotifyKeyTakesTheServiceAndSecretFromTheEnd(t *testing.T) {
	for _, tc := range []struct {
		name, key string
		ok        bool
	}{
		{"a key with a dashed name", "my-test-key-" + notifytest.ServiceID + "-" + notifytest.Secret, true},
		{"the fake's key", notifytest.APIKey, true},
		{"surrounding space is dropped", " " + notifytest.APIKey + "\n", true},
		{"too short", "key-" + notifytest.Secret, false},
		{"not UUIDs", "key-" + strings.Repeat("x", 36) + "-" + strings.Repeat("y", 36), false},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id, secret, err := notify.ParseNotifyKey(tc.key)
			if tc.ok != (err == nil) {
				t.Fatalf("err = %v", err)
			}
			if tc.ok && (id != notifytest.ServiceID || secret != notifytest.Secret) {
				t.Fatalf("service %q secret %q", id, secret)
			}
		})
	}
}

func FuzzParseNotifyKey(f *testing.F) {
	f.Add(notifytest.APIKey)
	f.Add("x-" + notifytest.Secret)
	f.Fuzz(func(t *testing.T, key string) {
		id, secret, err := notify.ParseNotifyKey(key)
		if err == nil && (len(id) != 36 || len(secret) != 36 || !strings.HasSuffix(strings.TrimSpace(key), id+"-"+secret)) {
			t.Fatalf("%q gave service %q secret %q", key, id, secret)
		}
	})
}

func TestNotifyConfigNamesTheSettingAtFault(t *testing.T) {
	good := notify.NotifyConfig{APIKey: notifytest.APIKey, SMSTemplate: notifytest.SMSTemplate}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		change  func(*notify.NotifyConfig)
		setting string
	}{
		{"bad key", func(c *notify.NotifyConfig) { c.APIKey = "secret" }, "notify-api-key"},
		{"no text template", func(c *notify.NotifyConfig) { c.SMSTemplate = "" }, "notify-sms-template"},
		{"bad email template", func(c *notify.NotifyConfig) { c.EmailTemplate = "welcome" }, "notify-email-template"},
		{"bad address", func(c *notify.NotifyConfig) { c.BaseURL = "api.notifications.service.gov.uk" }, "notify-url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.change(&c)
			err := c.Validate()
			ce, ok := err.(*notify.ConfigError)
			if !ok || ce.Setting != tc.setting {
				t.Fatalf("err = %v, want setting %s", err, tc.setting)
			}
		})
	}
}

func TestNotifySendsWithASignedToken(t *testing.T) {
	fake := notifytest.New(t)
	n, err := notify.NewNotify(notify.NotifyConfig{APIKey: notifytest.APIKey, BaseURL: fake.URL, SMSTemplate: notifytest.SMSTemplate, EmailTemplate: notifytest.EmailTemplate})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := n.SendSMS(ctx, "07700 900123", "Reminder", "See you on Tuesday")
	if err != nil || id == "" {
		t.Fatalf("sms: %q, %v", id, err)
	}
	if _, err := n.SendEmail(ctx, "ade@example.org", "Reminder", "See you on Tuesday"); err != nil {
		t.Fatal(err)
	}
	got := fake.Messages()
	if len(got) != 2 || got[0].To != "07700 900123" || got[0].Personalisation["subject"] != "Reminder" || got[1].Type != "email" {
		t.Fatalf("fake got %+v", got)
	}

	t.Run("a token from a clock that is out refuses", func(t *testing.T) {
		n.Now = func() time.Time { return time.Now().Add(-2 * time.Minute) }
		defer func() { n.Now = nil }()
		if _, err := n.SendSMS(ctx, "07700 900123", "s", "b"); err == nil || !strings.Contains(err.Error(), "403") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a wrong secret refuses", func(t *testing.T) {
		other, _ := notify.NewNotify(notify.NotifyConfig{APIKey: "k-" + notifytest.ServiceID + "-" + notifytest.SMSTemplate, BaseURL: fake.URL, SMSTemplate: notifytest.SMSTemplate})
		if _, err := other.SendSMS(ctx, "07700 900123", "s", "b"); err == nil || !strings.Contains(err.Error(), "signature") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a server error is an error", func(t *testing.T) {
		fake.Fail(http.StatusInternalServerError)
		defer fake.Fail(0)
		if _, err := n.SendSMS(ctx, "07700 900123", "s", "b"); err == nil || !strings.Contains(err.Error(), "500") {
			t.Fatalf("err = %v", err)
		}
	})
	if n := len(fake.Messages()); n != 2 {
		t.Fatalf("fake kept %d messages, want 2", n)
	}
}
