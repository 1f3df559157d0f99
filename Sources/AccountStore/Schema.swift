import GRDB

/// The named, forward-only migrations of govmail.sqlite. Never edit a shipped migration; add a new one.
enum Schema {
    static let names = [
        "001-directory", "002-account-history", "003-activity-counters", "004-activity-monthly",
        "005-credential-generation", "006-report-unit-history", "007-smime-activity-signed-verified",
        "008-smime-delegation",
    ]

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration(names[0]) { db in try db.execute(sql: directory) }
        m.registerMigration(names[1]) { db in try db.execute(sql: history) }
        m.registerMigration(names[2]) { db in try db.execute(sql: activity) }
        m.registerMigration(names[3]) { db in try db.execute(sql: activityMonthly) }
        m.registerMigration(names[4]) { db in try db.execute(sql: credentialGeneration) }
        m.registerMigration(names[5]) { db in try db.execute(sql: unitHistory) }
        m.registerMigration(names[6]) { db in try db.execute(sql: activitySignedVerified) }
        m.registerMigration(names[7]) { db in try db.execute(sql: delegation) }
        return m
    }

    /// A counter that changes whenever anything a login depends on changes (password, status,
    /// address, unit, kind), whichever process changes it. The server's verified-credential cache
    /// keys on it, so `account passwd|disable|delete|move` from the CLI stops cached logins at once.
    /// A trigger, not application code, bumps it: no writer can forget to.
    static let credentialGeneration = """
        ALTER TABLE account ADD COLUMN credential_generation INTEGER NOT NULL DEFAULT 0;
        CREATE TRIGGER account_credential_generation
        AFTER UPDATE OF password_hash, status, address, address_key, unit_id, kind ON account
        BEGIN
            UPDATE account SET credential_generation = OLD.credential_generation + 1 WHERE id = NEW.id;
        END;
        """

    /// Domains, units, accounts, aliases. Addresses: `address` as written, `address_key` lowercased
    /// (Swift's Unicode lowercasing; SQLite's lower() only knows ASCII) and unique among live accounts.
    static let directory = """
        CREATE TABLE domain (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 253),
            created_at INTEGER NOT NULL
        );
        CREATE TABLE unit (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 1 AND 64),
            name TEXT NOT NULL CHECK (length(name) > 0),
            level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune', 'other')),
            parent_id INTEGER REFERENCES unit(id) ON DELETE RESTRICT,
            created_at INTEGER NOT NULL,
            CHECK (parent_id IS NULL OR parent_id <> id)
        );
        CREATE INDEX unit_parent ON unit(parent_id);
        CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            address_key TEXT NOT NULL,
            domain_id INTEGER NOT NULL REFERENCES domain(id) ON DELETE RESTRICT,
            display_name TEXT NOT NULL,
            unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE RESTRICT,
            kind TEXT NOT NULL CHECK (kind IN ('staff', 'shared', 'service')),
            status TEXT NOT NULL CHECK (status IN ('enabled', 'disabled', 'deleted')),
            password_hash TEXT,
            quota INTEGER NOT NULL CHECK (quota >= 0),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted_at INTEGER,
            CHECK ((status = 'deleted') = (deleted_at IS NOT NULL))
        );
        CREATE UNIQUE INDEX account_live_address ON account(address_key) WHERE status <> 'deleted';
        CREATE INDEX account_address_key ON account(address_key);
        CREATE INDEX account_unit ON account(unit_id);
        CREATE INDEX account_domain ON account(domain_id);
        CREATE TABLE alias (
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            address_key TEXT NOT NULL UNIQUE,
            domain_id INTEGER NOT NULL REFERENCES domain(id) ON DELETE RESTRICT,
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX alias_account ON alias(account_id);
        CREATE TRIGGER alias_cannot_shadow_account BEFORE INSERT ON alias
        WHEN EXISTS (SELECT 1 FROM account WHERE address_key = NEW.address_key AND status <> 'deleted')
        BEGIN SELECT RAISE(ABORT, 'alias shadows an account'); END;
        CREATE TRIGGER alias_key_cannot_shadow_account BEFORE UPDATE OF address_key ON alias
        WHEN EXISTS (SELECT 1 FROM account WHERE address_key = NEW.address_key AND status <> 'deleted')
        BEGIN SELECT RAISE(ABORT, 'alias shadows an account'); END;
        CREATE TRIGGER account_cannot_shadow_alias BEFORE INSERT ON account
        WHEN EXISTS (SELECT 1 FROM alias WHERE address_key = NEW.address_key)
        BEGIN SELECT RAISE(ABORT, 'account shadows an alias'); END;
        CREATE TRIGGER account_key_cannot_shadow_alias BEFORE UPDATE OF address_key ON account
        WHEN EXISTS (SELECT 1 FROM alias WHERE address_key = NEW.address_key)
        BEGIN SELECT RAISE(ABORT, 'account shadows an alias'); END;
        CREATE TRIGGER alias_target_must_be_live BEFORE INSERT ON alias
        WHEN (SELECT status FROM account WHERE id = NEW.account_id) = 'deleted'
        BEGIN SELECT RAISE(ABORT, 'alias target is deleted'); END;
        """

    /// One row per change of an account, holding the state right after it (unit, kind, enabled), so
    /// the state at any moment is the latest row at or before it: past months stay reproducible.
    static let history = """
        CREATE TABLE account_history (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            at INTEGER NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('created', 'disabled', 'enabled', 'moved', 'kind_changed', 'deleted')),
            unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE RESTRICT,
            kind TEXT NOT NULL CHECK (kind IN ('staff', 'shared', 'service')),
            enabled INTEGER NOT NULL CHECK (enabled IN (0, 1))
        );
        CREATE INDEX account_history_account_at ON account_history(account_id, at, id);
        CREATE INDEX account_history_unit ON account_history(unit_id);
        """

    /// Per-account, per-day usage counters (day = 'YYYY-MM-DD' in the configured time zone) and
    /// IMAP ID client names. Keyed by account id: accounts are soft-deleted, so rows stay valid.
    static let activity = """
        CREATE TABLE activity_daily (
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            imap_logins INTEGER NOT NULL DEFAULT 0 CHECK (imap_logins >= 0),
            smtp_auths INTEGER NOT NULL DEFAULT 0 CHECK (smtp_auths >= 0),
            messages_sent INTEGER NOT NULL DEFAULT 0 CHECK (messages_sent >= 0),
            sent_internal_recipients INTEGER NOT NULL DEFAULT 0 CHECK (sent_internal_recipients >= 0),
            sent_external_recipients INTEGER NOT NULL DEFAULT 0 CHECK (sent_external_recipients >= 0),
            messages_signed INTEGER NOT NULL DEFAULT 0 CHECK (messages_signed >= 0),
            messages_received INTEGER NOT NULL DEFAULT 0 CHECK (messages_received >= 0),
            bytes_sent INTEGER NOT NULL DEFAULT 0 CHECK (bytes_sent >= 0),
            PRIMARY KEY (account_id, day)
        ) WITHOUT ROWID;
        CREATE INDEX activity_daily_day ON activity_daily(day);
        CREATE TABLE activity_client (
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
            client_name TEXT NOT NULL CHECK (length(client_name) BETWEEN 1 AND 128),
            logins INTEGER NOT NULL DEFAULT 0 CHECK (logins >= 0),
            PRIMARY KEY (account_id, day, client_name)
        ) WITHOUT ROWID;
        CREATE INDEX activity_client_day ON activity_client(day);
        """
}

