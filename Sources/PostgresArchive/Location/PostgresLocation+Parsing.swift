#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PostgresLocation {
    static let form = "postgres://USER@HOST:PORT/DATABASE?sslmode=disable|require|verify-full"

    /// Whether `text` is written as a URL (`scheme://...`) rather than a file path: such a text
    /// is read as a PostgreSQL URL or refused, never taken for a SQLite file's name.
    public static func isURL(_ text: String) -> Bool {
        guard let separator = text.firstRange(of: "://") else { return false }
        let scheme = text[..<separator.lowerBound]
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter else { return false }
        return scheme.unicodeScalars.allSatisfy {
            $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
        }
    }

    /// Reads `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=MODE]` (or `postgresql://`).
    ///
    /// The user and database are percent-decoded; an IPv6 host is written in brackets. Without
    /// `sslmode`, a loopback host gets `disable` and any other `verify-full`: a password never
    /// crosses a network in clear text unless the URL says so. A password in the URL, an unknown
    /// parameter or another `sslmode` is refused with a message that never quotes a secret.
    public static func parse(_ text: String) -> Result<PostgresLocation, PostgresLocationError> {
        do {
            return .success(try parseOrThrow(text))
        } catch {
            return .failure(error)
        }
    }

    private static func parseOrThrow(_ text: String) throws(PostgresLocationError) -> PostgresLocation {
        guard let separator = text.firstRange(of: "://") else {
            throw PostgresLocationError("has no scheme://; write \(form)")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            let what =
                isURL(text) && scheme.count <= 20
                ? "is a \(scheme):// URL, not a PostgreSQL one" : "is not a postgres:// URL"
            throw PostgresLocationError("\(what); write \(form), or a file path for a SQLite archive")
        }
        let rest = text[separator.upperBound...]
        // Before anything is split: a password may hold any character, so no later message could
        // be sure not to quote part of one.
        if let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":"),
            rest[..<colon].firstIndex(of: "@") == nil
        {
            throw PostgresLocationError(
                "holds a password (USER:PASSWORD@); remove it from the URL and give it as the secret \"databasePassword\" "
                    + "({\"env\": NAME}, {\"file\": PATH} or {\"credential\": NAME})")
        }
        if rest.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw PostgresLocationError("contains a space or a control character; percent-encode it (a space is %20)")
        }
        if rest.contains("#") {
            throw PostgresLocationError("must not have a #fragment")
        }
        let beforeQuery = rest.firstIndex(of: "?").map { rest[..<$0] } ?? rest
        let query = rest.firstIndex(of: "?").map { rest[rest.index(after: $0)...] }
        let slash = beforeQuery.firstIndex(of: "/")
        let authority = slash.map { beforeQuery[..<$0] } ?? beforeQuery
        let path = slash.map { beforeQuery[beforeQuery.index(after: $0)...] }

        guard let at = authority.lastIndex(of: "@") else {
            throw PostgresLocationError("names no user; write \(form)")
        }
        let user = try decoded(authority[..<at], what: "user name")
        guard !user.isEmpty else { throw PostgresLocationError("names no user; write \(form)") }
        let (host, port) = try hostAndPort(authority[authority.index(after: at)...])

        guard let path, !path.isEmpty else {
            throw PostgresLocationError("names no database; write \(form)")
        }
        guard !path.contains("/") else {
            throw PostgresLocationError("has a '/' after the database name; a '/' inside the name is written %2F")
        }
        let database = try decoded(path, what: "database name")

        let location = PostgresLocation(user: user, host: host, port: port, database: database, sslMode: .disable)
        let mode = try sslMode(query) ?? (location.isLoopback ? .disable : .verifyFull)
        return PostgresLocation(user: user, host: host, port: port, database: database, sslMode: mode)
    }

    private static func hostAndPort(_ text: Substring) throws(PostgresLocationError) -> (String, Int) {
        let host: Substring
        let portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw PostgresLocationError("has a '[' without its ']'; an IPv6 address is written [::1]")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else {
                throw PostgresLocationError("has something other than :PORT after the IPv6 address in brackets")
            }
            portText = after.isEmpty ? nil : after.dropFirst()
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(host), &address) == 1 else {
                throw PostgresLocationError("has \"\(host)\" in brackets, which is not an IPv6 address")
            }
        } else {
            let colons = text.filter { $0 == ":" }.count
            guard colons <= 1 else {
                throw PostgresLocationError("has an IPv6 address outside brackets; write it as [::1] or [::1]:5432")
            }
            let colon = text.firstIndex(of: ":")
            host = colon.map { text[..<$0] } ?? text
            portText = colon.map { text[text.index(after: $0)...] }
            guard !host.isEmpty else {
                throw PostgresLocationError(
                    "names no host; sessionsync connects over TCP (Unix sockets are not supported), e.g. postgres://USER@127.0.0.1/DATABASE"
                )
            }
            guard !host.contains(",") else {
                throw PostgresLocationError("names several hosts; sessionsync connects to one host")
            }
            guard
                host.unicodeScalars.allSatisfy({
                    $0.isASCIILetter || ("0"..."9").contains($0) || "-._".unicodeScalars.contains($0)
                })
            else {
                throw PostgresLocationError("has a host that is not a host name or an IP address")
            }
        }
        guard let portText else { return (String(host), defaultPort) }
        guard !portText.isEmpty, portText.count <= 5, portText.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
            let port = Int(portText), (1...65_535).contains(port)
        else {
            throw PostgresLocationError("has a port that is not a number from 1 to 65535")
        }
        return (String(host), port)
    }

    /// The `sslmode` of the query, nil when it names none.
    private static func sslMode(_ query: Substring?) throws(PostgresLocationError) -> PostgresSSLMode? {
        guard let query else { return nil }
        var mode: PostgresSSLMode?
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let name = parameter.firstIndex(of: "=").map { parameter[..<$0] } ?? parameter
            let value = parameter.firstIndex(of: "=").map { parameter[parameter.index(after: $0)...] }
            switch name {
            case "sslmode":
                guard mode == nil else { throw PostgresLocationError("names sslmode twice") }
                mode = try sslMode(value: value.map(String.init) ?? "")
            case "password":
                throw PostgresLocationError(
                    "holds a password (?password=); remove it from the URL and give it as the secret \"databasePassword\" "
                        + "({\"env\": NAME}, {\"file\": PATH} or {\"credential\": NAME})")
            default:
                // A name is quoted only when it reads as one: a pasted secret is not echoed.
                let shown =
                    name.count <= 40 && name.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0 == "_" })
                    ? "the parameter \"\(name)\"" : "a parameter"
                throw PostgresLocationError(
                    "has \(shown), which sessionsync does not know; the only one accepted is sslmode")
            }
        }
        return mode
    }

    private static func sslMode(value: String) throws(PostgresLocationError) -> PostgresSSLMode {
        if let mode = PostgresSSLMode(rawValue: value) { return mode }
        switch value {
        case "prefer", "allow":
            throw PostgresLocationError(
                "has sslmode=\(value), which falls back to clear text without saying so; use require or verify-full "
                    + "(or disable, on loopback or a network you trust)")
        case "verify-ca":
            throw PostgresLocationError(
                "has sslmode=verify-ca, which checks the certificate but not whose it is; use verify-full")
        default:
            let shown = value.count <= 20 && value.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0 == "-" })
            throw PostgresLocationError(
                (shown ? "has sslmode=\(value), which is not one of " : "has an sslmode that is not one of ")
                    + PostgresSSLMode.accepted)
        }
    }

    private static func decoded(_ text: Substring, what: String) throws(PostgresLocationError) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let first = utf8.index(after: index)
                guard first < utf8.endIndex, utf8.index(after: first) < utf8.endIndex,
                    let high = hexValue(utf8[first]), let low = hexValue(utf8[utf8.index(after: first)])
                else {
                    throw PostgresLocationError("has a '%' in the \(what) that is not followed by two hex digits")
                }
                bytes.append(high << 4 | low)
                index = utf8.index(first, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self), !decoded.unicodeScalars.contains("\0") else {
            throw PostgresLocationError("has a \(what) that is not UTF-8 text once percent-decoded")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
