/// Where a `fetch_queue` item stands, and the one statement of how it moves. The queue's SQL
/// (``ArchiveStore``) writes these states through ``sql`` and nothing else does.
///
/// - A **request** for a version makes an item `pending` with its attempts reset, unless it is
///   `done` at that very version (``QueueState/requestMakesPending(_:version:)`` says which, for
///   work done right away; `fulfill` records such work as a request followed by its completion).
/// - **Done** at the wanted version: `done`; at an older one (a newer version was requested while
///   the work ran): still `pending`.
/// - **Retry**: `pending`, one more attempt counted (unless the wait was not a failure), until
///   the attempts reach the item's limit: `gaveUp`.
/// - **Give up**, or a **deadline** passed while `pending`: `gaveUp`.
/// - A person's **detail request** (`enqueue`, `detail_requests`) makes any item `pending` afresh.
public enum QueueItemState: String, Sendable {
    case pending
    case done
    case gaveUp = "gave_up"

    /// The state as a SQL string literal, for the queue's statements (a constant of ours, never
    /// a value from outside, so it is not a bound parameter; the partial index on pending items
    /// also needs the literal).
    public var sql: String {
        "'\(rawValue)'"
    }
}
