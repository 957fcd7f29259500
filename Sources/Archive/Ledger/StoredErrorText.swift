/// The length limit of the error and warning texts the archive keeps (`sync_runs.error`,
/// `sync_runs.warnings`, `fetch_queue.last_error`).
///
/// 2,000 characters keeps every message sessionsync writes whole (an endpoint, a status, the
/// provider's message or a 300-byte excerpt of its answer, and advice come to well under 1,000),
/// while an API that answers with a megabyte of error text cannot make each ledger row that big:
/// a source polled every 30 seconds writes 2,880 runs a day, and `status` prints the last one.
public enum StoredErrorText {
    public static let maximumCharacters = 2_000

    /// `text`, or its start and a note of how much was cut, within ``maximumCharacters``.
    public static func capped(_ text: String?) -> String? {
        guard let text, text.count > maximumCharacters else { return text }
        // 40 characters hold the note whatever count it names.
        let kept = text.prefix(maximumCharacters - 40)
        return kept + " … (\(text.count - kept.count) characters cut)"
    }
}
