-- Users, API keys, token families (refresh rotation and revocation), the
-- access-token denylist, and failed-login counters for brute-force protection.

CREATE TABLE users (
    id              TEXT PRIMARY KEY NOT NULL,          -- UUID
    username        TEXT NOT NULL,
    password_hash   TEXT,                               -- argon2 PHC string; NULL for OIDC-only users
    role            TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('superuser', 'user')),
    is_active       INTEGER NOT NULL DEFAULT 0,
    profile_image   TEXT,
    oidc_issuer     TEXT,
    oidc_subject    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    last_login_at   TEXT
);
-- Usernames are unique regardless of case.
CREATE UNIQUE INDEX users_username_nocase ON users (username COLLATE NOCASE);
CREATE UNIQUE INDEX users_oidc_identity ON users (oidc_issuer, oidc_subject) WHERE oidc_issuer IS NOT NULL;

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,                        -- first characters, to recognise a key in lists
    key_hash      TEXT NOT NULL UNIQUE,                 -- SHA-256 hex of the whole key (high entropy: no salt needed)
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    total_uses    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- A login starts a family; every refresh token of it and the access tokens
-- issued with them carry its id. Revoking the family ends the whole session.
CREATE TABLE token_families (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    revoked     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    expires_at  INTEGER NOT NULL                        -- unix seconds; pruned after
);
CREATE INDEX token_families_user ON token_families (user_id);

-- Each refresh token works once; a second use reveals theft and revokes the family.
CREATE TABLE refresh_tokens (
    jti         TEXT PRIMARY KEY NOT NULL,
    family_id   TEXT NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
    used_at     TEXT,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Access tokens revoked before they expire (logout).
CREATE TABLE revoked_tokens (
    jti         TEXT PRIMARY KEY NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- Failed logins per key ("user:<name>" or "ip:<address>") in the current window.
CREATE TABLE login_failures (
    key             TEXT PRIMARY KEY NOT NULL,
    failures        INTEGER NOT NULL,
    window_started  INTEGER NOT NULL,                   -- unix seconds
    locked_until    INTEGER NOT NULL DEFAULT 0
);
