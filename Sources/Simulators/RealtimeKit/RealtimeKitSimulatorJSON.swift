import SessionSyncSupport

/// The JSON shapes the RealtimeKit simulator answers with, as the API documents them.
enum RealtimeKitSimulatorJSON {
    static func session(_ session: RealtimeKitSimulatedSession, appID: String, at now: Timestamp) -> JSONOutput {
        let ended = session.isEnded(at: now)
        var members: [(String, JSONOutput)] = [
            ("id", .string(session.id)),
            ("associated_id", .string(session.associatedID)),
            ("meeting_display_name", .string(session.title)),
            ("type", .string(session.type)),
            ("status", .string(ended ? "ENDED" : "LIVE")),
            ("live_participants", .int(Int64(session.livePeople(at: now)))),
            ("max_concurrent_participants", .int(Int64(session.maxConcurrent(at: now)))),
            ("minutes_consumed", .double(session.minutesConsumed(at: now))),
            ("organization_id", .string(appID)),
            ("started_at", .string(session.startedAt.iso8601)),
            ("created_at", .string(session.createdAt.iso8601)),
            ("updated_at", .string(session.updatedAt(at: now).iso8601)),
        ]
        if ended {
            members.append(("ended_at", .string(session.endsAt.iso8601)))
        }
        members.append(
            (
                "meta",
                .object([
                    ("room_name", .string(session.associatedID.prefix(13).lowercased())), ("region", .string("weur")),
                ])
            ))
        return .object(members)
    }

    static func participant(
        _ participant: RealtimeKitSimulatedSession.Participant, leftAt: Timestamp?, minutes: Double, now: Timestamp
    ) -> JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("id", .string(participant.id)),
            ("user_id", .string(participant.userID)),
            ("custom_participant_id", .string(participant.customID)),
            ("display_name", .string(participant.displayName)),
            ("preset_name", .string(participant.preset)),
            ("joined_at", .string(participant.joinedAt.iso8601)),
        ]
        if let leftAt { members.append(("left_at", .string(leftAt.iso8601))) }
        members += [
            ("duration", .double(minutes)),
            ("created_at", .string(participant.joinedAt.iso8601)),
            ("updated_at", .string((leftAt ?? now).iso8601)),
        ]
        return .object(members)
    }

    /// `{"success": true, "data": …}` with `paging` where the simulator is told to put it.
    static func list(
        _ key: String, _ rows: [JSONOutput], paging: (total: Int, offset: Int),
        placement: RealtimeKitSimulator.PagingPlacement
    ) -> JSONOutput {
        let pagingObject = JSONOutput.object([
            ("total_count", .int(Int64(paging.total))),
            ("start_offset", .int(Int64(rows.isEmpty ? paging.offset : paging.offset + 1))),
            ("end_offset", .int(Int64(paging.offset + rows.count))),
        ])
        var data: [(String, JSONOutput)] = [(key, .array(rows))]
        var root: [(String, JSONOutput)] = [("success", .bool(true))]
        switch placement {
        case .topLevel:
            root += [("data", .object(data)), ("paging", pagingObject)]
        case .insideData:
            data.append(("paging", pagingObject))
            root.append(("data", .object(data)))
        case .absent:
            root.append(("data", .object(data)))
        }
        return .object(root)
    }

    static func success(_ data: JSONOutput) -> JSONOutput {
        .object([("success", .bool(true)), ("data", data)])
    }

    /// RealtimeKit's own error envelope.
    static func error(code: Int, _ message: String) -> JSONOutput {
        .object([
            ("success", .bool(false)),
            ("error", .object([("code", .int(Int64(code))), ("message", .string(message))])),
        ])
    }

    /// The Cloudflare API gateway's envelope (bad token, wrong account).
    static func gatewayError(code: Int, _ message: String) -> JSONOutput {
        .object([
            ("success", .bool(false)),
            ("errors", .array([.object([("code", .int(Int64(code))), ("message", .string(message))])])),
            ("messages", .array([])), ("result", .null),
        ])
    }
}
