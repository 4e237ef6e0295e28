package web_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/sqlstore/sqlweb"
	"github.com/linkwork/linkwork/web"
)

// A listing imported from a feed is published by /oruk/services/{id}, and
// in full pages of /oruk/services, as the export writes it: the feed's
// service, its ids, last_modified and fields linkwork does not model
// included.
func TestORUKServicePublishesWhatTheExportDoes(t *testing.T) {
	feed, err := os.ReadFile(filepath.Join("..", "orukio", "testdata", "oruk-examples", "service_full.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := linkwork.NewContext(t.Context(), linkwork.SystemActor("test"))
		svc := sqlweb.Services(db)
		st := orukio.Store{Assets: svc.Assets, Orgs: svc.Organisations, Atomically: db.Atomically, Docs: svc.ORUKDocuments}
		services, err := orukio.ReadServices(bytes.NewReader(feed))
		if err != nil {
			t.Fatal(err)
		}
		if res, err := orukio.Import(ctx, st, services, linkwork.CategoryWellbeing); err != nil || res.Created != 1 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		exported, err := orukio.Export(ctx, st)
		if err != nil || len(exported) != 1 {
			t.Fatalf("export: %d services, %v", len(exported), err)
		}
		if exported[0].LastModified != "2023-03-15T10:30:45.123Z" || len(exported[0].Funding) != 1 {
			t.Fatalf("the export is not the feed's service: last_modified %q, %d funding", exported[0].LastModified, len(exported[0].Funding))
		}
		want, err := json.Marshal(exported[0])
		if err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(web.Config{LoginPerMinute: 1000, Logger: quietLogger()}, svc)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)

		status, body := orukGet(t, ts.URL, "/oruk/services/"+exported[0].ID)
		if status != 200 || !bytes.Equal(bytes.TrimSpace(body), want) {
			t.Errorf("GET /oruk/services/{id}: %d\n%s\nwant\n%s", status, body, want)
		}
		if err := v.Validate(oruk.EndpointService, body); err != nil {
			t.Error(err)
		}
		status, body = orukGet(t, ts.URL, "/oruk/services?full=true")
		var page orukPageJSON
		if err := json.Unmarshal(body, &page); status != 200 || err != nil || len(page.Contents) != 1 {
			t.Fatalf("GET /oruk/services?full=true: %d, %v: %s", status, err, body)
		}
		if !bytes.Equal(page.Contents[0], want) {
			t.Errorf("a full page carries\n%s\nwant\n%s", page.Contents[0], want)
		}
		// minimal=true says when each service changed as the service does.
		status, body = orukGet(t, ts.URL, "/oruk/services?minimal=true")
		var minimal []struct {
			ID           string `json:"id"`
			LastModified string `json:"last_modified"`
		}
		if err := json.Unmarshal(body, &minimal); status != 200 || err != nil || len(minimal) != 1 {
			t.Fatalf("GET /oruk/services?minimal=true: %d, %v: %s", status, err, body)
		}
		if minimal[0].ID != exported[0].ID || minimal[0].LastModified != exported[0].LastModified {
			t.Errorf("minimal=true lists %+v, the service is %s last modified %s", minimal[0], exported[0].ID, exported[0].LastModified)
		}
	})
}
