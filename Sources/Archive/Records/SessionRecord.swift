import SessionSyncSupport

/// One session as a provider maps it: the key, the columns it knows, and the child sets it
/// brings. Setting a property marks its column as carried (see ``SessionColumns``); columns not
/// set are left as they are in the archive.
public struct SessionRecord: Sendable {
    public let externalID: String
    public let kind: SessionKind
    public internal(set) var columns: SessionColumns = []

    public var status: String? { didSet { columns.insert(.status) } }
    public var title: String? { didSet { columns.insert(.title) } }
    public var userID: String? { didSet { columns.insert(.userID) } }
    public var startedAt: Timestamp? { didSet { columns.insert(.startedAt) } }
    public var endedAt: Timestamp? { didSet { columns.insert(.endedAt) } }
    public var durationSeconds: Double? { didSet { columns.insert(.durationSeconds) } }
    public var country: String? { didSet { columns.insert(.country) } }
    public var deviceType: String? { didSet { columns.insert(.deviceType) } }
    public var os: String? { didSet { columns.insert(.os) } }
    public var browser: String? { didSet { columns.insert(.browser) } }
    public var browserVersion: String? { didSet { columns.insert(.browserVersion) } }
    public var url: String? { didSet { columns.insert(.url) } }
    public var botScore: Double? { didSet { columns.insert(.botScore) } }
    /// A JSON object, as text.
    public var metadata: String? { didSet { columns.insert(.metadata) } }
    /// The provider's payload for this session, verbatim.
    public var raw: String? { didSet { columns.insert(.raw) } }
    /// The per-session detail payload, verbatim.
    public var detailRaw: String? { didSet { columns.insert(.detailRaw) } }

    /// Carried columns whose values count only when the row is new: a placeholder (a listing's
    /// creation time standing in for the start) that must not overwrite what details brought, or
    /// a `raw` for a session known only by id. (Child sets fetched apart from their session are
    /// a ``SessionChildren``, not a record.)
    public var insertOnly: SessionColumns = []

    /// Child sets that replace the archived ones (or, for ``ChildSet/appendMessages(_:)``, add to them).
    public var children: [ChildSet] = [] { didSet { childFingerprints = nil } }
    /// The fingerprint of each child set, when computed ahead of the write (see
    /// ``ArchiveBatch/computeFingerprints()``); the writer computes missing ones itself.
    public internal(set) var childFingerprints: [String]?

    public init(externalID: String, kind: SessionKind) {
        self.externalID = externalID
        self.kind = kind
    }
}
