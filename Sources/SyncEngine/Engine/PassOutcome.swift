import Archive

/// How one pass of one source ended.
public struct PassOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        case succeeded
        case failed(String)
        case interrupted
        /// Not run: another process is running this source right now.
        case skipped(String)
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
