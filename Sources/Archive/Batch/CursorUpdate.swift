/// A new value for one of a source's cursors (`sync_cursors`).
public struct CursorUpdate: Sendable, Equatable {
    public var stream: String
    /// Nil forgets the cursor.
    public var value: String?

    public init(stream: String, value: String?) {
        self.stream = stream
        self.value = value
    }
}
