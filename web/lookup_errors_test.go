package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/web"
)

// brokenOrganisations cannot read an organisation by its id.
type brokenOrganisations struct{ linkwork.OrganisationService }

func (brokenOrganisations) FindOrganisationByID(context.Context, string) (*linkwork.Organisation, error) {
	return nil, linkwork.Internal(errors.New("the organisations store fell over"))
}

// brokenSettings cannot read a service's settings.
type brokenSettings struct{ linkwork.TriageService }

func (brokenSettings) ServiceSettings(context.Context, string) (*linkwork.ServiceSettings, error) {
	return nil, linkwork.Internal(errors.New("the settings store fell over"))
}

// TestALookupThatFailsIsNeverPassedOverInSilence: a part of a page that
// cannot be read fails the request, or, where the page or answer must go
// on without it, is logged with the request's route.
func TestALookupThatFailsIsNeverPassedOverInSilence(t *testing.T) {
	f := sqliteFixture(t)
	coord := f.users[linkwork.RoleCoordinator]
	refs, _, err := f.services.Referrals.FindReferrals(linkwork.NewContext(context.Background(), coord.Actor()), linkwork.ReferralFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	referred := ""
	for _, r := range refs {
		if r.ReferrerOrgID != "" && referred == "" {
			referred = r.ID
		}
	}
	if referred == "" {
		t.Fatal("the demo city has no referral from an organisation")
	}
	base, _ := url.Parse(f.ts.URL)
	tests := []struct {
		name   string
		broken func(*web.Services)
		role   linkwork.Role
		method string
		path   string
		body   string
		status int
		log    string // what the log must say
	}{
		{"the referral page fails when its referrer's organisation cannot be read", func(s *web.Services) { s.Organisations = brokenOrganisations{s.Organisations} },
			linkwork.RoleLinkWorker, "GET", "/referrals/" + referred, "", http.StatusInternalServerError, `msg="internal error" method=GET route=/referrals/{id}`},
		{"the home page shows without its organisation's name, and says why in the log", func(s *web.Services) { s.Organisations = brokenOrganisations{s.Organisations} },
			linkwork.RoleCoordinator, "GET", "/", "", http.StatusOK, `msg="shown without the user's organisation" method=GET route=/{$} code=internal`},
		{"a public referral is taken without the service's own crisis advice, and the log says why", func(s *web.Services) { s.Triage = brokenSettings{s.Triage} },
			anonymous, "POST", "/api/v1/public/referrals", publicBody(coord.OrgID, "self", map[string]any{"given_name": "Advised"}, nil), http.StatusCreated,
			`msg="shown without the service's crisis advice" method=POST route=/api/v1/public/referrals code=internal`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log logBuffer
			svc := f.services
			tt.broken(&svc)
			srv, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(&log, nil))}, svc)
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tt.role != anonymous {
				for _, c := range f.clients[tt.role].Jar.Cookies(base) {
					req.AddCookie(c)
				}
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tt.status, w.Body.String())
			}
			if got := log.String(); !strings.Contains(got, tt.log) {
				t.Fatalf("the log does not say %s:\n%s", tt.log, got)
			}
			if tt.status == http.StatusCreated {
				var ans struct {
					CrisisAdvice string `json:"crisis_advice"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil || ans.CrisisAdvice != linkwork.DefaultCrisisAdvice {
					t.Errorf("crisis advice %q (%v), want the default", ans.CrisisAdvice, err)
				}
			}
		})
	}
}
