/// How the items of one stage of per-session work fared in a pass, for its warning.
public struct ItemTally: Sendable {
    public var succeeded = 0
    public private(set) var failures = 0
    public private(set) var firstError: (any Error)?

    public init() {}

    public mutating func failed(_ error: any Error) {
        failures += 1
        firstError = firstError ?? error
    }

    /// Counts one item's outcome (`error` nil: it succeeded). Returns the error when it is the
    /// item's own, for the caller to schedule the item's retry; a failure of the whole source
    /// (``ItemRetryPolicy/isSourceWide(_:)``) goes into `sourceFailure` instead.
    public mutating func record(_ error: (any Error)?, sourceFailure: inout (any Error)?) -> (any Error)? {
        guard let error else {
            succeeded += 1
            return nil
        }
        if ItemRetryPolicy.isSourceWide(error) {
            sourceFailure = sourceFailure ?? error
            return nil
        }
        failed(error)
        return error
    }

    /// Ends a stage: failed items are recorded on their queue items (or revisited next pass),
    /// so they make a warning, `what` (e.g. "participants item(s) failed and will be retried"),
    /// not a failed run: a session that keeps failing must not turn every run red, and `status`
    /// shows the items waiting with their errors and the ones given up.
    public func conclude(_ what: String, _ pass: SyncPass) async {
        guard let firstError else { return }
        await pass.warn("\(failures) \(what); \(succeeded) succeeded; first error: \(firstError)")
    }
}
