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

    static func map(_ root: JSONValue, externalID: String) throws(JSONShapeError) -> Mapped {
        let data = try root.requireObject("data")
        var record = SessionRecord(externalID: externalID, kind: .activity)
        let start = try IsNotAITime.optional(data, "startTime")
        let end = try IsNotAITime.optional(data, "endTime")
        if let start { record.startedAt = start }
        if let end { record.endedAt = end }
        if let duration = try data.optionalDouble("durationSeconds") {
            record.durationSeconds = duration
        } else if let start, let end {
            record.durationSeconds = Double(end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000
        }
        let payload = data.rawText
        record.detailRaw = payload

        var children: [ChildSet] = []
        if let counts = try data.optionalObject("eventCounts") {
            var rows: [EventCount] = []
            for type in eventTypes {
                if let count = try counts.optionalInt64(type) { rows.append(EventCount(eventType: type, count: count)) }
            }
            children.append(.eventCounts(rows))
        }
        if let timeline = try data.optionalArray("timeline") {
            var rows: [TimelineBucket] = []
            for bucket in timeline.elements {
                rows.append(
                    TimelineBucket(
                        bucketAt: try IsNotAITime.required(bucket, "timestamp"), eventCount: try bucket.optionalInt64("eventCount"),
                        dominantEventType: try bucket.optionalString("dominantEventType"), activityLevel: try bucket.optionalDouble("activityLevel")
                    )
                )
            }
            children.append(.timeline(rows))
        }
        if let history = try data.optionalArray("pageHistory") {
            var rows: [PageVisit] = []
            for visit in history.elements {
                rows.append(
                    PageVisit(
                        url: try visit.optionalString("url"), visitedAt: try IsNotAITime.optional(visit, "timestamp"),
                        type: try visit.optionalString("type"), durationMilliseconds: try visit.optionalInt64("durationMs")
                    )
                )
            }
            children.append(.pageHistory(rows))
        }
        record.children = children
        return Mapped(record: record, hasEnded: end != nil, payload: payload)
    }
}
