import Archive
import SessionSyncSupport

/// Maps a `/sessions/{id}/participants` row: the peer id is the key, `duration` is in minutes.
enum RealtimeKitParticipantMapper {
    static func map(_ row: JSONValue) throws(JSONShapeError) -> ParticipantRecord {
        let minutes = try row.optionalDouble("duration")
        return ParticipantRecord(
            externalID: try row.requireID("id"),
            userID: try row.optionalID("user_id"),
            displayName: try row.optionalString("display_name"),
            role: try row.optionalString("preset_name"),
            joinedAt: try RealtimeKitSessionMapper.timestamp(row, "joined_at"),
            leftAt: try RealtimeKitSessionMapper.timestamp(row, "left_at"),
            durationSeconds: minutes.map(seconds(fromMinutes:)),
            raw: row.rawText
        )
    }

    /// Minutes as seconds, rounded to the millisecond so that float noise does not look like a change.
    static func seconds(fromMinutes minutes: Double) -> Double {
        (minutes * 60_000).rounded() / 1000
    }
}
