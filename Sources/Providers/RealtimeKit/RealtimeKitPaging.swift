import SessionSyncSupport

/// The `paging` object of a list answer, which API revisions put at the top level or inside
/// `data`: `{"total_count", "start_offset", "end_offset"}`.
struct RealtimeKitPaging: Equatable {
    let totalCount: Int
    let endOffset: Int

    /// The paging of `root` from either place; nil when the answer has none.
    static func read(from root: JSONValue) throws(JSONShapeError) -> RealtimeKitPaging? {
        var paging = try root.optionalObject("paging")
        if paging == nil, let data = try root.optionalObject("data") {
            paging = try data.optionalObject("paging")
        }
        guard let paging else { return nil }
        return RealtimeKitPaging(totalCount: try count(paging, "total_count"), endOffset: try count(paging, "end_offset"))
    }

    /// True when the page that carried this paging is the last one.
    var isLastPage: Bool {
        endOffset >= totalCount
    }

    /// Whether a list ends after a page of `rows` rows asked with `perPage`.
    static func listEnds(rows: Int, perPage: Int, paging: RealtimeKitPaging?) -> Bool {
        rows == 0 || rows < perPage || paging?.isLastPage == true
    }

    private static func count(_ paging: JSONValue, _ key: String) throws(JSONShapeError) -> Int {
        let value = try paging.require(key)
        // `Int(exactly:)`, not `Int(_:)`: a count of 1e19 or 1e308 is not a count, and must not trap.
        guard let text = value.stringOrNumberText, let number = Int(text) ?? Double(text).flatMap({ Int(exactly: $0.rounded(.towardZero)) }),
            number >= 0
        else {
            throw value.mismatch("a count (a whole number from 0 to 2^63)")
        }
        return number
    }
}
