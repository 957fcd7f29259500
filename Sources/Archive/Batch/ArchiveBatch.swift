import SessionSyncSupport

/// Everything one page of a pass writes: session rows with their child sets, the cursor advance
/// that covers them, and changes to the fetch queue. ``ArchiveStore/commit(_:sourceID:now:)`` commits a batch in one
/// transaction, so a crash keeps all of it or none.
public struct ArchiveBatch: Sendable {
    public var sessions: [SessionRecord] = []
    /// Child sets of sessions already archived, fetched apart from them.
    public var sessionChildren: [SessionChildren] = []
    public var cursors: [CursorUpdate] = []
    public var enqueue: [QueueRequest] = []
    public var completions: [QueueCompletion] = []
    /// Work requested and already done by this batch (a listing that fetched a session's details
    /// right away): recorded as done at the request's version, as a request followed by its
    /// completion would be.
    public var fulfilled: [QueueRequest] = []
    /// Values stored as NULL because they were not what the mapping expected.
    public var drift: [SchemaDrift] = []
    /// Records of the page that could not be archived, kept verbatim.
    public var quarantined: [QuarantinedRecord] = []
    /// Quarantined records (``QuarantineEntry/id``) this batch archives, deleted from `quarantine` with it.
    public var releasedQuarantine: [Int64] = []
    /// Set on the batch that closes a complete, trusted presence listing.
    public var presence: PresenceSnapshot?
    /// When the pass writing this batch started: a session first seen since then and written
    /// again (a listing, then its details) counts once in the statistics, as new.
    public var passStartedAt: Timestamp?

    public init(
        sessions: [SessionRecord] = [],
        sessionChildren: [SessionChildren] = [],
        cursors: [CursorUpdate] = [],
        enqueue: [QueueRequest] = [],
        completions: [QueueCompletion] = [],
        presence: PresenceSnapshot? = nil,
        drift: [SchemaDrift] = [],
        quarantined: [QuarantinedRecord] = []
    ) {
        self.sessions = sessions
        self.sessionChildren = sessionChildren
        self.cursors = cursors
        self.drift = drift
        self.quarantined = quarantined
        self.enqueue = enqueue
        self.completions = completions
        self.presence = presence
    }

    /// Adds everything of `other` to this batch, to commit both in one transaction.
    public mutating func append(_ other: ArchiveBatch) {
        sessions += other.sessions
        sessionChildren += other.sessionChildren
        cursors += other.cursors
        enqueue += other.enqueue
        completions += other.completions
        fulfilled += other.fulfilled
        drift += other.drift
        quarantined += other.quarantined
        releasedQuarantine += other.releasedQuarantine
        if let presence = other.presence { self.presence = presence }
    }

    /// Fingerprints the records' child sets now, on the caller's thread, so that the archive's
    /// one writer spends its time on SQL only.
    public mutating func computeFingerprints() {
        for index in sessions.indices where sessions[index].childFingerprints == nil {
            sessions[index].childFingerprints = sessions[index].children.map(ChildSetFingerprint.of)
        }
        for index in sessionChildren.indices where sessionChildren[index].fingerprints == nil {
            sessionChildren[index].fingerprints = sessionChildren[index].children.map(ChildSetFingerprint.of)
        }
    }

    /// Session records, child sets and queue outcomes: a measure of how much a commit carries.
    public var itemCount: Int {
        sessions.count + sessionChildren.count + completions.count + enqueue.count + fulfilled.count
    }

    public var isEmpty: Bool {
        sessions.isEmpty && sessionChildren.isEmpty && cursors.isEmpty && enqueue.isEmpty && completions.isEmpty
            && fulfilled.isEmpty && presence == nil
            && drift.isEmpty && quarantined.isEmpty && releasedQuarantine.isEmpty
    }
}
