import SQLiteDB
import SessionSyncSupport

extension SessionColumns {
    /// Every column, in binding order (bit i is ``names``[i]).
    public static let all: [SessionColumns] = names.indices.map { SessionColumns(rawValue: 1 << UInt32($0)) }
}

extension SessionRecord {
    /// The value `column` is stored as: the one conversion of a record's fields to SQLite values,
    /// shared by the pass's upsert and by `renormalize`'s comparison, so that the two cannot
    /// disagree on what "unchanged" means.
    public func storedValue(of column: SessionColumns) -> SQLiteValue {
        switch column {
        case .status: .optional(status)
        case .title: .optional(title)
        case .userID: .optional(userID)
        case .startedAt: .optional(startedAt?.iso8601)
        case .endedAt: .optional(endedAt?.iso8601)
        case .durationSeconds: .optional(durationSeconds)
        case .country: .optional(country)
        case .deviceType: .optional(deviceType)
        case .os: .optional(os)
        case .browser: .optional(browser)
        case .browserVersion: .optional(browserVersion)
        case .url: .optional(url)
        case .botScore: .optional(botScore)
        // Both columns are NOT NULL: a record without them stores an empty object.
        case .metadata: .text(metadata ?? "{}")
        case .raw: .text(raw ?? "{}")
        case .detailRaw: .optional(detailRaw)
        default: preconditionFailure("SessionRecord.storedValue does not know column bit \(column.rawValue)")
        }
    }

    /// Stops carrying `dropped`: the archive keeps its values for them. For a column that a
    /// payload does not decide (a status that presence inference set), when re-deriving.
    public mutating func forget(_ dropped: SessionColumns) {
        columns.subtract(dropped)
        insertOnly.subtract(dropped)
    }
}
