-- Indexes for the caseload, whose cost must not grow with a service's
-- history.
--
-- Each case on a caseload asks of its contacts: the last contact, the
-- next booked one, sessions attended, whether first contact was made.
-- With the outcome and kind in the index beside the case, each is
-- answered from the index alone, not by reading every contact's row.
CREATE INDEX contacts_case_outcome ON contacts (case_id, outcome, kind, at);

-- Choosing whom to allocate to counts each link worker's open cases and
-- their weight by complexity: from the index alone.
DROP INDEX cases_worker_status;
CREATE INDEX cases_worker_status ON cases (link_worker_id, status, complexity);
