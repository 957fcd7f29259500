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

    public init(
        id: Int64, sourceID: Int64, startedAt: String, finishedAt: String?, status: RunStatus, requests: Int,
        sessionsUpserted: Int, rowsWritten: Int, error: String?, warnings: String?, pid: Int?, heartbeatAt: String?
    ) {
        self.id = id
        self.sourceID = sourceID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.requests = requests
        self.sessionsUpserted = sessionsUpserted
        self.rowsWritten = rowsWritten
        self.error = error
        self.warnings = warnings
        self.pid = pid
        self.heartbeatAt = heartbeatAt
    }

    /// The error of a `running` run whose process `pid` is gone, as the next process to start
    /// records it when it marks the run `interrupted`.
    public static func abandonedError(pid: Int?) -> String {
        "interrupted: its process (pid \(pid.map(String.init) ?? "?")) is gone; "
            + "the next pass continues from the last committed page"
    }
}
