package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestTheCasePageOnAPhone: the case page is long on a phone, so it opens
// with a list of its parts, each a link to a part the page has; and the
// closing form stays folded until the case is ending or a review has just
// decided to close it.
func TestTheCasePageOnAPhone(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := func(r linkwork.Role) context.Context {
			return linkwork.NewContext(context.Background(), f.users[r].Actor())
		}
		caseID := f.acceptedCase(t, "Ash", "Contents", 15, "07700 900112")
		page := func(query string) string {
			t.Helper()
			status, body, _ := f.do(f.clients[linkwork.RoleLinkWorker], "GET", "/cases/"+caseID+query, "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("the case page: %d", status)
			}
			return body
		}
		closeFolded := func(body string) bool {
			t.Helper()
			m := regexp.MustCompile(`<details[^>]*data-testid="close-details"[^>]*>`).FindString(body)
			if m == "" {
				t.Fatal("no closing form to unfold")
			}
			return !strings.Contains(m, " open")
		}

		body := page("")
		contents := regexp.MustCompile(`(?s)<nav class="lw-contents"[^>]*data-testid="case-contents">(.*?)</nav>`).FindStringSubmatch(body)
		if contents == nil {
			t.Fatal("the case page has no list of its parts")
		}
		links := regexp.MustCompile(`href="#([a-z-]+)"`).FindAllStringSubmatch(contents[1], -1)
		if len(links) < 6 {
			t.Errorf("the list of parts has %d links: %s", len(links), contents[1])
		}
		for _, l := range links {
			if !strings.Contains(body, `id="`+l[1]+`"`) {
				t.Errorf("the list of parts links to #%s, which the page does not have", l[1])
			}
		}
		if !closeFolded(body) {
			t.Error("the closing form is unfolded on an active case")
		}
		if closeFolded(page("?done=review-close")) {
			t.Error("after a review decided to close, the closing form is folded")
		}
		c, err := f.services.Cases.FindCaseByID(ctx(linkwork.RoleLinkWorker), caseID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.services.Cases.PlanEnding(ctx(linkwork.RoleLinkWorker), c.ID, c.Version, "Two more sessions"); err != nil {
			t.Fatal(err)
		}
		if closeFolded(page("")) {
			t.Error("the closing form is folded on an ending case")
		}
	})
}
