/// A connector for one provider's API: the only code that knows the API's paths, shapes and
/// quirks. The engine gives it a ``SyncPass`` with everything else (HTTP with retries and rate
/// limits, cursors, the fetch queue, atomic commits, the run ledger).
///
/// A pass typically: reads where to start (``SyncPass/readFrom(stream:)``), builds requests and
/// sends them (``SyncPass/sendJSON(_:)``), maps each page to ``SessionRecord``s, and commits each
/// page with the cursor advance that covers it (``SyncPass/commit(_:)``); work that must be done
/// per session later goes into the fetch queue (``QueueRequest``) and is picked up with
/// ``SyncPass/dueWork(kind:limit:)``.
public protocol Provider: Sendable {
    /// Headers attached to every authenticated request to the source's base URL.
    var credentials: [(String, String)] { get }

    /// The provider's error envelope, as a message for people (nil when the body is not one).
    func describeError(status: Int, body: [UInt8]) -> String?

    /// One incremental pass.
    func sync(_ pass: SyncPass) async throws

    /// One cheap authenticated request, for `check-config --probe`; returns what it learned.
    func probe(_ pass: SyncPass) async throws -> String
}
