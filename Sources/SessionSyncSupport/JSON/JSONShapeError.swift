/// A well-formed JSON value that is not what a mapping expected: names the JSON path.
public struct JSONShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        "\(path): \(problem)"
    }
}

extension JSONValue {
    /// The member `key`, which must be present (it may be null).
    public func require(_ key: String) throws(JSONShapeError) -> JSONValue {
        guard kind == .object else {
            throw JSONShapeError(path: path, problem: "expected an object with member \"\(key)\", found \(kind)")
        }
        guard let value = self[key] else {
            throw JSONShapeError(path: path, problem: "missing member \"\(key)\"")
        }
        return value
    }

    public func requireString(_ key: String) throws(JSONShapeError) -> String {
        let value = try require(key)
        guard let string = value.string else { throw value.mismatch("a string") }
        return string
    }

    /// A string, or a whole number written in digits (ids that API revisions type either way).
    public func requireID(_ key: String) throws(JSONShapeError) -> String {
        let value = try require(key)
        guard let text = value.idText, !text.isEmpty else {
            throw value.mismatch("a non-empty string or a whole number")
        }
        return text
    }

    public func requireInt64(_ key: String) throws(JSONShapeError) -> Int64 {
        let value = try require(key)
        guard let int = value.int64 else { throw value.mismatch("an integer") }
        return int
    }

    public func requireDouble(_ key: String) throws(JSONShapeError) -> Double {
        let value = try require(key)
        guard let double = value.double else { throw value.mismatch("a number") }
        return double
    }

    public func requireArray(_ key: String) throws(JSONShapeError) -> JSONValue {
        let value = try require(key)
        guard value.kind == .array else { throw value.mismatch("an array") }
        return value
    }

    public func requireObject(_ key: String) throws(JSONShapeError) -> JSONValue {
        let value = try require(key)
        guard value.kind == .object else { throw value.mismatch("an object") }
        return value
    }

    /// The member `key` as text; nil when missing or null; an error for another type.
    public func optionalString(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let string = value.string else { throw value.mismatch("a string or null") }
        return string
    }

    public func optionalID(_ key: String) throws(JSONShapeError) -> String? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let text = value.idText else { throw value.mismatch("a string, a whole number or null") }
        return text
    }

    public func optionalInt64(_ key: String) throws(JSONShapeError) -> Int64? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let int = value.int64 else { throw value.mismatch("an integer or null") }
        return int
    }

    public func optionalDouble(_ key: String) throws(JSONShapeError) -> Double? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let double = value.double else { throw value.mismatch("a number or null") }
        return double
    }

    public func optionalBool(_ key: String) throws(JSONShapeError) -> Bool? {
        guard let value = self[key], !value.isNull else { return nil }
        guard let bool = value.bool else { throw value.mismatch("a boolean or null") }
        return bool
    }

    /// The member `key` when it is an object; nil when missing or null.
    public func optionalObject(_ key: String) throws(JSONShapeError) -> JSONValue? {
        guard let value = self[key], !value.isNull else { return nil }
        guard value.kind == .object else { throw value.mismatch("an object or null") }
        return value
    }

    public func optionalArray(_ key: String) throws(JSONShapeError) -> JSONValue? {
        guard let value = self[key], !value.isNull else { return nil }
        guard value.kind == .array else { throw value.mismatch("an array or null") }
        return value
    }

    /// An error saying this value should have been `expected`.
    public func mismatch(_ expected: String) -> JSONShapeError {
        JSONShapeError(path: path, problem: "expected \(expected), found \(kind)")
    }
}
