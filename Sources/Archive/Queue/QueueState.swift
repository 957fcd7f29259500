/// Where one `fetch_queue` item stands, read before deciding to do its work right away.
public struct QueueState: Sendable, Equatable {
    public let version: String?
    public let doneVersion: String?
    public let state: QueueItemState

    public init(version: String?, doneVersion: String?, state: QueueItemState) {
        self.version = version
        self.doneVersion = doneVersion
        self.state = state
    }

    /// Whether requesting `version` makes this item newly pending, as ``QueueRequest`` does: a
    /// new version not already done. An item that was pending already is the queue's to retry,
    /// with its attempts and backoff.
    public static func requestMakesPending(_ existing: QueueState?, version: String?) -> Bool {
        guard let existing else { return true }
        return existing.version != version && !(existing.doneVersion == version && existing.state == .done)
    }

    /// Whether work that a pass repeats for as long as a condition holds (revisiting a session
    /// until it ends) runs right away at `version`, outside the queue: when it has no item, when
    /// its item is done, or when its item was given up at another version (the session was seen
    /// since). A pending item is the queue's, with its attempts and backoff; one given up at this
    /// very version stays given up.
    public static func repeatsNow(_ existing: QueueState?, version: String?) -> Bool {
        guard let existing else { return true }
        switch existing.state {
        case .done: return true
        case .gaveUp: return existing.version != version
        case .pending: return false
        }
    }
}
