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

    public func lenientString(_ key: String, _ drift: inout SchemaDriftLog) -> String? {
        guard let value = present(key) else { return nil }
        guard let string = value.string else {
            drift.record(value, expected: "a string")
            return nil
        }
        return string
    }

    /// A string or a number, as text (ids and codes that API revisions type either way).
    public func lenientID(_ key: String, _ drift: inout SchemaDriftLog) -> String? {
        guard let value = present(key) else { return nil }
        guard let text = value.stringOrNumberText else {
            drift.record(value, expected: "a string or number")
            return nil
        }
        return text
    }

    /// A finite number (1e400 reads as infinity, which no column should hold).
    public func lenientDouble(_ key: String, _ drift: inout SchemaDriftLog) -> Double? {
        guard let value = present(key) else { return nil }
        guard let double = value.double, double.isFinite else {
            drift.record(value, expected: "a finite number")
            return nil
        }
        return double
    }

    /// A whole number that fits in 64 bits (1e19 and 10^23 do not).
    public func lenientInt64(_ key: String, _ drift: inout SchemaDriftLog) -> Int64? {
        guard let value = present(key) else { return nil }
        guard let int = value.int64 else {
            drift.record(value, expected: "a whole number within 64 bits")
            return nil
        }
        return int
    }

    public func lenientBool(_ key: String, _ drift: inout SchemaDriftLog) -> Bool? {
        guard let value = present(key) else { return nil }
        guard let bool = value.bool else {
            drift.record(value, expected: "true or false")
            return nil
        }
        return bool
    }

    public func lenientObject(_ key: String, _ drift: inout SchemaDriftLog) -> JSONValue? {
        guard let value = present(key) else { return nil }
        guard value.kind == .object else {
            drift.record(value, expected: "an object")
            return nil
        }
        return value
    }

    public func lenientArray(_ key: String, _ drift: inout SchemaDriftLog) -> JSONValue? {
        guard let value = present(key) else { return nil }
        guard value.kind == .array else {
            drift.record(value, expected: "an array")
            return nil
        }
        return value
    }

    /// An ISO-8601 date-time in the years 0001 to 9999 (see ``Timestamp``).
    public func lenientTimestamp(_ key: String, _ drift: inout SchemaDriftLog) -> Timestamp? {
        guard let value = present(key) else { return nil }
        guard let time = value.timestamp else {
            drift.record(value, expected: Self.timestampExpectation)
            return nil
        }
        return time
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
