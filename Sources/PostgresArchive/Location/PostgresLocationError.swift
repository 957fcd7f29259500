/// Why a `postgres://` URL cannot be used. The message names the part at fault and what to write
/// instead; it never quotes a password, not even one written where none belongs.
public struct PostgresLocationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String {
        message
    }
}
