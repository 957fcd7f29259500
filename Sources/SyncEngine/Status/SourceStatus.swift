import Archive
import SessionSyncSupport

/// Everything `status` says about one source.
public struct SourceStatus: Sendable {
    public var name: String
    public var provider: String
    /// False for a source archived earlier but no longer in the config.
    public var configured: Bool
    public var enabled: Bool
    public var schedule: String?
    public var lastRun: RunRecord?
    public var lastSuccess: RunRecord?
    public var nextDue: Timestamp?
    public var cursors: [CursorRow]
    public var rows: SourceRowCounts
    public var queue: [QueueCounts]
    public var pendingDetailRequests: Int
    /// Fields stored as NULL because upstream changed their type or format, and records kept aside.
    public var drift = DriftSummary()
    /// The configured `retention` window (nil: none), its last application, and the last activity
    /// of the oldest session kept (read when a window is configured or was applied).
    public var retention: Duration?
    public var retentionState: RetentionState?
    public var oldestActivity: String?
    /// Sessions erased or past retention, per reason.
    public var tombstones: [TombstoneReason: Int] = [:]
    /// Whether it keeps up, as `/healthz` judges it (nil for a source that is not synced).
    public var health: SourceHealth?
    /// Which instance holds it, when several share the archive (nil: none ever did, or SQLite).
    public var lease: LeaseHolding?
}
