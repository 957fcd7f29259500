/// A set of rows that belong to one session and arrive together.
///
/// Every case but ``appendMessages(_:)`` replaces the session's whole set, in the same
/// transaction as the session row, and only when it differs from the set last written.
public enum ChildSet: Sendable {
    case participants([ParticipantRecord])
    case pageHistory([PageVisit])
    case timeline([TimelineBucket])
    case eventCounts([EventCount])
    case metadata([MetadataEntry])
    case messages([MessageRecord])
    case transcripts([TranscriptLine])
    /// Messages added to (or updated in) the archived ones, for providers that fetch only what is new.
    case appendMessages([MessageRecord])

    /// The set's key in `session_fingerprints.child_sets`.
    public var name: String {
        switch self {
        case .participants: "participants"
        case .pageHistory: "page_history"
        case .timeline: "timeline"
        case .eventCounts: "event_counts"
        case .metadata: "session_metadata"
        case .messages, .appendMessages: "messages"
        case .transcripts: "transcripts"
        }
    }
}
