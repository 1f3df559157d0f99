import GRDB

// The enums stored in text columns decode through GRDB (`row.decode`), which throws on a value the
// schema's CHECK constraints should have refused, instead of silently mapping it to a default.
extension UnitLevel: DatabaseValueConvertible {}
extension AccountKind: DatabaseValueConvertible {}
extension AccountStatus: DatabaseValueConvertible {}
extension UnitStatus: DatabaseValueConvertible {}
extension HistoryEvent: DatabaseValueConvertible {}
extension DelegatedSend.Mode: DatabaseValueConvertible {}
