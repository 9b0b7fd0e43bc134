-- Flows and runs. Every row has an owner (user_id) so that authentication can
-- scope every query; NULL is the single local owner until users exist.

CREATE TABLE flows (
    id            TEXT PRIMARY KEY NOT NULL,          -- UUID
    user_id       TEXT,
    folder_id     TEXT,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    data          TEXT NOT NULL,                      -- Langflow graph JSON {nodes, edges, ...}
    endpoint_name TEXT,
    is_component  INTEGER NOT NULL DEFAULT 0,
    tags          TEXT NOT NULL DEFAULT '[]',         -- JSON array
    created_at    TEXT NOT NULL,                      -- UTC ISO-8601
    updated_at    TEXT NOT NULL
);

-- Names and endpoint names are unique per owner (NULL owner included).
CREATE UNIQUE INDEX flows_owner_name ON flows (COALESCE(user_id, ''), name);
CREATE UNIQUE INDEX flows_owner_endpoint ON flows (COALESCE(user_id, ''), endpoint_name) WHERE endpoint_name IS NOT NULL;
CREATE INDEX flows_owner_updated ON flows (user_id, updated_at);

CREATE TABLE runs (
    id             TEXT PRIMARY KEY NOT NULL,         -- UUID
    flow_id        TEXT NOT NULL,
    user_id        TEXT,
    session_id     TEXT NOT NULL,
    status         TEXT NOT NULL,                     -- success | failed
    inputs         TEXT NOT NULL,                     -- JSON of the execute request
    outputs        TEXT,                              -- JSON of the outputs on success
    error          TEXT,                              -- JSON {detail, error_code} on failure
    fuel_consumed  INTEGER NOT NULL DEFAULT 0,
    duration_ms    REAL NOT NULL DEFAULT 0,
    started_at     TEXT NOT NULL,
    finished_at    TEXT NOT NULL
);

-- No foreign key to flows: a run outlives the flow it ran, as a record.
CREATE INDEX runs_flow_started ON runs (flow_id, started_at);
CREATE INDEX runs_owner ON runs (user_id);
