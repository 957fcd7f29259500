/// A JSON text that is not well formed, with the byte offset of the first problem.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    /// True when the text simply stopped early, which usually means a truncated response body.
    public let isTruncated: Bool

    public init(offset: Int, message: String, isTruncated: Bool = false) {
        self.offset = offset
        self.message = message
        self.isTruncated = isTruncated
    }

    public var description: String {
        isTruncated
            ? "JSON ends early at byte \(offset) (\(message)); the body looks truncated"
            : "malformed JSON at byte \(offset): \(message)"
    }
}
