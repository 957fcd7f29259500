/// A value that was not of the type or format a mapping expected, in a field the archive can do
/// without: the column is stored as NULL, the payload keeps the value verbatim, and this says
/// where and what, so that an operator sees a provider drifting before a new release reads it.
public struct SchemaDrift: Sendable, Equatable {
    /// The endpoint whose answer drifted, as errors name it (`GET /v1/sessions`).
    public let endpoint: String
    /// The value's JSON path with array positions left out (`data.sessions[].country`), so
    /// that the same field in every row of a page is one drift.
    public let path: String
    /// What the mapping wanted (`a string`, `an ISO-8601 date-time in the years 0001 to 9999`).
    public let expected: String
    /// The last value seen there, shortened (`a number: 840`).
    public var found: String
    /// How many values drifted this way.
    public var count: Int

    public init(endpoint: String, path: String, expected: String, found: String, count: Int = 1) {
        self.endpoint = endpoint
        self.path = path
        self.expected = expected
        self.found = found
        self.count = count
    }
}
