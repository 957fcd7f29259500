/// How the items of one queue stage fared in a pass: enough to tell "one item is broken" (a
/// warning) from "the endpoint is broken" (every item failed: the stage fails).
public struct ItemTally: Sendable {
    public var succeeded = 0
    public private(set) var failures = 0
    public private(set) var firstError: (any Error)?

    public init() {}

    public mutating func failed(_ error: any Error) {
        failures += 1
        firstError = firstError ?? error
    }

    /// Ends a stage: with failures and no success, the endpoint looks broken and the first
    /// error fails the stage; with some success, the failed items are `what` (e.g. "participants
    /// item(s) failed and will be retried") in a warning.
    public func conclude(_ what: String, _ pass: SyncPass) async throws {
        guard let firstError else { return }
        if succeeded == 0 { throw firstError }
        await pass.warn("\(failures) \(what); \(succeeded) succeeded; first error: \(firstError)")
    }
}
