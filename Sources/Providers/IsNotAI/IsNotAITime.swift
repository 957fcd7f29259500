import SessionSyncSupport

/// isnotai's date-time members, read leniently (the API writes several ISO-8601 forms).
enum IsNotAITime {
    /// The member as an instant; nil when missing or null; a shape error when it is not a date-time.
    static func optional(_ value: JSONValue, _ key: String) throws(JSONShapeError) -> Timestamp? {
        // The common case, a well-formed date-time, without building a String.
        if let time = value[key]?.timestamp { return time }
        guard let text = try value.optionalString(key) else { return nil }
        guard let time = Timestamp(iso8601: text) else {
            throw JSONShapeError(path: value[key]?.path ?? value.path, problem: "\"\(text)\" is not an ISO-8601 date-time")
        }
        return time
    }

    /// The member as an instant, which must be present.
    static func required(_ value: JSONValue, _ key: String) throws(JSONShapeError) -> Timestamp {
        if let time = value[key]?.timestamp { return time }
        let text = try value.requireString(key)
        guard let time = Timestamp(iso8601: text) else {
            throw JSONShapeError(path: value[key]?.path ?? value.path, problem: "\"\(text)\" is not an ISO-8601 date-time")
        }
        return time
    }
}
