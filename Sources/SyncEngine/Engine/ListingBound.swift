/// How many pages one listing reads in one pass. A server that never says "last page" (a
/// paging bug, `page_no` ignored) would otherwise keep a pass going, and its source locked,
/// forever; at the bound the pass ends what it has committed and says so, and the next pass
/// goes on from the cursor.
public enum ListingBound {
    /// Pages per listing per pass: 10,000 pages of 100 rows is a million sessions, more than
    /// any first pass of ours has met.
    public static let pages = 10_000

    /// Records that `endpoint` was still answering full pages at the bound.
    public static func reached(_ endpoint: String, _ pass: SyncPass) async {
        await pass.warn(
            "\(endpoint) still had more pages after \(pages): the listing stops here for this pass and goes on from its cursor next time; a server that never reports its last page has a paging bug"
        )
    }
}
