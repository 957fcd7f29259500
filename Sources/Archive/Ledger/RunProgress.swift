/// The counters of a run in progress, written with each heartbeat and at the end.
public struct RunProgress: Sendable, Equatable {
    public var requests = 0
    public var sessionsUpserted = 0
    public var rowsWritten = 0
    public var warnings: [String] = []
    public var maxCommitMilliseconds: Double = 0

    public init() {}

    public var warningsText: String? {
        warnings.isEmpty ? nil : warnings.joined(separator: "; ")
    }
}
