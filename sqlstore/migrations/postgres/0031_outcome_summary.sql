-- The service's outcome figures: each episode's first and latest scored
-- response to an instrument, found from one index without reading a
-- response's row (the score is in the index), for every case of the
-- service in turn.
CREATE INDEX measures_case_scored ON measures (case_id, instrument, at, score) WHERE score IS NOT NULL;

-- The services a commissioner funds are those whose parent it is.
CREATE INDEX organisations_parent ON organisations (parent_id);
