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

    static func map(_ row: JSONValue) throws(JSONShapeError) -> Mapped {
        let id = try row.requireID("id")
        var record = SessionRecord(externalID: id, kind: .activity)
        let createdAt = try IsNotAITime.required(row, "createdAt")
        let updatedAt = try IsNotAITime.optional(row, "updatedAt")
        let status = try row.optionalString("status")?.lowercased()
        record.status = status
        record.botScore = try row.optionalDouble("botScore")
        record.userID = try row.optionalID("userId")
        record.url = try row.optionalString("pageUrl")

        let userName = try row.optionalString("userName")
        let userURL = try row.optionalString("userUrl")
        let userAgent = try row.optionalString("userAgentSummary")
        var flags: [String] = []
        if let array = try row.optionalArray("detectionFlags") {
            for flag in array.elements {
                guard let text = flag.stringOrNumberText else { throw flag.mismatch("a string") }
                flags.append(text)
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
            record: record, createdAt: createdAt, version: (updatedAt ?? createdAt).iso8601, isOpen: status == openStatus
        )
    }
}
