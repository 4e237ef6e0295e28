-- The dashboard: a service's referrals received in a period, counted by
-- month, pathway and mode and by how far each went, read from one index
-- holding everything the counts group and filter by, without reading a
-- referral's row.
CREATE INDEX referrals_reports ON referrals (service_org_id, received_at, pathway, mode, status, person_dob, referrer_org_id, decided_at, id);

-- How far each referral's case went: its own row found by the referral,
-- with its status, closure and link worker in the index; whether any of
-- its connections went to (or dropped) an activity, and whether one was
-- ever moved to attended, each found by an index on the case, which also
-- holds each connection's level for the connections by level.
CREATE INDEX cases_referral_reports ON cases (referral_id, status, closure_reason, opened_at, link_worker_id, id);
CREATE INDEX connections_case_status ON connections (case_id, status, level);
CREATE INDEX connection_moves_case_status ON connection_moves (case_id, to_status);
