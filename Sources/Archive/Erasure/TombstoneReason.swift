/// Why a session was tombstoned (`tombstones.reason`).
public enum TombstoneReason: String, Sendable, CaseIterable {
    /// `sessionsync erase`.
    case erased
    /// Older than its source's `retention` window.
    case retention
}
