-- The dashboard's figures of activity: referrals by referring
-- organisation, GP practice and coded need; the waiting list's size at
-- the end of each month; sessions attended by mode and place; and
-- connections made by category and community organisation, with how many
-- the person went to and still goes to.
--
-- Each is kept as a count a service, figure, month and key, moved by
-- triggers whoever writes (the store or the bulk loader), so the
-- dashboard reads a few rows a month however many referrals a service
-- has had. Referrals and their coded needs are counted in the UK month
-- the referral came in, under its pathway; the waiting list as a change
-- a month (one on in the month a case opened, one off in the month it
-- was given a link worker or closed), which added up to a month gives
-- the people waiting at its end; sessions in the month they took place;
-- connections in the month they were made, under each category their
-- activity has (or '' for none). Keys are '' where a value is not
-- recorded; pathway is '' for the figures not counted by pathway.
CREATE TABLE report_tallies (
    service_org_id TEXT NOT NULL,
    figure         TEXT NOT NULL,
    month          TEXT NOT NULL,
    pathway        TEXT NOT NULL,
    key            TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, figure, month, pathway, key)
);

INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT service_org_id, 'referrer', to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), pathway, COALESCE(referrer_org_id, ''), COUNT(*) FROM referrals GROUP BY service_org_id, to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), pathway, COALESCE(referrer_org_id, '');
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT service_org_id, 'practice', to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), pathway, COALESCE(gp_practice_org_id, ''), COUNT(*) FROM referrals GROUP BY service_org_id, to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), pathway, COALESCE(gp_practice_org_id, '');
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT r.service_org_id, 'need', to_char(r.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), r.pathway, cn.domain, COUNT(*) FROM case_needs cn JOIN cases k ON k.id = cn.case_id JOIN referrals r ON r.id = k.referral_id GROUP BY r.service_org_id, to_char(r.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), r.pathway, cn.domain;
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT service_org_id, 'waiting', month, '', '', SUM(d) FROM (SELECT service_org_id, to_char(opened_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month, 1 AS d FROM cases UNION ALL SELECT service_org_id, to_char(COALESCE(allocated_at, closed_at, opened_at) AT TIME ZONE 'Europe/London', 'YYYY-MM'), -1 FROM cases WHERE status <> 'waiting') w GROUP BY service_org_id, month;
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT k.service_org_id, 'session_mode', to_char(c.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', c.mode, COUNT(*) FROM contacts c JOIN cases k ON k.id = c.case_id WHERE c.kind = 'session' AND c.outcome = 'attended' GROUP BY k.service_org_id, to_char(c.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), c.mode;
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT k.service_org_id, 'session_place', to_char(c.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', c.location_type, COUNT(*) FROM contacts c JOIN cases k ON k.id = c.case_id WHERE c.kind = 'session' AND c.outcome = 'attended' GROUP BY k.service_org_id, to_char(c.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), c.location_type;
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_org', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(n.asset_org_id, ''), COUNT(*) FROM connections n WHERE 1 = 1 GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), COALESCE(n.asset_org_id, '');
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(ac.category, ''), COUNT(*) FROM connections n LEFT JOIN asset_categories ac ON ac.asset_id = n.asset_id WHERE 1 = 1 GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), COALESCE(ac.category, '');
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_org_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(n.asset_org_id, ''), COUNT(*) FROM connections n WHERE (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id)) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), COALESCE(n.asset_org_id, '');
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(ac.category, ''), COUNT(*) FROM connections n LEFT JOIN asset_categories ac ON ac.asset_id = n.asset_id WHERE (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id)) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), COALESCE(ac.category, '');
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_org_going', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(n.asset_org_id, ''), COUNT(*) FROM connections n WHERE n.status = 'continuing' GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), COALESCE(n.asset_org_id, '');
INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
    SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_going', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(ac.category, ''), COUNT(*) FROM connections n LEFT JOIN asset_categories ac ON ac.asset_id = n.asset_id WHERE n.status = 'continuing' GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), COALESCE(ac.category, '');

