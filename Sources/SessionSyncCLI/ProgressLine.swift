/// A progress line on a terminal's stderr, rewritten in place; nothing when stderr is a file or a
/// pipe (a journal or a log wants the summary only).
struct ProgressLine {
    let enabled: Bool

    func show(_ text: String) {
        guard enabled else { return }
        // \r back to the line's start, the text, then erase what a longer earlier text left.
        Terminal.error(raw: "\r\(text)\u{1B}[K")
    }

    func clear() {
        guard enabled else { return }
        Terminal.error(raw: "\r\u{1B}[K")
    }
}
