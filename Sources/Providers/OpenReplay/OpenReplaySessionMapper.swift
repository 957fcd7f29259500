import Archive
import SessionSyncSupport

/// Maps one live session of the assist listing to a `web` session that is `live`.
enum OpenReplaySessionMapper {
    /// Attributes without a column of their own, kept in the `metadata` column under these names.
    static let attributes = [
        "trackerVersion", "userUUID", "userDevice", "userState", "userCity", "active", "assistOnly", "isSnippet",
        "revID", "projectKey", "tabId",
    ]

    /// Maps `row`; only `sessionID` is required, any other field that drifted is left NULL.
    static func map(_ row: JSONValue, _ drift: inout SchemaDriftLog) throws(JSONShapeError) -> SessionRecord {
        guard row.kind == .object else { throw row.mismatch("a session object") }
        var record = SessionRecord(externalID: try row.requireID("sessionID"), kind: .web)
        // A listed session is live, also when it had been marked ended and came back.
        record.status = "live"
        record.endedAt = nil
        record.durationSeconds = nil
        record.startedAt = startTime(row, &drift)
        record.userID = text(row, "userID", &drift)
        record.title = text(row, "pageTitle", &drift)
        record.deviceType = text(row, "userDeviceType", &drift)
        record.os = text(row, "userOs", &drift)
        record.browser = text(row, "userBrowser", &drift)
        record.browserVersion = text(row, "userBrowserVersion", &drift)
        record.country = text(row, "userCountry", &drift)

        let custom = row.lenientObject("metadata", &drift)
        var members: [(String, JSONOutput)] = []
        for key in attributes {
            if let value = row[key], !value.isNull { members.append((key, .raw(value.rawText))) }
        }
        // The tracker sends `projectID` (text); the documents and the old Python path `projectId` (a number).
        var projectID = row.lenientID("projectID", &drift)
        if projectID == nil { projectID = row.lenientID("projectId", &drift) }
        if let projectID {
            members.append(("projectId", .string(projectID)))
        }
        if let custom {
            members.append(("metadata", .raw(custom.rawText)))
        }
        record.metadata = JSONOutput.object(members).text
        record.raw = row.rawText
        let entries = custom?.members.map { key, value in
            MetadataEntry(key: key, value: value.isNull ? nil : value.string ?? value.rawText)
        }
        record.children = [.metadata(entries ?? [])]
        return record
    }

    /// `timestamp`: the session's start in epoch milliseconds (a number, or digits as text).
    private static func startTime(_ row: JSONValue, _ drift: inout SchemaDriftLog) -> Timestamp? {
        guard let value = row["timestamp"], !value.isNull else { return nil }
        guard let milliseconds = value.int64 ?? value.string.flatMap({ Int64($0) }),
            let time = Timestamp(validMillisecondsSinceEpoch: milliseconds)
        else {
            drift.record(value, expected: "epoch milliseconds within the years 0001 to 9999")
            return nil
        }
        return time
    }

    /// A text field; empty (no user id yet, no GeoIP answer) is stored as NULL.
    private static func text(_ row: JSONValue, _ key: String, _ drift: inout SchemaDriftLog) -> String? {
        guard let text = row.lenientID(key, &drift), !text.isEmpty else { return nil }
        return text
    }
}
