-- Casework: the plan, reviews, endings and the message back.
--
-- A goal says how important it is to the person (1 a little, 2 quite,
-- 3 very; 0 not said) and is rated 0-10 for how close they feel, on the
-- number scale or the emoji scale for young people (the same numbers):
-- each rating is a row, so the history can be shown.
ALTER TABLE goals ADD COLUMN importance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE goals ADD COLUMN achieved_at TIMESTAMP;
ALTER TABLE goals ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE goal_ratings (
    id          TEXT PRIMARY KEY,
    goal_id     TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 10),
    scale       TEXT NOT NULL CHECK (scale IN ('numbers', 'emoji')),
    at          TIMESTAMP NOT NULL,
    by_user_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX goal_ratings_case ON goal_ratings (case_id, at);

-- Actions: who does what by when (the person, the link worker, a parent,
-- someone else), done or not.
CREATE TABLE case_actions (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    who         TEXT NOT NULL CHECK (who IN ('person', 'link_worker', 'parent', 'other')),
    who_name    TEXT NOT NULL DEFAULT '',
    what        TEXT NOT NULL,
    due_on      TEXT,
    done_at     TIMESTAMP,
    by_user_id  TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX case_actions_case ON case_actions (case_id, created_at);

-- The ending: the tapering steps planned when the case moved to ending.
-- Closing records where the person went (another service, or where they
-- were directed when not suitable), whether they agreed to share the
-- outcome with their referrer, and the follow-up's note.
ALTER TABLE cases ADD COLUMN ending_steps TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN ending_planned_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN closure_destination TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN share_outcome BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE cases ADD COLUMN follow_up_note TEXT NOT NULL DEFAULT '';
