-- A listing's categories move the connections' kept counts by category
-- (report_tallies, migration 38) only when someone has been connected to
-- it. Most category rows are written before anyone is: every listing of a
-- directory as it is imported, and all of them as a national city is
-- built. The six statements each row ran to find no connections cost ten
-- times the row's own insert; a check by the connections' index on the
-- listing now comes first. The counting is otherwise as it was.
CREATE OR REPLACE FUNCTION asset_categories_tallied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Nothing is counted for a listing no one has been connected to.
    IF NOT EXISTS (SELECT 1 FROM connections n WHERE n.asset_id = NEW.asset_id OR n.asset_id = OLD.asset_id) THEN
        RETURN NULL;
    END IF;
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
