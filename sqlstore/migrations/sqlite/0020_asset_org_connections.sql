-- An organisation's live hand-overs ("People referred to us"), newest
-- first, found by index: each connection records the organisation that
-- runs its activity (kept in step when a listing changes hands), rather
-- than every connection to each of the organisation's listings being
-- read, joined and sorted for a page of them. The index holds only the
-- connections that show an organisation a person (auth.Scope.AssetOrgID):
-- a hand-over level, and a live status, written as literals so that the
-- planners can prove the index applies.
ALTER TABLE connections ADD COLUMN asset_org_id TEXT;
UPDATE connections SET asset_org_id = (SELECT a.org_id FROM assets a WHERE a.id = connections.asset_id);
CREATE INDEX connections_asset_org_live ON connections (asset_org_id, created_at, id)
    WHERE level IN ('refer', 'buddy', 'phased') AND status IN ('contacted', 'accepted', 'attended', 'continuing');