CREATE FUNCTION referrals_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT OLD.service_org_id, 'referrer', to_char(OLD.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), OLD.pathway, COALESCE(OLD.referrer_org_id, ''), -1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT OLD.service_org_id, 'practice', to_char(OLD.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), OLD.pathway, COALESCE(OLD.gp_practice_org_id, ''), -1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT OLD.service_org_id, 'need', to_char(OLD.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), OLD.pathway, cn.domain, -1 FROM cases k JOIN case_needs cn ON cn.case_id = k.id WHERE k.referral_id = OLD.id
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    END IF;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT NEW.service_org_id, 'referrer', to_char(NEW.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), NEW.pathway, COALESCE(NEW.referrer_org_id, ''), 1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT NEW.service_org_id, 'practice', to_char(NEW.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), NEW.pathway, COALESCE(NEW.gp_practice_org_id, ''), 1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT NEW.service_org_id, 'need', to_char(NEW.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), NEW.pathway, cn.domain, 1 FROM cases k JOIN case_needs cn ON cn.case_id = k.id WHERE k.referral_id = NEW.id
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referrals_tallied AFTER INSERT OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION referrals_tallied();
CREATE TRIGGER referrals_tallied_update AFTER UPDATE OF service_org_id, received_at, pathway, referrer_org_id, gp_practice_org_id ON referrals
    FOR EACH ROW WHEN (OLD.service_org_id IS DISTINCT FROM NEW.service_org_id OR OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.pathway IS DISTINCT FROM NEW.pathway OR OLD.referrer_org_id IS DISTINCT FROM NEW.referrer_org_id OR OLD.gp_practice_org_id IS DISTINCT FROM NEW.gp_practice_org_id) EXECUTE FUNCTION referrals_tallied();
CREATE FUNCTION case_needs_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT rr.service_org_id, 'need', to_char(rr.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), rr.pathway, OLD.domain, -1 FROM cases k JOIN referrals rr ON rr.id = k.referral_id WHERE k.id = OLD.case_id
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    END IF;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT rr.service_org_id, 'need', to_char(rr.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), rr.pathway, NEW.domain, 1 FROM cases k JOIN referrals rr ON rr.id = k.referral_id WHERE k.id = NEW.case_id
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER case_needs_tallied AFTER INSERT OR DELETE ON case_needs
    FOR EACH ROW EXECUTE FUNCTION case_needs_tallied();
CREATE TRIGGER case_needs_tallied_update AFTER UPDATE OF case_id, domain ON case_needs
    FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.domain IS DISTINCT FROM NEW.domain) EXECUTE FUNCTION case_needs_tallied();
