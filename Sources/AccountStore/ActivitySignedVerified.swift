extension Schema {
    /// Signed messages whose S/MIME signature verified (issue 17), counted beside `messages_signed`
    /// in the daily rows and in the monthly aggregates. The monthly column is kept by two triggers of
    /// its own, so the shipped aggregate triggers stay untouched: on insert, and on an update of the
    /// column, each adds the daily increase to the month (an upsert, whichever trigger runs first).
    static let activitySignedVerified = """
        ALTER TABLE activity_daily ADD COLUMN messages_signed_verified INTEGER NOT NULL DEFAULT 0
            CHECK (messages_signed_verified >= 0);
        ALTER TABLE activity_monthly ADD COLUMN messages_signed_verified INTEGER NOT NULL DEFAULT 0;

        CREATE TRIGGER activity_daily_verified_adds_to_month AFTER INSERT ON activity_daily
        WHEN NEW.messages_signed_verified <> 0 BEGIN
            INSERT INTO activity_monthly(account_id, month, messages_signed_verified)
            VALUES (NEW.account_id, substr(NEW.day, 1, 7), NEW.messages_signed_verified)
            ON CONFLICT(account_id, month) DO UPDATE SET
                messages_signed_verified = messages_signed_verified + excluded.messages_signed_verified;
        END;

        CREATE TRIGGER activity_daily_verified_update_adds_to_month AFTER UPDATE OF messages_signed_verified
        ON activity_daily
        WHEN OLD.account_id = NEW.account_id AND OLD.day = NEW.day
            AND NEW.messages_signed_verified <> OLD.messages_signed_verified BEGIN
            INSERT INTO activity_monthly(account_id, month, messages_signed_verified)
            VALUES (NEW.account_id, substr(NEW.day, 1, 7), NEW.messages_signed_verified - OLD.messages_signed_verified)
            ON CONFLICT(account_id, month) DO UPDATE SET
                messages_signed_verified = messages_signed_verified + excluded.messages_signed_verified;
        END;
        """
}
