import Archive

/// How one pass of one source ended.
public struct PassOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        case succeeded
        case failed(String)
        case interrupted
        /// Not run: another process is running this source right now.
        case skipped(String)

        /// One word for how it ended, as the ledger, the logs and the metrics say it.
        public var name: String {
            switch self {
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .interrupted: "interrupted"
            case .skipped: "skipped"
            }
        }
    }

    public let source: String
    public let runID: Int64?
    public let result: Result
    public let stats: WriteStats
    public let progress: RunProgress

    public var failed: Bool {
        if case .failed = result { return true }
        return false
    }
}
