extension SessionRecord {
    /// Lays `other` (the same session, from a later call such as its details) over this record,
    /// so that one upsert writes what both calls brought.
    ///
    /// A column `other` carries replaces this record's value and counts even for an existing row;
    /// one it carries as insert-only fills only a column this record does not carry. Its child
    /// sets come after this record's.
    public mutating func overlay(_ other: SessionRecord) {
        precondition(other.externalID == externalID, "overlaying session \(other.externalID) on \(externalID)")
        for bit in 0..<UInt32(SessionColumns.names.count) {
            let column = SessionColumns(rawValue: 1 << bit)
            guard other.columns.contains(column) else { continue }
            if other.insertOnly.contains(column) {
                guard !columns.contains(column) else { continue }
                copy(column, from: other)
                insertOnly.insert(column)
            } else {
                copy(column, from: other)
                insertOnly.remove(column)
            }
        }
        children += other.children
    }

    private mutating func copy(_ column: SessionColumns, from other: SessionRecord) {
        switch column {
        case .status: status = other.status
        case .title: title = other.title
        case .userID: userID = other.userID
        case .startedAt: startedAt = other.startedAt
        case .endedAt: endedAt = other.endedAt
        case .durationSeconds: durationSeconds = other.durationSeconds
        case .country: country = other.country
        case .deviceType: deviceType = other.deviceType
        case .os: os = other.os
        case .browser: browser = other.browser
        case .browserVersion: browserVersion = other.browserVersion
        case .url: url = other.url
        case .botScore: botScore = other.botScore
        case .metadata: metadata = other.metadata
        case .raw: raw = other.raw
        case .detailRaw: detailRaw = other.detailRaw
        default: preconditionFailure("SessionRecord.overlay does not know column bit \(column.rawValue)")
        }
    }
}