extension Schema {
    /// Effective-dated unit history (issue 14): one row per change of a unit, effective from `at`, so a
    /// closed month is reported with the structure of that month. `created` carries name, level and
    /// parent; `renamed` the name; `level_changed` the level; `moved` the parent (NULL = top level);
    /// `retired` ends the unit; `merged` ends it into `target_id`. The `unit` table keeps the current
    /// state, now with a `status`. Existing units get a `created` row with their present state at their
    /// creation time: the structure before this migration is taken as it is today.
    static let unitHistory = """
        CREATE TABLE unit_history (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
            at INTEGER NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('created', 'renamed', 'level_changed', 'moved', 'retired', 'merged')),
            name TEXT CHECK (name IS NULL OR length(name) > 0),
            level TEXT CHECK (level IS NULL OR level IN ('province', 'district', 'commune', 'other')),
            parent_id INTEGER REFERENCES unit(id) ON DELETE RESTRICT,
            target_id INTEGER REFERENCES unit(id) ON DELETE RESTRICT,
            CHECK (event <> 'created' OR (name IS NOT NULL AND level IS NOT NULL)),
            CHECK (event <> 'renamed' OR name IS NOT NULL),
            CHECK (event <> 'level_changed' OR level IS NOT NULL),
            CHECK (event <> 'merged' OR target_id IS NOT NULL)
        );
        CREATE INDEX unit_history_unit_at ON unit_history(unit_id, at, id);
        CREATE INDEX unit_history_parent ON unit_history(parent_id);
        CREATE INDEX unit_history_target ON unit_history(target_id);
        INSERT INTO unit_history(unit_id, at, event, name, level, parent_id)
            SELECT id, created_at, 'created', name, level, parent_id FROM unit ORDER BY id;
        ALTER TABLE unit ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired', 'merged'));
        """
}
