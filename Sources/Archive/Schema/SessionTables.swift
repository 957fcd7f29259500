/// The archive's tables as both backends name them, where a rule depends on the list.
public enum SessionTables {
    /// The tables whose rows belong to one session (`session_id`), deleted with it. Their foreign
    /// keys cascade too; deleting them first counts them, and leaves the cascade nothing to do.
    public static let children = [
        "participants", "messages", "transcripts", "page_history", "timeline", "event_counts", "session_metadata",
        "session_fingerprints",
    ]
}
