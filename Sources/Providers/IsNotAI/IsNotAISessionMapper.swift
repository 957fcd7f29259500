import Archive
import SessionSyncSupport

/// Maps a `PublicSession` (a `GET /v1/sessions` row, or `data` of `GET /v1/sessions/{id}`) to a session.
enum IsNotAISessionMapper {
    struct Mapped {
        var record: SessionRecord
        let createdAt: Timestamp
        /// What the fetch queue compares to decide whether the details changed upstream.
        let version: String
        /// `active` is the only state documented as unfinished; anything else has finished and
        /// gets its details (a session whose details still lack an end time is fetched again).
        let isOpen: Bool
    }

    static let openStatus = "active"

    /// Maps `row`; only its id and `createdAt` (the listing's cursor) are required, any other
    /// field that drifted is left NULL and recorded in `drift`.
    static func map(_ row: JSONValue, _ drift: inout SchemaDriftLog) throws(JSONShapeError) -> Mapped {
        let id = try row.requireID("id")
        let createdAt = try row.requireTimestamp("createdAt")
        var record = SessionRecord(externalID: id, kind: .activity)
        let updatedAt = row.lenientTimestamp("updatedAt", &drift)
        let status = row.lenientString("status", &drift)?.lowercased()
        record.status = status
        record.botScore = row.lenientDouble("botScore", &drift)
        record.userID = row.lenientID("userId", &drift)
        record.url = row.lenientString("pageUrl", &drift)

        let userName = row.lenientString("userName", &drift)
        let userURL = row.lenientString("userUrl", &drift)
        let userAgent = row.lenientString("userAgentSummary", &drift)
        var flags: [String] = []
        if let array = row.lenientArray("detectionFlags", &drift) {
            for flag in array.elements {
                if let text = flag.stringOrNumberText {
                    flags.append(text)
                } else {
                    drift.record(flag, expected: "a string")
                }
            }
        }
        var metadata: [(String, JSONOutput)] = [("createdAt", .string(createdAt.iso8601))]
        if let updatedAt { metadata.append(("updatedAt", .string(updatedAt.iso8601))) }
        if let userName { metadata.append(("userName", .string(userName))) }
        if let userURL { metadata.append(("userUrl", .string(userURL))) }
        if let userAgent { metadata.append(("userAgentSummary", .string(userAgent))) }
        metadata.append(("detectionFlags", .array(flags.map(JSONOutput.string))))
        record.metadata = JSONOutput.object(metadata).text
        record.raw = row.rawText

        var entries: [MetadataEntry] = []
        if let userName { entries.append(MetadataEntry(key: "userName", value: userName)) }
        if let userURL { entries.append(MetadataEntry(key: "userUrl", value: userURL)) }
        if let userAgent { entries.append(MetadataEntry(key: "userAgentSummary", value: userAgent)) }
        // One row per flag, so that BI filters can ask "sessions flagged X" with an equality.
        for flag in flags { entries.append(MetadataEntry(key: "detectionFlag.\(flag)", value: "true")) }
        record.children = [.metadata(entries)]

        return Mapped(
            record: record, createdAt: createdAt, version: (updatedAt ?? createdAt).iso8601,
            isOpen: status == openStatus
        )
    }
}
