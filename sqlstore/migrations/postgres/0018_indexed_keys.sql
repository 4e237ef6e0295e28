-- Keys and indexes so that no page's cost grows with the whole database.
--
-- Keys that find a new referral's person among the people the service
-- already holds (possible duplicates) by index, not by reading every
-- person the service holds inside the write transaction.
--
-- dup_name_dob is the name, lower cased, and the date of birth (NULL
-- without one); dup_email the email address, lower cased (NULL without
-- one). Lower casing is done in Go (SQLite's lower() folds only ASCII
-- letters), by every writer of people and, for the people already held,
-- by this migration's step in migrate.go. The phone number matches
-- exactly, so it is its own key.
ALTER TABLE people ADD COLUMN dup_name_dob TEXT;
ALTER TABLE people ADD COLUMN dup_email TEXT;
CREATE INDEX people_dup_name_dob ON people (service_org_id, dup_name_dob, created_at) WHERE dup_name_dob IS NOT NULL;
CREATE INDEX people_dup_email ON people (service_org_id, dup_email, created_at) WHERE dup_email IS NOT NULL;
CREATE INDEX people_dup_phone ON people (service_org_id, phone, created_at);

-- A service's connections, newest first, found by index: each records the
-- service of its case (which never changes), rather than every connection
-- in the database being asked whether its case is the service's.
ALTER TABLE connections ADD COLUMN service_org_id TEXT;
UPDATE connections SET service_org_id = (SELECT k.service_org_id FROM cases k WHERE k.id = connections.case_id);
CREATE INDEX connections_service_created ON connections (service_org_id, created_at, id);

-- A referrer's home page counts their organisation's referrals by status
-- from the index alone, rather than reading each of the organisation's
-- referrals for its status.
CREATE INDEX referrals_referrer_status ON referrals (referrer_org_id, status);
