import Archive
import SessionSyncSupport
import SyncEngine

/// What one pass knows of the listing, in constant memory: where to stop, the newest last
/// message time of the first page as it was first read, and the newest time seen at all.
///
/// A session that gets a message while the pass pages moves to the front of the newest-first
/// listing and does not shift any unread row past the pass (rows only move down by one, so at
/// worst a row is read twice). Reading the first page again therefore finds every such session:
/// exactly the rows whose last message is newer than the first page's newest was.
struct YourGPTListing {
    /// Rows older than this end the listing (the cursor minus the lookback); nil on a first pass.
    let stopBefore: Timestamp?
    /// The newest last message time on the first page, when it was first read.
    private(set) var frontier: Timestamp?
    private(set) var newest: Timestamp?
    /// The pages of the reading under way, to tell a server that ignores `page`.
    var pages = RepeatedPageGuard()
    /// Set when a page repeated the one before it: the listing is not complete.
    var stoppedOnRepeat = false

    init(stopBefore: Timestamp?) {
        self.stopBefore = stopBefore
    }

    /// Notes a row of the main reading.
    mutating func record(_ session: YourGPTSessionMapper.Mapped, firstPage: Bool) {
        guard let time = session.lastMessageTime else { return }
        newest = max(newest ?? time, time)
        if firstPage { frontier = max(frontier ?? time, time) }
    }

    /// Whether a row read again from the top moved there during the pass; notes it.
    mutating func movedToFront(_ session: YourGPTSessionMapper.Mapped) -> Bool {
        guard let time = session.lastMessageTime else { return false }
        newest = max(newest ?? time, time)
        guard let frontier else { return true }
        return time > frontier
    }
}
