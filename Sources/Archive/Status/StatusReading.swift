/// What `status` reads of an archive, source by source. The SQLite store and the PostgreSQL
/// store each answer it, so that one report (and one rendering of it) serves both.
public protocol StatusReading {
    /// The newest migration applied.
    func schemaVersion() async throws -> Int
    func allSources() async throws -> [SourceRow]
    func lastRun(sourceID: Int64) async throws -> RunRecord?
    func lastSuccessfulRun(sourceID: Int64) async throws -> RunRecord?
    func cursors(sourceID: Int64) async throws -> [CursorRow]
    func rowCounts(sourceID: Int64) async throws -> SourceRowCounts
    func queueCounts(sourceID: Int64) async throws -> [QueueCounts]
    func driftSummary(sourceID: Int64) async throws -> DriftSummary
    func retentionState(sourceID: Int64) async throws -> RetentionState?
    func tombstoneCounts(sourceID: Int64) async throws -> [TombstoneReason: Int]
    /// The last activity of the source's least recently active session.
    func oldestActivity(sourceID: Int64) async throws -> String?
    /// Rows of `detail_requests` waiting for the source named `sourceName`.
    func pendingDetailRequests(sourceName: String) async throws -> Int
    func vitals() async throws -> ArchiveVitals
    /// Who holds each source, by source id: empty for an archive that one process writes.
    func leaseHolders() async throws -> [Int64: LeaseHolding]
}
