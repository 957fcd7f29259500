import Foundation

/// A credential read from the environment, a file, a systemd credential or the config itself.
///
/// Its value is reachable only through ``reveal()``; printing, logging or interpolating a secret
/// shows where it comes from, never what it is.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Where the value came from, e.g. `env OPENREPLAY_API_KEY` (safe to show).
    public let origin: String
    private let value: String

    /// Keeps `value` without surrounding whitespace: env files, `echo` and editors add line ends
    /// that are not part of a key, and an HTTP header cannot carry them.
    public init(origin: String, value: String) {
        self.origin = origin
        self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The value, for the places that need it: the request header, and the redactor that masks it.
    public func reveal() -> String {
        value
    }

    /// Why the value cannot be sent in a header (empty, or a control character inside it), to be
    /// said after where it came from: "environment variable KEY is empty".
    public var unusableBecause: String? {
        if value.isEmpty { return "is empty" }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return
                "contains a line break or another control character inside the value, which an HTTP header cannot carry"
        }
        return nil
    }

    public var description: String {
        "<secret from \(origin)>"
    }

    public var debugDescription: String {
        description
    }
}