CREATE FUNCTION cases_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT OLD.service_org_id, 'waiting', to_char(OLD.opened_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT OLD.service_org_id, 'waiting', to_char(COALESCE(OLD.allocated_at, OLD.closed_at, OLD.opened_at) AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1 WHERE OLD.status <> 'waiting'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    END IF;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT NEW.service_org_id, 'waiting', to_char(NEW.opened_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT NEW.service_org_id, 'waiting', to_char(COALESCE(NEW.allocated_at, NEW.closed_at, NEW.opened_at) AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1 WHERE NEW.status <> 'waiting'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_tallied AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_tallied();
CREATE TRIGGER cases_tallied_update AFTER UPDATE OF service_org_id, status, opened_at, allocated_at, closed_at ON cases
    FOR EACH ROW WHEN (OLD.service_org_id IS DISTINCT FROM NEW.service_org_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.opened_at IS DISTINCT FROM NEW.opened_at OR OLD.allocated_at IS DISTINCT FROM NEW.allocated_at OR OLD.closed_at IS DISTINCT FROM NEW.closed_at) EXECUTE FUNCTION cases_tallied();
CREATE FUNCTION contacts_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT k.service_org_id, 'session_mode', to_char(OLD.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', OLD.mode, -1 FROM cases k WHERE k.id = OLD.case_id AND OLD.kind = 'session' AND OLD.outcome = 'attended'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT k.service_org_id, 'session_place', to_char(OLD.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', OLD.location_type, -1 FROM cases k WHERE k.id = OLD.case_id AND OLD.kind = 'session' AND OLD.outcome = 'attended'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    END IF;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT k.service_org_id, 'session_mode', to_char(NEW.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', NEW.mode, 1 FROM cases k WHERE k.id = NEW.case_id AND NEW.kind = 'session' AND NEW.outcome = 'attended'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT k.service_org_id, 'session_place', to_char(NEW.at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', NEW.location_type, 1 FROM cases k WHERE k.id = NEW.case_id AND NEW.kind = 'session' AND NEW.outcome = 'attended'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER contacts_tallied AFTER INSERT OR DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_tallied();
CREATE TRIGGER contacts_tallied_update AFTER UPDATE OF case_id, at, mode, location_type, outcome, kind ON contacts
    FOR EACH ROW WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.at IS DISTINCT FROM NEW.at OR OLD.mode IS DISTINCT FROM NEW.mode OR OLD.location_type IS DISTINCT FROM NEW.location_type OR OLD.outcome IS DISTINCT FROM NEW.outcome OR OLD.kind IS DISTINCT FROM NEW.kind) EXECUTE FUNCTION contacts_tallied();
CREATE FUNCTION connections_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_org', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(OLD.asset_org_id, ''), -1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_category', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, -1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id AND 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_category', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1 WHERE NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id) AND 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_org_went', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(OLD.asset_org_id, ''), -1 WHERE (OLD.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = OLD.case_id AND m.to_status = 'attended' AND m.connection_id = OLD.id))
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_category_went', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, -1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id AND (OLD.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = OLD.case_id AND m.to_status = 'attended' AND m.connection_id = OLD.id))
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_category_went', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1 WHERE NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id) AND (OLD.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = OLD.case_id AND m.to_status = 'attended' AND m.connection_id = OLD.id))
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_org_going', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(OLD.asset_org_id, ''), -1 WHERE OLD.status = 'continuing'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_category_going', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, -1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id AND OLD.status = 'continuing'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(OLD.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = OLD.case_id), ''), 'conn_category_going', to_char(OLD.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1 WHERE NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id) AND OLD.status = 'continuing'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    END IF;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_org', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(NEW.asset_org_id, ''), 1 WHERE 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_category', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id AND 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_category', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1 WHERE NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id) AND 1 = 1
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_org_went', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(NEW.asset_org_id, ''), 1 WHERE (NEW.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = NEW.case_id AND m.to_status = 'attended' AND m.connection_id = NEW.id))
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_category_went', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id AND (NEW.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = NEW.case_id AND m.to_status = 'attended' AND m.connection_id = NEW.id))
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_category_went', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1 WHERE NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id) AND (NEW.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = NEW.case_id AND m.to_status = 'attended' AND m.connection_id = NEW.id))
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_org_going', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(NEW.asset_org_id, ''), 1 WHERE NEW.status = 'continuing'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_category_going', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id AND NEW.status = 'continuing'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(NEW.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = NEW.case_id), ''), 'conn_category_going', to_char(NEW.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1 WHERE NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id) AND NEW.status = 'continuing'
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER connections_tallied AFTER INSERT OR DELETE ON connections
    FOR EACH ROW EXECUTE FUNCTION connections_tallied();
CREATE TRIGGER connections_tallied_update AFTER UPDATE OF service_org_id, case_id, asset_id, asset_org_id, status, created_at ON connections
    FOR EACH ROW WHEN (OLD.service_org_id IS DISTINCT FROM NEW.service_org_id OR OLD.case_id IS DISTINCT FROM NEW.case_id OR OLD.asset_id IS DISTINCT FROM NEW.asset_id OR OLD.asset_org_id IS DISTINCT FROM NEW.asset_org_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.created_at IS DISTINCT FROM NEW.created_at) EXECUTE FUNCTION connections_tallied();
CREATE FUNCTION connection_moves_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_org_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(n.asset_org_id, ''), -1 FROM connections n WHERE n.id = OLD.connection_id AND OLD.to_status = 'attended' AND n.status NOT IN ('attended', 'continuing') AND NOT EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id AND m.id <> OLD.id)
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, -1 FROM connections n JOIN asset_categories ac ON ac.asset_id = n.asset_id WHERE n.id = OLD.connection_id AND OLD.to_status = 'attended' AND n.status NOT IN ('attended', 'continuing') AND NOT EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id AND m.id <> OLD.id)
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1 FROM connections n WHERE n.id = OLD.connection_id AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = n.asset_id) AND OLD.to_status = 'attended' AND n.status NOT IN ('attended', 'continuing') AND NOT EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id AND m.id <> OLD.id)
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    END IF;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_org_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', COALESCE(n.asset_org_id, ''), 1 FROM connections n WHERE n.id = NEW.connection_id AND NEW.to_status = 'attended' AND n.status NOT IN ('attended', 'continuing') AND NOT EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id AND m.id <> NEW.id)
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', ac.category, 1 FROM connections n JOIN asset_categories ac ON ac.asset_id = n.asset_id WHERE n.id = NEW.connection_id AND NEW.to_status = 'attended' AND n.status NOT IN ('attended', 'continuing') AND NOT EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id AND m.id <> NEW.id)
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1 FROM connections n WHERE n.id = NEW.connection_id AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = n.asset_id) AND NEW.to_status = 'attended' AND n.status NOT IN ('attended', 'continuing') AND NOT EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id AND m.id <> NEW.id)
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER connection_moves_tallied AFTER INSERT OR DELETE ON connection_moves
    FOR EACH ROW EXECUTE FUNCTION connection_moves_tallied();
