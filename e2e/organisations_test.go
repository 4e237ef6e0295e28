package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestAnAdministratorSetsWhoFundsTheService adds a new commissioner, opens
// the service's organisation from the list, is told what is missing when
// the name is cleared, and saves the new commissioner as its funder: the
// service now belongs to it, with every other detail kept.
func TestAnAdministratorSetsWhoFundsTheService(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleAdmin)
	tb := newTab(t, s.URL)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	service := s.user(t, login.Email).OrgID
	before, err := s.svc.Organisations.FindOrganisationByID(systemCtx(), service)
	if err != nil {
		t.Fatal(err)
	}

	tb.open("/admin/organisations")
	tb.run("add the new commissioner",
		chromedp.SendKeys(chromedp.CSS("#name"), "Millbrook Public Health"),
		chromedp.SetValue(chromedp.CSS("#kind"), string(linkwork.OrgCommissioner)),
		chromedp.Click(chromedp.CSS(`form[action="/admin/organisations"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner--success")))
	list, _, err := s.svc.Organisations.FindOrganisations(systemCtx(), linkwork.OrganisationFilter{Kind: linkwork.OrgCommissioner, Query: "Millbrook Public Health", Limit: 5})
	if err != nil || len(list) != 1 {
		t.Fatalf("the new commissioner: %d found, %v", len(list), err)
	}
	funder := list[0]

	// The list links each organisation to its page.
	tb.run("open an organisation from the list",
		chromedp.Click(chromedp.CSS(`[data-testid=organisations] tbody tr:first-child a`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=organisation-form]")))
	tb.open("/admin/organisations/" + service)
	if got := tb.text("label[for=parent_id]"); got != "Funded by (commissioner)" {
		t.Errorf("the service's parent is labelled %q", got)
	}
	tb.expectStatus("/admin/organisations/"+service, 422)
	tb.run("clear the name and save",
		chromedp.Clear(chromedp.CSS("#name")),
		chromedp.Click(chromedp.CSS(`[data-testid=organisation-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "Enter the organisation's name") {
		t.Errorf("the error summary says %q", got)
	}
	tb.run("name it again and choose the new commissioner",
		fill("name", before.Name),
		chromedp.SetValue(chromedp.CSS("#parent_id"), funder.ID),
		chromedp.Click(chromedp.CSS(`[data-testid=organisation-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner--success")))
	after, err := s.svc.Organisations.FindOrganisationByID(systemCtx(), service)
	if err != nil {
		t.Fatal(err)
	}
	if after.ParentID != funder.ID || after.Name != before.Name || after.Postcode != before.Postcode || after.Kind != before.Kind {
		t.Errorf("the service is now %+v; it was %+v, to be funded by %s", after, before, funder.ID)
	}
}
