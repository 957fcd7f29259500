import Archive
import SessionSyncSupport

/// Maps `GET /v1/sessions/{id}/details` to the session's times, event counts, activity timeline
/// and page history. Each child set replaces the archived one as a whole.
enum IsNotAIDetailsMapper {
    struct Mapped {
        var record: SessionRecord
        /// False while the session has no `endTime`: it is fetched again on a later pass.
        let hasEnded: Bool
        /// The `data` object verbatim.
        let payload: String
    }

    /// The kinds `event_counts` holds; any other member stays in `detail_raw` only.
    static let eventTypes = ["total", "mouse", "scroll", "keyboard", "touch", "form"]

    /// Maps a details answer: `data` must be an object; every field in it that drifted is left
    /// NULL (a timeline bucket without a usable time is left out) and recorded in `drift`.
    static func map(_ root: JSONValue, externalID: String, _ drift: inout SchemaDriftLog) throws(JSONShapeError)
        -> Mapped
    {
        try map(data: root.requireObject("data"), externalID: externalID, &drift)
    }

    /// Maps the `data` object of a details answer (what `detail_raw` keeps).
    static func map(data: JSONValue, externalID: String, _ drift: inout SchemaDriftLog) throws(JSONShapeError)
        -> Mapped
    {
        guard data.kind == .object else { throw data.mismatch("an object") }
        var record = SessionRecord(externalID: externalID, kind: .activity)
        let start = data.lenientTimestamp("startTime", &drift)
        let end = data.lenientTimestamp("endTime", &drift)
        if let start { record.startedAt = start }
        if let end { record.endedAt = end }
        if let duration = data.lenientDouble("durationSeconds", &drift) {
            record.durationSeconds = duration
        } else if let start, let end {
            record.durationSeconds = Double(end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000
        }
        let payload = data.rawText
        record.detailRaw = payload

        var children: [ChildSet] = []
        if let counts = data.lenientObject("eventCounts", &drift) {
            var rows: [EventCount] = []
            for type in eventTypes {
                if let count = counts.lenientInt64(type, &drift) {
                    rows.append(EventCount(eventType: type, count: count))
                }
            }
            children.append(.eventCounts(rows))
        }
        if let timeline = data.lenientArray("timeline", &drift) {
            var rows: [TimelineBucket] = []
            for bucket in timeline.elements {
                guard bucket.kind == .object else {
                    drift.record(bucket, expected: "an object")
                    continue
                }
                // The bucket's time is its key in `timeline`: without it there is no row to keep.
                guard let bucketAt = bucket.lenientTimestamp("timestamp", &drift) else { continue }
                rows.append(
                    TimelineBucket(
                        bucketAt: bucketAt, eventCount: bucket.lenientInt64("eventCount", &drift),
                        dominantEventType: bucket.lenientString("dominantEventType", &drift),
                        activityLevel: bucket.lenientDouble("activityLevel", &drift)
                    )
                )
            }
            children.append(.timeline(rows))
        }
        if let history = data.lenientArray("pageHistory", &drift) {
            var rows: [PageVisit] = []
            for visit in history.elements {
                guard visit.kind == .object else {
                    drift.record(visit, expected: "an object")
                    continue
                }
                rows.append(
                    PageVisit(
                        url: visit.lenientString("url", &drift), visitedAt: visit.lenientTimestamp("timestamp", &drift),
                        type: visit.lenientString("type", &drift),
                        durationMilliseconds: visit.lenientInt64("durationMs", &drift)
                    )
                )
            }
            children.append(.pageHistory(rows))
        }
        record.children = children
        return Mapped(record: record, hasEnded: end != nil, payload: payload)
    }
}
