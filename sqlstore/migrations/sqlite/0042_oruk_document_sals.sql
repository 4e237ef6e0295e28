-- The service-at-location ids of each kept feed document: a feed's
-- service may list places linkwork does not hold as locations (one with
-- no postcode, say), and GET /oruk/service_at_locations/{id} must answer
-- to every id GET /oruk/services/{id} publishes. Kept with the document
-- (sqlstore/oruk_documents.go); filled here from those kept already.
CREATE TABLE oruk_document_sals (
    sal_id    TEXT NOT NULL,
    asset_id  TEXT NOT NULL REFERENCES oruk_documents (asset_id) ON DELETE CASCADE,
    PRIMARY KEY (sal_id, asset_id)
);
CREATE INDEX oruk_document_sals_asset ON oruk_document_sals (asset_id);
INSERT INTO oruk_document_sals (sal_id, asset_id)
SELECT DISTINCT lower(json_extract(j.value, '$.id')), d.asset_id
FROM oruk_documents d, json_each(d.received, '$.service_at_locations') j
WHERE json_valid(d.received) AND json_type(j.value, '$.id') = 'text';
