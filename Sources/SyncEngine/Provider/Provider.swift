import Archive

/// A connector for one provider's API: the only code that knows the API's paths, shapes and
/// quirks. The engine gives it a ``SyncPass`` with everything else: HTTP with retries and rate
/// limits (``SyncPass/http``), cursors, the fetch queue and atomic commits (``SyncPass/archive``),
/// per-session work with retries and backoff (``SyncPass/workQueue(kind:now:commitEvery:retry:_:)``),
/// and the run's warnings.
///
/// A pass typically reads where to start (``PassArchive/readFrom(stream:)``), sends requests
/// (``SourceHTTP/sendJSON(_:)``), maps each page to ``SessionRecord``s and commits them
/// (``PassArchive/commit(_:)``), with the cursor advance that covers them when the listing's order
/// allows it; work that must be done per session later goes into the fetch queue
/// (``QueueRequest``).
public protocol Provider: Sendable {
    /// Headers attached to every authenticated request to the source's base URL.
    var credentials: [(String, String)] { get }

    /// The provider's error envelope, as a message for people (nil when the body is not one).
    func describeError(status: Int, body: [UInt8]) -> String?

    /// One incremental pass.
    func sync(_ pass: SyncPass) async throws

    /// One cheap authenticated request, for `check-config --probe`; returns what it learned.
    func probe(_ http: SourceHTTP) async throws -> String

    /// The session mapped again from the payloads the archive kept, with the same mappers a
    /// pass uses and no request (`sessionsync renormalize`). Columns a payload does not decide
    /// (a status that presence inference set) are left out of the record; a child set is left
    /// out when one of its stored rows no longer maps, so that no stored row is lost.
    func remap(_ stored: StoredSession) -> RemappedSession

    /// A quarantined record mapped again: the batch that archives it as a pass would (with the
    /// work a pass would queue for it), or why it stays.
    func retry(_ entry: QuarantineEntry) -> QuarantineRetry
}
