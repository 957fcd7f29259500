import SessionSyncSupport

/// What the previous complete listing left behind, kept in the `listing` cursor stream as
/// `{"sessions": N, "awaitingConfirmation": true|false}`: an empty listing right after a
/// non-empty one is only believed when the next listing is empty too.
struct OpenReplayListingState: Equatable {
    /// Distinct sessions in the last listing that was believed.
    var sessions: Int
    /// The last listing came back empty right after a non-empty one and was not believed yet.
    var awaitingConfirmation: Bool

    static let stream = "listing"

    init(sessions: Int, awaitingConfirmation: Bool) {
        self.sessions = sessions
        self.awaitingConfirmation = awaitingConfirmation
    }

    /// The state in a cursor value; nil when there is none (or it is not one of ours).
    init?(cursor: String?) {
        guard let cursor, let document = try? JSONDocument(text: cursor), let sessions = document.root["sessions"]?.int
        else { return nil }
        self.sessions = sessions
        self.awaitingConfirmation = document.root["awaitingConfirmation"]?.bool ?? false
    }

    var cursorValue: String {
        JSONOutput.object([("sessions", .int(Int64(sessions))), ("awaitingConfirmation", .bool(awaitingConfirmation))])
            .text
    }
}
