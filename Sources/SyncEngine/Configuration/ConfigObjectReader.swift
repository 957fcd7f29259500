import Foundation
import SessionSyncSupport

/// Reads one JSON object of the config, key by key, recording every problem with its JSON path.
///
/// Each accessor marks its key as known; ``finish()`` then reports the keys nobody asked for, so
/// a misspelt key is an error rather than a silently ignored setting.
public struct ConfigObjectReader {
    public let path: String
    public let object: JSONValue
    public let problems: ConfigProblems
    public let environment: SecretEnvironment
    public let secrets: ResolvedSecrets
    private let known: KnownKeys

    private final class KnownKeys {
        var keys: Set<String> = []
    }

    public init(
        object: JSONValue, path: String, problems: ConfigProblems, environment: SecretEnvironment,
        secrets: ResolvedSecrets
    ) {
        self.object = object
        self.path = path
        self.problems = problems
        self.environment = environment
        self.secrets = secrets
        self.known = KnownKeys()
    }

    /// The path of `key` inside this object.
    public func path(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    public func problem(_ key: String?, _ message: String) {
        problems.add(path: key.map(path) ?? path, message)
    }

    public func warning(_ key: String?, _ message: String) {
        problems.warn(path: key.map(path) ?? path, message)
    }

    /// The raw value of `key`, marking it known; nil (and a problem when `required`) if missing.
    public func value(_ key: String, required: Bool = false) -> JSONValue? {
        known.keys.insert(key)
        guard let value = object[key] else {
            if required { problem(key, "missing (required)") }
            return nil
        }
        return value
    }

    /// Marks keys as known without reading them (keys another reader handles).
    public func allow(_ keys: String...) {
        known.keys.formUnion(keys)
    }

    /// An id that becomes one segment of a request path (an account, app or project id).
    ///
    /// Refuses only what certainly cannot work: whitespace or control characters (a pasted
    /// newline), and `/`, `?` or `#`, which no provider's ids contain. Length and alphabet are
    /// the provider's business: Cloudflare's reference says "maxLength 32" for its generic
    /// identifier, yet RealtimeKit app ids are 36-character UUIDs.
    public func pathIdentifier(_ key: String, required: Bool = false, what: String) -> String? {
        guard let text = string(key, required: required) else { return nil }
        if let bad = text.unicodeScalars.first(where: {
            $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || "/?#".unicodeScalars.contains($0)
        }) {
            let shown =
                bad.properties.isWhitespace || bad.value < 0x20 || bad.value == 0x7F
                ? "whitespace or a control character" : "'\(Character(bad))'"
            problem(key, "\"\(text)\" is not \(what): it contains \(shown), which no such id has")
            return nil
        }
        return text
    }

    public func string(_ key: String, required: Bool = false, allowed: [String]? = nil) -> String? {
        guard let value = value(key, required: required) else { return nil }
        guard let string = value.string else {
            problem(key, "expected a string, found \(value.kind)")
            return nil
        }
        if string.isEmpty {
            problem(key, "must not be empty")
            return nil
        }
        if let allowed, !allowed.contains(string) {
            problem(key, "\"\(string)\" is not one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
            return nil
        }
        return string
    }

    public func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else {
            problem(key, "expected true or false, found \(value.kind)")
            return nil
        }
        return bool
    }

    public func int(_ key: String, range: ClosedRange<Int>) -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else {
            problem(
                key, "expected a whole number, found \(value.kind == .number ? value.rawText : value.kind.description)")
            return nil
        }
        guard range.contains(int) else {
            problem(key, "\(int) is out of range (\(range.lowerBound) to \(range.upperBound))")
            return nil
        }
        return int
    }

    /// A duration such as `"30s"`, `"5m"`, `"1h30m"`.
    public func duration(_ key: String, minimum: Duration = .zero, maximum: Duration? = nil) -> Duration? {
        guard let value = value(key) else { return nil }
        guard let text = value.string else {
            problem(key, "expected a duration string such as \"30s\", \"5m\", \"1h\" or \"1d\", found \(value.kind)")
            return nil
        }
        guard let duration = DurationText.parse(text) else {
            problem(
                key,
                "\"\(text)\" is not a duration; write a number and a unit (ms, s, m, h, d), e.g. \"30s\" or \"1h30m\"")
            return nil
        }
        if duration < minimum {
            problem(key, "\"\(text)\" is shorter than the minimum \(DurationText.format(minimum))")
            return nil
        }
        if let maximum, duration > maximum {
            problem(key, "\"\(text)\" is longer than the maximum \(DurationText.format(maximum))")
            return nil
        }
        return duration
    }

