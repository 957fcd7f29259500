/// Child sets fetched on their own for a session already archived (a meeting's participants, a
/// chat's new messages, an export's transcript), written without touching the session's columns,
/// `kind`, `last_seen_at` or presence count: only a listing or a read of the session says those.
///
/// Children never bring a session into being: when the session is not in the archive (it was
/// never listed, or has since been deleted), they are dropped and counted in ``WriteStats``.
public struct SessionChildren: Sendable {
    public let externalID: String
    /// Replace the archived sets of the same names (or, for ``ChildSet/appendMessages(_:)``, add to them).
    public var children: [ChildSet] { didSet { fingerprints = nil } }
    /// The sets' fingerprints when computed ahead of the write (``ArchiveBatch/computeFingerprints()``).
    public internal(set) var fingerprints: [String]?

    public init(externalID: String, children: [ChildSet]) {
        self.externalID = externalID
        self.children = children
    }
}
