/// A credential read from the environment, a file or a systemd credential.
///
/// Its value is reachable only through ``reveal()``; printing, logging or interpolating a secret
/// shows where it comes from, never what it is.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where the value came from, e.g. `env OPENREPLAY_API_KEY` (safe to show).
    public let origin: String
    private let value: String

    public init(origin: String, value: String) {
        self.origin = origin
        self.value = value
    }

    /// The value, for the one place that needs it: the request header.
    public func reveal() -> String {
        value
    }

    public var description: String {
        "<secret from \(origin)>"
    }

    public var debugDescription: String {
        description
    }
}
