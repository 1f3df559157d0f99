extension Schema {
    /// Monthly aggregates of the daily counters, kept by triggers in the same transaction as every
    /// daily write and never pruned: the monthly report reads 20,000 rows per month instead of
    /// scanning the daily rows (a full scan of 12 months for 20,000 staff costs seconds), and a
    /// closed month stays reproducible after `pruneActivity` removed its daily rows (issue 7).
    ///
    /// `activity_client_monthly` does the same for IMAP ID client names (logins per account, month
    /// and name), so the client mix of a month needs one row per account instead of one per day.
    ///
    /// `use_days` has bit d−1 set when day d of the month was a day of use (an IMAP login, an SMTP
    /// AUTH or a submitted message). Daily rows only ever grow (upserts add), so the update trigger
    /// adds the difference and ORs the day's bit. Existing daily rows are summed in on migration.
    static let activityMonthly = """
        CREATE TABLE activity_monthly (
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            use_days INTEGER NOT NULL DEFAULT 0,
            imap_logins INTEGER NOT NULL DEFAULT 0,
            smtp_auths INTEGER NOT NULL DEFAULT 0,
            messages_sent INTEGER NOT NULL DEFAULT 0,
            sent_internal_recipients INTEGER NOT NULL DEFAULT 0,
            sent_external_recipients INTEGER NOT NULL DEFAULT 0,
            messages_signed INTEGER NOT NULL DEFAULT 0,
            messages_received INTEGER NOT NULL DEFAULT 0,
            bytes_sent INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account_id, month)
        ) WITHOUT ROWID;
        CREATE INDEX activity_monthly_month ON activity_monthly(month);

        INSERT INTO activity_monthly(account_id, month, use_days, imap_logins, smtp_auths, messages_sent,
            sent_internal_recipients, sent_external_recipients, messages_signed, messages_received, bytes_sent)
        SELECT account_id, substr(day, 1, 7),
               sum(CASE WHEN imap_logins > 0 OR smtp_auths > 0 OR messages_sent > 0
                        THEN 1 << (CAST(substr(day, 9, 2) AS INTEGER) - 1) ELSE 0 END),
               sum(imap_logins), sum(smtp_auths), sum(messages_sent), sum(sent_internal_recipients),
               sum(sent_external_recipients), sum(messages_signed), sum(messages_received), sum(bytes_sent)
        FROM activity_daily GROUP BY account_id, substr(day, 1, 7);

        CREATE TABLE activity_client_monthly (
            account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            client_name TEXT NOT NULL CHECK (length(client_name) BETWEEN 1 AND 128),
            logins INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account_id, month, client_name)
        ) WITHOUT ROWID;
        CREATE INDEX activity_client_monthly_month ON activity_client_monthly(month);

        INSERT INTO activity_client_monthly(account_id, month, client_name, logins)
        SELECT account_id, substr(day, 1, 7), client_name, sum(logins)
        FROM activity_client GROUP BY account_id, substr(day, 1, 7), client_name;

        CREATE TRIGGER activity_client_adds_to_month AFTER INSERT ON activity_client BEGIN
            INSERT INTO activity_client_monthly(account_id, month, client_name, logins)
            VALUES (NEW.account_id, substr(NEW.day, 1, 7), NEW.client_name, NEW.logins)
            ON CONFLICT(account_id, month, client_name) DO UPDATE SET logins = logins + excluded.logins;
        END;

        CREATE TRIGGER activity_client_update_adds_to_month AFTER UPDATE ON activity_client
        WHEN OLD.account_id = NEW.account_id AND OLD.day = NEW.day AND OLD.client_name = NEW.client_name BEGIN
            INSERT INTO activity_client_monthly(account_id, month, client_name, logins)
            VALUES (NEW.account_id, substr(NEW.day, 1, 7), NEW.client_name, NEW.logins - OLD.logins)
            ON CONFLICT(account_id, month, client_name) DO UPDATE SET logins = logins + excluded.logins;
        END;

        CREATE TRIGGER activity_daily_adds_to_month AFTER INSERT ON activity_daily BEGIN
            INSERT INTO activity_monthly(account_id, month, use_days, imap_logins, smtp_auths, messages_sent,
                sent_internal_recipients, sent_external_recipients, messages_signed, messages_received, bytes_sent)
            VALUES (NEW.account_id, substr(NEW.day, 1, 7),
                    CASE WHEN NEW.imap_logins > 0 OR NEW.smtp_auths > 0 OR NEW.messages_sent > 0
                         THEN 1 << (CAST(substr(NEW.day, 9, 2) AS INTEGER) - 1) ELSE 0 END,
                    NEW.imap_logins, NEW.smtp_auths, NEW.messages_sent, NEW.sent_internal_recipients,
                    NEW.sent_external_recipients, NEW.messages_signed, NEW.messages_received, NEW.bytes_sent)
            ON CONFLICT(account_id, month) DO UPDATE SET
                use_days = use_days | excluded.use_days,
                imap_logins = imap_logins + excluded.imap_logins,
                smtp_auths = smtp_auths + excluded.smtp_auths,
                messages_sent = messages_sent + excluded.messages_sent,
                sent_internal_recipients = sent_internal_recipients + excluded.sent_internal_recipients,
                sent_external_recipients = sent_external_recipients + excluded.sent_external_recipients,
                messages_signed = messages_signed + excluded.messages_signed,
                messages_received = messages_received + excluded.messages_received,
                bytes_sent = bytes_sent + excluded.bytes_sent;
        END;

        CREATE TRIGGER activity_daily_update_adds_to_month AFTER UPDATE ON activity_daily
        WHEN OLD.account_id = NEW.account_id AND OLD.day = NEW.day BEGIN
            INSERT INTO activity_monthly(account_id, month, use_days, imap_logins, smtp_auths, messages_sent,
                sent_internal_recipients, sent_external_recipients, messages_signed, messages_received, bytes_sent)
            VALUES (NEW.account_id, substr(NEW.day, 1, 7),
                    CASE WHEN NEW.imap_logins > 0 OR NEW.smtp_auths > 0 OR NEW.messages_sent > 0
                         THEN 1 << (CAST(substr(NEW.day, 9, 2) AS INTEGER) - 1) ELSE 0 END,
                    NEW.imap_logins - OLD.imap_logins, NEW.smtp_auths - OLD.smtp_auths,
                    NEW.messages_sent - OLD.messages_sent, NEW.sent_internal_recipients - OLD.sent_internal_recipients,
                    NEW.sent_external_recipients - OLD.sent_external_recipients,
                    NEW.messages_signed - OLD.messages_signed, NEW.messages_received - OLD.messages_received,
                    NEW.bytes_sent - OLD.bytes_sent)
            ON CONFLICT(account_id, month) DO UPDATE SET
                use_days = use_days | excluded.use_days,
                imap_logins = imap_logins + excluded.imap_logins,
                smtp_auths = smtp_auths + excluded.smtp_auths,
                messages_sent = messages_sent + excluded.messages_sent,
                sent_internal_recipients = sent_internal_recipients + excluded.sent_internal_recipients,
                sent_external_recipients = sent_external_recipients + excluded.sent_external_recipients,
                messages_signed = messages_signed + excluded.messages_signed,
                messages_received = messages_received + excluded.messages_received,
                bytes_sent = bytes_sent + excluded.bytes_sent;
        END;
        """
}
