package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// ORUKDocumentService keeps the Open Referral UK documents of imported
// listings (oruk_documents, migration 39).
type ORUKDocumentService struct{ db *DB }

// NewORUKDocumentService returns the ORUK document service over db.
func NewORUKDocumentService(db *DB) *ORUKDocumentService { return &ORUKDocumentService{db: db} }

var _ linkwork.ORUKDocumentService = (*ORUKDocumentService)(nil)

// KeepORUKDocument saves a listing's document, replacing any it had, for
// whoever may change the listing. A listing that does not exist is not
// found.
func (s *ORUKDocumentService) KeepORUKDocument(ctx context.Context, d *linkwork.ORUKDocument) error {
	if len(d.Received) == 0 || len(d.Baseline) == 0 {
		return linkwork.Errorf(linkwork.EINVALID, "An ORUK document needs the service as received and its baseline")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		a, err := tx.findAsset(d.AssetID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(a)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can only change your own organisation's listings")
		}
		if _, err := tx.exec(`INSERT INTO oruk_documents (asset_id, received, baseline, kept_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (asset_id) DO UPDATE SET received = excluded.received, baseline = excluded.baseline, kept_at = excluded.kept_at`,
			a.ID, string(d.Received), string(d.Baseline), tx.now); err != nil {
			return err
		}
		// The service-at-location ids the document publishes
		// (oruk_document_sals), for GET /oruk/service_at_locations/{id}.
		if _, err := tx.exec("DELETE FROM oruk_document_sals WHERE asset_id = ?", a.ID); err != nil {
			return err
		}
		for _, id := range documentSALIDs(d.Received) {
			if _, err := tx.exec("INSERT INTO oruk_document_sals (sal_id, asset_id) VALUES (?, ?)", id, a.ID); err != nil {
				return err
			}
		}
		return tx.audit("asset.oruk_document", auth.KindAsset, a.ID, "")
	})
}

// FindORUKDocuments returns the documents of the listings with these ids,
// by listing id, in one statement per 500 ids. Anyone may read them.
func (s *ORUKDocumentService) FindORUKDocuments(ctx context.Context, assetIDs []string) (map[string]*linkwork.ORUKDocument, error) {
	out := map[string]*linkwork.ORUKDocument{}
	if len(assetIDs) == 0 {
		return out, nil
	}
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		for start := 0; start < len(assetIDs); start += 500 {
			ids := assetIDs[start:min(start+500, len(assetIDs))]
			args := make([]any, len(ids))
			for i, id := range ids {
				args[i] = id
			}
			err := tx.eachRow("SELECT asset_id, received, baseline FROM oruk_documents WHERE asset_id IN ("+placeholders(len(ids))+")", args, func(row scanner) error {
				var d linkwork.ORUKDocument
				var received, baseline string
				if err := row.Scan(&d.AssetID, &received, &baseline); err != nil {
					return err
				}
				d.Received, d.Baseline = []byte(received), []byte(baseline)
				out[d.AssetID] = &d
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// unplacedSALs is the condition on oruk_document_sals (ds) of a service
// at a location no location of the listing answers to.
const unplacedSALs = "NOT EXISTS (SELECT 1 FROM asset_locations sl WHERE sl.sal_id = ds.sal_id AND sl.asset_id = ds.asset_id)"

// FindUnplacedSALs returns a page of the services at locations kept
// documents publish at places linkwork holds no location for, by listing
// and id (the index on the listing's id), and how many there are: a
// document's own ids, each looked up in the locations by the index on
// their ids.
func (s *ORUKDocumentService) FindUnplacedSALs(ctx context.Context, offset, limit int) ([]linkwork.UnplacedSAL, int, error) {
	var out []linkwork.UnplacedSAL
	total := 0
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		var err error
		if total, err = tx.count("SELECT COUNT(*) FROM oruk_document_sals ds WHERE " + unplacedSALs); err != nil || offset >= total || limit <= 0 {
			return err
		}
		return tx.eachRow("SELECT ds.sal_id, ds.asset_id FROM oruk_document_sals ds WHERE "+unplacedSALs+" ORDER BY ds.asset_id, ds.sal_id LIMIT ? OFFSET ?", []any{limit, offset}, func(row scanner) error {
			var u linkwork.UnplacedSAL
			err := row.Scan(&u.ID, &u.AssetID)
			out = append(out, u)
			return err
		})
	})
	return out, total, err
}

// documentSALIDs are the distinct ids, in lower case, of the services at
// locations of a kept document's service.
func documentSALIDs(received []byte) []string {
	var sv struct {
		SALs []struct {
			ID any `json:"id"`
		} `json:"service_at_locations"`
	}
	if json.Unmarshal(received, &sv) != nil {
		return nil
	}
	var out []string
	for _, sal := range sv.SALs {
		if id, ok := sal.ID.(string); ok && id != "" {
			if id = strings.ToLower(id); !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}
