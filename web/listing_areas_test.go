package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// A listing placed only by the areas it serves (as a feed may describe a
// service) says so on its page and in the directory, is published as a
// valid ORUK service with its areas and no service at a location, and a
// search by a postcode it covers finds it.
func TestListingPlacedByItsAreas(t *testing.T) {
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
		a := &linkwork.Asset{Name: "Zzyzx benefits advice by phone", Description: "Advice on benefits, by phone.",
			Categories: []linkwork.Category{linkwork.CategoryWellbeing}, Status: linkwork.AssetActive,
			HowToJoin: linkwork.JoinSelfRefer, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting},
			ServiceAreas: []string{"LS6", "LS7"}}
		if err := f.services.Assets.CreateAsset(ctx, a); err != nil {
			t.Fatal(err)
		}
		status, body, _ := f.do(nil, "GET", "/directory/"+a.ID, "", "", nil)
		if status != 200 || !strings.Contains(body, "Across the areas it serves: LS6, LS7") {
			t.Errorf("its page: %d, without its areas where it happens", status)
		}
		status, body, _ = f.do(nil, "GET", "/directory?"+url.Values{"q": {"zzyzx"}}.Encode(), "", "", nil)
		if status != 200 || !strings.Contains(body, "Across LS6, LS7") || strings.Contains(body, "Online ·") {
			t.Errorf("the directory: %d, without its areas", status)
		}
		if status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/directory/"+a.ID+"/edit", "", "", nil); status != 200 || !strings.Contains(body, "LS6, LS7") {
			t.Errorf("its edit page: %d", status)
		}
		status, sv := orukGet(t, f.ts.URL, "/oruk/services/"+a.ID)
		if status != 200 {
			t.Fatal(status)
		}
		if err := v.ValidateService(sv); err != nil {
			t.Error(err)
		}
		var s oruk.Service
		if err := json.Unmarshal(sv, &s); err != nil || len(s.ServiceAreas) != 2 || len(s.ServiceAtLocations) != 0 {
			t.Errorf("published with %d areas, %d services at locations (%v)", len(s.ServiceAreas), len(s.ServiceAtLocations), err)
		}
		list, _, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{Near: &linkwork.Point{Lat: 53.82, Lon: -1.578}, Reaching: []string{"LS6 1AA", "LS6", "LS"}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, m := range list {
			found = found || m.Asset.ID == a.ID
		}
		if !found {
			t.Error("a search covering LS6 does not find it")
		}
	})
}
