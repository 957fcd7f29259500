import Archive
import SessionSyncSupport

/// What one pass has seen of the listing: which sessions at which last-message time, and the newest time.
struct YourGPTListing {
    /// Rows older than this end the listing (the cursor minus the lookback); nil on a first pass.
    let stopBefore: Timestamp?
    private var seen: [String: Timestamp?] = [:]
    private(set) var newest: Timestamp?

    init(stopBefore: Timestamp?) {
        self.stopBefore = stopBefore
    }

    /// Notes a row; true when it is new to this pass or its last message moved.
    mutating func record(_ session: YourGPTSessionMapper.Mapped) -> Bool {
        let id = session.record.externalID
        if let time = session.lastMessageTime {
            newest = max(newest ?? time, time)
        }
        if let previous = seen[id], previous == session.lastMessageTime {
            return false
        }
        seen[id] = session.lastMessageTime
        return true
    }
}
