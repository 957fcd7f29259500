/// One pass's walk over the live-session pages: which sessions it has seen (offset pages over a
/// changing set repeat rows, so each session counts once), when the walk is over, and whether
/// the finished listing can be believed.
struct OpenReplayListing {
    enum Verdict: Equatable {
        /// Complete and well formed: sessions missing from it count one absence.
        case trusted
        /// Empty right after a non-empty listing: believed only when the next listing agrees.
        case awaitingConfirmation
        /// Not believed at all, for the reason given.
        case untrusted(String)
    }

    let pageSize: Int
    private(set) var seen: Set<String> = []
    private(set) var pages = 0
    private var firstTotal: Int?
    private var silentFailure: String?

    init(pageSize: Int) {
        self.pageSize = pageSize
    }

    /// True the first time `externalID` appears in this listing.
    mutating func admit(_ externalID: String) -> Bool {
        seen.insert(externalID).inserted
    }

    /// Notes a page that arrived; true when it is the last one (it came back short, or the
    /// pages so far reach the `total` it reported).
    mutating func notePage(total: Int?, rowCount: Int) -> Bool {
        pages += 1
        if pages == 1 {
            firstTotal = total
        } else if total == 0, rowCount == 0, let first = firstTotal, first > 0 {
            // The proxy's answer when the assist service is unreachable, in the middle of a walk.
            silentFailure =
                "page \(pages) came back empty with total 0 although page 1 reported \(first) live session(s)"
        }
        if rowCount < pageSize { return true }
        if let total, pages * pageSize >= total { return true }
        return false
    }

    /// Marks the listing as not to be believed about absences, for `reason`.
    mutating func distrust(_ reason: String) {
        silentFailure = silentFailure ?? reason
    }

    /// Whether the finished listing is believed, given what the previous believed listing held.
    func verdict(previousSessions: Int, awaitingConfirmation: Bool) -> Verdict {
        if let silentFailure { return .untrusted(silentFailure) }
        if seen.isEmpty && previousSessions > 0 && !awaitingConfirmation { return .awaitingConfirmation }
        return .trusted
    }
}
