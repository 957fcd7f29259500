/// One key of a session's metadata (`session_metadata`), for BI filters.
public struct MetadataEntry: Sendable, Equatable {
    public var key: String
    public var value: String?

    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }
}
