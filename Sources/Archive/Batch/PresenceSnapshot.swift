import SessionSyncSupport

/// The end of a complete, trusted presence listing (OpenReplay's live sessions): every live
/// session of the source that the listing did not contain counts one more absence, and after
/// `absencesToEnd` consecutive absences it becomes `ended` with `ended_at` = when it was last seen.
public struct PresenceSnapshot: Sendable, Equatable {
    public var seenExternalIDs: Set<String>
    public var absencesToEnd: Int
    public var liveStatus: String
    public var endedStatus: String

    public init(
        seenExternalIDs: Set<String>, absencesToEnd: Int = 2, liveStatus: String = "live", endedStatus: String = "ended"
    ) {
        self.seenExternalIDs = seenExternalIDs
        self.absencesToEnd = absencesToEnd
        self.liveStatus = liveStatus
        self.endedStatus = endedStatus
    }
}
