import SessionSyncSupport

/// The `paging` object of a list answer, which API revisions put at the top level or inside
/// `data`: `{"total_count", "start_offset", "end_offset"}`.
struct RealtimeKitPaging: Equatable {
    let totalCount: Int
    let endOffset: Int

    /// The paging of `root` from either place; nil when the answer has none, or when its
    /// counts are unusable (recorded in `drift`; the page's row count then decides).
    static func read(from root: JSONValue, _ drift: inout SchemaDriftLog) -> RealtimeKitPaging? {
        var paging = root.lenientObject("paging", &drift)
        if paging == nil, let data = root["data"], data.kind == .object {
            paging = data.lenientObject("paging", &drift)
        }
        guard let paging, let total = count(paging, "total_count", &drift),
            let end = count(paging, "end_offset", &drift)
        else { return nil }
        return RealtimeKitPaging(totalCount: total, endOffset: end)
    }

    /// True when the page that carried this paging is the last one.
    var isLastPage: Bool {
        endOffset >= totalCount
    }

    /// Whether a list ends after a page of `rows` rows asked with `perPage`.
    static func listEnds(rows: Int, perPage: Int, paging: RealtimeKitPaging?) -> Bool {
        rows == 0 || rows < perPage || paging?.isLastPage == true
    }

    private static func count(_ paging: JSONValue, _ key: String, _ drift: inout SchemaDriftLog) -> Int? {
        guard let value = paging[key], !value.isNull else { return nil }
        // `Int(exactly:)`, not `Int(_:)`: a count of 1e19 or 1e308 is not a count, and must not trap.
        guard let text = value.stringOrNumberText,
            let number = Int(text) ?? Double(text).flatMap({ Int(exactly: $0.rounded(.towardZero)) }),
            number >= 0
        else {
            drift.record(value, expected: "a count (a whole number from 0 to 2^63)")
            return nil
        }
        return number
    }
}
