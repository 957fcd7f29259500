/// Readers for fields the archive can do without: a missing or null member is nil, and a member
/// of another type or an unreadable format is nil too, recorded in a ``SchemaDriftLog`` instead
/// of failing the answer. Fields a record cannot exist without (its id, the cursor's time) use
/// the throwing `require…` readers, and an unusable one sends the record to quarantine.
extension JSONValue {
    /// The member `key` unless missing or null.
    private func present(_ key: String) -> JSONValue? {
        guard let value = self[key], !value.isNull else { return nil }
        return value
    }

    /// The member `key` read by `read`; nil when missing or null, and nil with the drift
    /// recorded when `read` cannot make `expected` of it.
    private func lenient<T>(_ key: String, _ drift: inout SchemaDriftLog, expected: String, _ read: (JSONValue) -> T?)
        -> T?
    {
        guard let value = present(key) else { return nil }
        guard let result = read(value) else {
            drift.record(value, expected: expected)
            return nil
        }
        return result
    }

    public func lenientString(_ key: String, _ drift: inout SchemaDriftLog) -> String? {
        lenient(key, &drift, expected: "a string") { $0.string }
    }

    /// A string or a whole number, as text (ids and codes that API revisions type either way).
    public func lenientID(_ key: String, _ drift: inout SchemaDriftLog) -> String? {
        lenient(key, &drift, expected: "a string or a whole number") { $0.idText }
    }

    /// A finite number (1e400 reads as infinity, which no column should hold).
    public func lenientDouble(_ key: String, _ drift: inout SchemaDriftLog) -> Double? {
        lenient(key, &drift, expected: "a finite number") { value in value.double.flatMap { $0.isFinite ? $0 : nil } }
    }

    /// A whole number that fits in 64 bits (1e19 and 10^23 do not).
    public func lenientInt64(_ key: String, _ drift: inout SchemaDriftLog) -> Int64? {
        lenient(key, &drift, expected: "a whole number within 64 bits") { $0.int64 }
    }

    public func lenientObject(_ key: String, _ drift: inout SchemaDriftLog) -> JSONValue? {
        lenient(key, &drift, expected: "an object") { $0.kind == .object ? $0 : nil }
    }

    public func lenientArray(_ key: String, _ drift: inout SchemaDriftLog) -> JSONValue? {
        lenient(key, &drift, expected: "an array") { $0.kind == .array ? $0 : nil }
    }

    /// An ISO-8601 date-time in the years 0001 to 9999 (see ``Timestamp``).
    public func lenientTimestamp(_ key: String, _ drift: inout SchemaDriftLog) -> Timestamp? {
        lenient(key, &drift, expected: Self.timestampExpectation) { $0.timestamp }
    }

    /// An ISO-8601 date-time that must be there: the field a listing's cursor is made of.
    public func requireTimestamp(_ key: String) throws(JSONShapeError) -> Timestamp {
        let value = try require(key)
        guard let time = value.timestamp else { throw value.mismatch(Self.timestampExpectation) }
        return time
    }

    /// An ISO-8601 date-time or null; a value of another type or format is an error (for
    /// fields a record cannot be kept without).
    public func optionalTimestamp(_ key: String) throws(JSONShapeError) -> Timestamp? {
        guard let value = present(key) else { return nil }
        guard let time = value.timestamp else { throw value.mismatch(Self.timestampExpectation) }
        return time
    }

    static let timestampExpectation = "an ISO-8601 date-time in the years 0001 to 9999"
}
