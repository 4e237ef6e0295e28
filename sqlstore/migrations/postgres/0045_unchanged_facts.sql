-- Every contact, connection and case recorded works a referral's facts
-- out again (referral_facts, migrations 35 to 37), and most of those
-- updates change nothing the dashboard or the equity table counts: a
-- contact booked, a call not answered. Building a city of 20,000 people
-- spent 41 of its 260 seconds in the equity trigger alone, called 270,000
-- times to find, nearly every time, that nothing it counts had moved.
--
-- An update that changes nothing is now skipped (PostgreSQL's own
-- suppress_redundant_updates_trigger, run after the BEFORE triggers that
-- fill the row's worked-out columns, hence the name), and the equity
-- counts are moved only when a column they are counted by changes. The
-- counting is otherwise as it was.

CREATE TRIGGER zz_referral_facts_unchanged BEFORE UPDATE ON referral_facts
    FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();

DROP TRIGGER referral_facts_equity ON referral_facts;
CREATE TRIGGER referral_facts_equity AFTER INSERT OR DELETE ON referral_facts
    FOR EACH ROW EXECUTE FUNCTION referral_facts_equity();
-- The columns equity_count and the trigger's own test read.
CREATE TRIGGER referral_facts_equity_update AFTER UPDATE ON referral_facts
    FOR EACH ROW WHEN ((OLD.service_org_id, OLD.month, OLD.pathway, OLD.ethnicity, OLD.gender, OLD.imd_decile, OLD.received_at, OLD.person_dob,
            OLD.case_id IS NULL, OLD.sessions > 0, OLD.case_status, OLD.closure_reason)
        IS DISTINCT FROM (NEW.service_org_id, NEW.month, NEW.pathway, NEW.ethnicity, NEW.gender, NEW.imd_decile, NEW.received_at, NEW.person_dob,
            NEW.case_id IS NULL, NEW.sessions > 0, NEW.case_status, NEW.closure_reason))
    EXECUTE FUNCTION referral_facts_equity();
