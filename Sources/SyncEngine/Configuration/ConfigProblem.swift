/// One thing wrong with a config file, at its JSON path.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// `sources[2].apiToken`, or empty for the file as a whole.
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}
