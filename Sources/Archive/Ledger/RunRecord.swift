/// One row of `sync_runs`.
public struct RunRecord: Sendable, Equatable {
    public let id: Int64
    public let sourceID: Int64
    public let startedAt: String
    public let finishedAt: String?
    public let status: RunStatus
    public let requests: Int
    public let sessionsUpserted: Int
    public let rowsWritten: Int
    public let error: String?
    public let warnings: String?
    public let pid: Int?
    public let heartbeatAt: String?
}
