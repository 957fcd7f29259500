/// The life of a row of `sync_runs`.
public enum RunStatus: String, Sendable, CaseIterable {
    case running, succeeded, failed, interrupted
}
