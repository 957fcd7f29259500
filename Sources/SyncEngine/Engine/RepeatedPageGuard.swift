import SessionSyncSupport

/// Tells a page that repeats the one before it, verbatim: what a server that ignores the page
/// parameter answers, forever. Without this a listing would read the same rows up to its
/// ``ListingBound`` (10,000 requests, hours against a rate-limited API) before it stopped.
public struct RepeatedPageGuard: Sendable {
    /// The page before: compared, not hashed, since pages nearly always differ in their first
    /// bytes, while hashing read every byte of every page.
    private var previous: JSONDocument?

    public init() {}

    /// True when `document` is the same text as the page seen before it.
    public mutating func repeats(_ document: JSONDocument) -> Bool {
        defer { previous = document }
        return previous?.hasSameText(as: document) ?? false
    }

    /// Records that `endpoint` answered page `page` with the page before it again.
    public static func stop(_ endpoint: String, page: Int, _ pass: SyncPass) async {
        await pass.warn(
            "\(endpoint) answered page \(page) with exactly the rows of page \(page - 1): the server seems to ignore the page parameter; the listing stops here for this pass"
        )
    }
}
