/// A write refused because this instance no longer holds the source's lease: another instance
/// took the source over while this one was paused or cut off, and owns its writes now.
public struct SourceLeaseLost: Error, Sendable, CustomStringConvertible {
    public let lease: SourceLease
    /// The row's holder and epoch now (nil when the row is gone).
    public let currentHolder: String?
    public let currentEpoch: Int64?

    public var description: String {
        let now =
            currentHolder.map { "it is held by \($0) with epoch \(currentEpoch.map(String.init) ?? "?")" }
            ?? "its lease row is gone"
        return "this instance (\(lease.holder)) no longer holds the lease of source id \(lease.sourceID) "
            + "(it held epoch \(lease.epoch)); \(now). Nothing was written; the source's new holder carries on"
    }
}
