-- Safety at the front door.
--
-- Every referral answers two screening questions (is the person safe now;
-- have they thought about harming themselves or ending their life) and is
-- screened for risk phrases. A possible risk is flagged for review today
-- (risk_state = 'review_today') until a triager records what was done or
-- why it is not a risk. Flagged referrals lead the triage queue: the open
-- indexes carry the state, and a small index holds the flagged ones.
--
-- person_given keeps the person as the referral gave them (JSON), so that
-- a referrer sees what they sent, never a record the service later linked
-- the referral to. Existing referrals take their person's record as it is.
ALTER TABLE referrals ADD COLUMN safe_now TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN harm_thoughts TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN risk_state TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN risk_matched TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN risk_note TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN risk_decided_by TEXT NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN risk_decided_at TIMESTAMPTZ;
ALTER TABLE referrals ADD COLUMN person_given TEXT;

UPDATE referrals SET person_given = (
    SELECT json_build_object(
        'given_name', p.given_name, 'family_name', p.family_name, 'preferred_name', p.preferred_name, 'pronouns', p.pronouns,
        'date_of_birth', COALESCE(to_char(p.date_of_birth, 'YYYY-MM-DD'), ''), 'gender', p.gender, 'ethnicity', p.ethnicity,
        'address', p.address, 'postcode', p.postcode, 'phone', p.phone, 'email', p.email,
        'contact_channels', p.contact_channels, 'safe_to_leave_message', p.safe_to_leave_message,
        'contact_via', p.contact_via, 'best_times', p.best_times, 'contact_notes', p.contact_notes,
        'school_or_work', p.school_or_work, 'languages', p.languages,
        'needs_interpreter', p.needs_interpreter, 'accessibility_needs', p.accessibility_needs,
        'guardians', COALESCE((SELECT json_agg(json_build_object('name', g.name, 'relationship', g.relationship, 'phone', g.phone, 'email', g.email,
                'has_parental_responsibility', g.has_parental_responsibility, 'involvement', g.involvement) ORDER BY g.position)
            FROM guardians g WHERE g.person_id = p.id), '[]'::json))::text
    FROM people p WHERE p.id = referrals.person_id);

DROP INDEX referrals_open;
CREATE INDEX referrals_open ON referrals (service_org_id, received_at, id, status, defer_until, streetlight, returned_at, risk_state)
    WHERE status IN ('received', 'triage', 'deferred');
DROP INDEX referrals_open_dob;
CREATE INDEX referrals_open_dob ON referrals (service_org_id, person_dob, status, defer_until, received_at, id, risk_state)
    WHERE status IN ('received', 'triage', 'deferred');
CREATE INDEX referrals_risk_review ON referrals (service_org_id, received_at, id)
    WHERE risk_state = 'review_today' AND status IN ('received', 'triage', 'deferred');