    /// An ISO-8601 instant such as `"2026-01-01T00:00:00Z"`.
    public func timestamp(_ key: String) -> Timestamp? {
        guard let value = value(key) else { return nil }
        guard let text = value.string, let timestamp = Timestamp(iso8601: text) else {
            problem(
                key,
                "expected an ISO-8601 instant such as \"2026-01-01T00:00:00Z\", found \(value.string.map { "\"\($0)\"" } ?? value.kind.description)"
            )
            return nil
        }
        return timestamp
    }

    public func stringArray(_ key: String) -> [String]? {
        guard let value = value(key) else { return nil }
        guard value.kind == .array else {
            problem(key, "expected an array of strings, found \(value.kind)")
            return nil
        }
        var result: [String] = []
        var ok = true
        for (index, element) in value.elements.enumerated() {
            if let string = element.string, !string.isEmpty {
                result.append(string)
            } else {
                problems.add(path: "\(path(key))[\(index)]", "expected a non-empty string, found \(element.kind)")
                ok = false
            }
        }
        return ok ? result : nil
    }

    public func object(_ key: String, required: Bool = false) -> ConfigObjectReader? {
        guard let value = value(key, required: required) else { return nil }
        guard value.kind == .object else {
            problem(key, "expected an object, found \(value.kind)")
            return nil
        }
        return ConfigObjectReader(
            object: value, path: path(key), problems: problems, environment: environment, secrets: secrets)
    }

    /// Readers for each object of the array `key`.
    public func objectArray(_ key: String, required: Bool = false) -> [ConfigObjectReader]? {
        guard let value = value(key, required: required) else { return nil }
        guard value.kind == .array else {
            problem(key, "expected an array, found \(value.kind)")
            return nil
        }
        var readers: [ConfigObjectReader] = []
        for (index, element) in value.elements.enumerated() {
            let elementPath = "\(path(key))[\(index)]"
            guard element.kind == .object else {
                problems.add(path: elementPath, "expected an object, found \(element.kind)")
                continue
            }
            readers.append(
                ConfigObjectReader(
                    object: element, path: elementPath, problems: problems, environment: environment, secrets: secrets))
        }
        return readers
    }

    /// A secret: `{"env": NAME}`, `{"file": PATH}`, `{"credential": NAME}`, or (with a warning) a string.
    public func secret(_ key: String, required: Bool) -> Secret? {
        guard let value = value(key, required: required) else { return nil }
        if let plain = value.string {
            warning(
                key,
                "the secret is written in the config file itself; prefer {\"env\": NAME}, {\"file\": PATH} or {\"credential\": NAME}"
            )
            let secret = Secret(origin: "the config file", value: plain)
            if let reason = secret.unusableBecause {
                problem(key, "the secret \(reason)")
                return nil
            }
            return secrets.record(secret)
        }
        guard value.kind == .object else {
            problem(key, "expected {\"env\": NAME}, {\"file\": PATH} or {\"credential\": NAME}, found \(value.kind)")
            return nil
        }
        let members = value.members
        guard members.count == 1, let member = members.first else {
            problem(key, "a secret names exactly one of \"env\", \"file\" or \"credential\"")
            return nil
        }
        guard let name = member.value.string, !name.isEmpty else {
            problem("\(key).\(member.key)", "expected a non-empty string, found \(member.value.kind)")
            return nil
        }
        let resolved = SecretResolver(environment: environment).resolve(kind: member.key, name: name) { message in
            problem(key, message)
        }
        return resolved.map(secrets.record)
    }

    /// Reports every key of the object that no accessor asked for.
    public func finish() {
        for (key, _) in object.members where !known.keys.contains(key) {
            let suggestion = known.keys.sorted().min {
                Self.distance($0.lowercased(), key.lowercased()) < Self.distance($1.lowercased(), key.lowercased())
            }
            .flatMap { Self.distance($0.lowercased(), key.lowercased()) <= 2 ? $0 : nil }
            problem(key, "unknown key" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""))
        }
    }

    /// Levenshtein distance, for "did you mean" on misspelt keys.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
