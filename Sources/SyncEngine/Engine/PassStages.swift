/// Runs the stages of a pass (a listing, revisits, per-session work, exports) so that a failing
/// stage costs that stage only: the later stages still run, and the pass reports the first
/// failure at the end.
///
/// Two failures say the whole source is down, and change that: after the key was refused or the
/// process was asked to stop, no further stage runs; after the rate budget is spent, only the
/// stages whose data expires upstream (RealtimeKit's exports) still try.
public struct PassStages: Sendable {
    private var firstFailure: (any Error)?
    private var stopAll = false
    private var stopNonExpiring = false

    public init() {}

    /// Runs `body` unless an earlier failure rules it out; `expires` marks data that upstream
    /// keeps only for a while, worth trying whatever failed before.
    public mutating func run(expires: Bool = false, _ body: () async throws -> Void) async {
        if stopAll || (stopNonExpiring && !expires) { return }
        do {
            try await body()
        } catch {
            firstFailure = firstFailure ?? error
            if error is CancellationError || Task.isCancelled || (error as? SyncError)?.isAuthenticationFailure == true
            {
                stopAll = true
            } else if (error as? SyncError)?.isRateLimited == true {
                stopNonExpiring = true
            }
        }
    }

    /// Throws the first stage's failure, if any.
    public func finish() throws {
        if let firstFailure { throw firstFailure }
    }
}
