import Archive

/// What mapping a quarantined record again gave.
public enum QuarantineRetry: Sendable {
    /// It maps now: the batch that archives it.
    case archive(ArchiveBatch)
    /// It still does not map, for this reason.
    case stillUnmappable(String)
    /// The provider does not map this endpoint's records on their own (a row of a session's
    /// child set, which only the set's fetch can place), for this reason.
    case notRetried(String)
}