CREATE TRIGGER connection_moves_tallied_update AFTER UPDATE OF connection_id, to_status ON connection_moves
    FOR EACH ROW WHEN (OLD.connection_id IS DISTINCT FROM NEW.connection_id OR OLD.to_status IS DISTINCT FROM NEW.to_status) EXECUTE FUNCTION connection_moves_tallied();
CREATE FUNCTION asset_categories_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', OLD.category, -1*COUNT(*) FROM connections n WHERE n.asset_id = OLD.asset_id AND 1 = 1 GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1*COUNT(*) FROM connections n WHERE n.asset_id = OLD.asset_id AND 1 = 1 AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id AND ac.category <> OLD.category) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', OLD.category, -1*COUNT(*) FROM connections n WHERE n.asset_id = OLD.asset_id AND (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id)) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1*COUNT(*) FROM connections n WHERE n.asset_id = OLD.asset_id AND (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id)) AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id AND ac.category <> OLD.category) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_going', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', OLD.category, -1*COUNT(*) FROM connections n WHERE n.asset_id = OLD.asset_id AND n.status = 'continuing' GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_going', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', 1*COUNT(*) FROM connections n WHERE n.asset_id = OLD.asset_id AND n.status = 'continuing' AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = OLD.asset_id AND ac.category <> OLD.category) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
        IF TG_OP = 'DELETE' THEN
        RETURN NULL;
    END IF;
    END IF;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', NEW.category, 1*COUNT(*) FROM connections n WHERE n.asset_id = NEW.asset_id AND 1 = 1 GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1*COUNT(*) FROM connections n WHERE n.asset_id = NEW.asset_id AND 1 = 1 AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id AND ac.category <> NEW.category) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', NEW.category, 1*COUNT(*) FROM connections n WHERE n.asset_id = NEW.asset_id AND (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id)) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_went', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1*COUNT(*) FROM connections n WHERE n.asset_id = NEW.asset_id AND (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id)) AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id AND ac.category <> NEW.category) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_going', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', NEW.category, 1*COUNT(*) FROM connections n WHERE n.asset_id = NEW.asset_id AND n.status = 'continuing' GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)
        SELECT COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), 'conn_category_going', to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), '', '', -1*COUNT(*) FROM connections n WHERE n.asset_id = NEW.asset_id AND n.status = 'continuing' AND NOT EXISTS (SELECT 1 FROM asset_categories ac WHERE ac.asset_id = NEW.asset_id AND ac.category <> NEW.category) GROUP BY COALESCE(n.service_org_id, (SELECT sk.service_org_id FROM cases sk WHERE sk.id = n.case_id), ''), to_char(n.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM')
        ON CONFLICT (service_org_id, figure, month, pathway, key) DO UPDATE SET n = report_tallies.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER asset_categories_tallied AFTER INSERT OR DELETE ON asset_categories
    FOR EACH ROW EXECUTE FUNCTION asset_categories_tallied();
CREATE TRIGGER asset_categories_tallied_update AFTER UPDATE OF asset_id, category ON asset_categories
    FOR EACH ROW WHEN (OLD.asset_id IS DISTINCT FROM NEW.asset_id OR OLD.category IS DISTINCT FROM NEW.category) EXECUTE FUNCTION asset_categories_tallied();
