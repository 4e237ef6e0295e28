-- Indexes for the counts on home pages and reports at national scale
-- (a service with a million referrals): by pathway and by status across
-- the service, the red and amber referrals still open, deferrals due
-- back, and the directory's listings by status and verify-by date. Each
-- lets a count read an index alone.
CREATE INDEX referrals_pathway ON referrals (pathway);
CREATE INDEX referrals_status ON referrals (status);
CREATE INDEX referrals_service_light ON referrals (service_org_id, streetlight, status);
CREATE INDEX referrals_service_defer ON referrals (service_org_id, status, defer_until);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX assets_status_verify ON assets (status, verify_by);
