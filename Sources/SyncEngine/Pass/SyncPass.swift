import Archive
import Logging
import SessionSyncSupport

/// One pass of one source, as a ``Provider`` sees it: the HTTP side (``SourceHTTP``), the
/// archive side (``PassArchive``), per-session work (``workQueue(kind:now:commitEvery:retry:_:)``
/// and ``repeatWork(kind:for:_:)``, beside this file), and the run's warnings.
public final class SyncPass: Sendable {
    public let source: SourceConfiguration
    public let runID: Int64
    /// When the pass started; cursors never move past `startedAt − lookback`.
    public let startedAt: Timestamp
    public let logger: Logger
    public let http: SourceHTTP
    public let archive: PassArchive
    public let progress: RunProgressTracker

    init(runID: Int64, logger: Logger, http: SourceHTTP, archive: PassArchive, progress: RunProgressTracker) {
        self.source = archive.source
        self.runID = runID
        self.startedAt = archive.startedAt
        self.logger = logger
        self.http = http
        self.archive = archive
        self.progress = progress
    }

    /// Records something a person should know about this run that is not a failure.
    public func warn(_ message: String) async {
        logger.warning("run warning", metadata: ["warning": "\(message)"])
        await progress.warn(message)
    }
}
