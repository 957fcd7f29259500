import Archive
import SessionSyncSupport

/// Maps a `/sessions/{id}/participants` row: the peer id is the key, `duration` is in minutes.
enum RealtimeKitParticipantMapper {
    static func map(_ row: JSONValue, _ drift: inout SchemaDriftLog) throws(JSONShapeError) -> ParticipantRecord {
        let id = try row.requireID("id")
        var durationSeconds: Double?
        if let minutes = row.lenientDouble("duration", &drift), let value = row["duration"] {
            durationSeconds = seconds(fromMinutes: minutes)
            if durationSeconds == nil { drift.record(value, expected: "minutes that fit a finite number of seconds") }
        }
        return ParticipantRecord(
            externalID: id,
            userID: row.lenientID("user_id", &drift),
            displayName: row.lenientString("display_name", &drift),
            role: row.lenientString("preset_name", &drift),
            joinedAt: row.lenientTimestamp("joined_at", &drift),
            leftAt: row.lenientTimestamp("left_at", &drift),
            durationSeconds: durationSeconds,
            raw: row.rawText
        )
    }

    /// Minutes as seconds, rounded to the millisecond so that float noise does not look like a change.
    static func seconds(fromMinutes minutes: Double) -> Double? {
        let seconds = (minutes * 60_000).rounded() / 1000
        // 1e308 minutes are finite, their seconds are not.
        return seconds.isFinite ? seconds : nil
    }
}
