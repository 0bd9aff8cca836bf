-- People who sign in to the web console, and their sessions. Portable SQL (H2 2.x and PostgreSQL 13+).

-- A console user. Usernames are unique across the Manager (the sign-in form asks only for a username),
-- stored lower case. Only a bcrypt hash of the password is kept.
CREATE TABLE console_user (
    id                  VARCHAR(36)  NOT NULL PRIMARY KEY,
    account_id          VARCHAR(64)  NOT NULL REFERENCES account (id),
    username            VARCHAR(64)  NOT NULL,
    password_hash       VARCHAR(100) NOT NULL,
    role                VARCHAR(20)  NOT NULL,
    created_by          VARCHAR(200) NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    password_changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sign_in_at     TIMESTAMP WITH TIME ZONE,
    CONSTRAINT console_user_username_unique UNIQUE (username)
);
CREATE INDEX console_user_account_idx ON console_user (account_id);

-- A signed-in browser. Kept in the store so that every Manager replica knows it. The cookie holds a
-- random 256-bit id; only its SHA-256 hash is stored. The CSRF token is bound to the session.
CREATE TABLE console_session (
    id_hash      VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id      VARCHAR(36) NOT NULL REFERENCES console_user (id) ON DELETE CASCADE,
    csrf_token   VARCHAR(64) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX console_session_user_idx ON console_session (user_id);
CREATE INDEX console_session_expiry_idx ON console_session (expires_at);
