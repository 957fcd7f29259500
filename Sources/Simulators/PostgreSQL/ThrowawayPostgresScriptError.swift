/// Why the throwaway cluster did not start.
public struct ThrowawayPostgresScriptError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
