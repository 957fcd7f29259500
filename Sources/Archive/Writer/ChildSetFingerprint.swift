import SessionSyncSupport

/// A stable fingerprint of a child set's values, stored in `session_fingerprints` so that an
/// unchanged set is recognised without reading or rewriting its rows.
public enum ChildSetFingerprint {
    public static func of(_ set: ChildSet) -> String {
        var hasher = StableHasher()
        hasher.combine(set.name)
        switch set {
        case .participants(let rows):
            for row in rows {
                hasher.combine(row.externalID)
                hasher.combine(optional: row.userID)
                hasher.combine(optional: row.displayName)
                hasher.combine(optional: row.role)
                hasher.combine(optional: row.joinedAt)
                hasher.combine(optional: row.leftAt)
                hasher.combine(optional: row.durationSeconds)
                hasher.combine(row.raw)
            }
        case .pageHistory(let rows):
            for row in rows {
                hasher.combine(optional: row.url)
                hasher.combine(optional: row.visitedAt)
                hasher.combine(optional: row.type)
                hasher.combine(optional: row.durationMilliseconds)
            }
        case .timeline(let rows):
            for row in rows {
                hasher.combine(row.bucketAt.millisecondsSinceEpoch)
                hasher.combine(optional: row.eventCount)
                hasher.combine(optional: row.dominantEventType)
                hasher.combine(optional: row.activityLevel)
            }
        case .eventCounts(let rows):
            for row in rows {
                hasher.combine(row.eventType)
                hasher.combine(row.count)
            }
        case .metadata(let rows):
            for row in rows {
                hasher.combine(row.key)
                hasher.combine(optional: row.value)
            }
        case .messages(let rows), .appendMessages(let rows):
            for row in rows {
                hasher.combine(row.externalID)
                hasher.combine(optional: row.sender)
                hasher.combine(optional: row.sentAt)
                hasher.combine(optional: row.contentType)
                hasher.combine(optional: row.body)
                hasher.combine(row.raw)
            }
        case .transcripts(let rows):
            for row in rows {
                hasher.combine(optional: row.spokenAt)
                hasher.combine(optional: row.participantExternalID)
                hasher.combine(optional: row.speaker)
                hasher.combine(optional: row.text)
            }
        }
        return hasher.hexDigest
    }
}

extension StableHasher {
    fileprivate mutating func combine(optional value: String?) {
        if let value { combine(value) } else { combineNil() }
    }

    fileprivate mutating func combine(optional value: Int64?) {
        if let value { combine(value) } else { combineNil() }
    }

    fileprivate mutating func combine(optional value: Double?) {
        if let value { combine(value) } else { combineNil() }
    }

    fileprivate mutating func combine(optional value: Timestamp?) {
        if let value { combine(value.millisecondsSinceEpoch) } else { combineNil() }
    }
}
