import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP answer, as a test reads it.
struct HTTPAnswer {
    let status: Int
    let headers: [String: String]
    let body: String
}

/// One HTTP/1.1 request over a plain socket (`Connection: close`), read to the end; nil when no
/// connection could be made (nothing listens). The 10-second receive timeout only bounds a
/// broken server.
func httpRequest(_ method: String = "GET", host: String = "127.0.0.1", port: Int, path: String) -> HTTPAnswer? {
    let ipv6 = host.contains(":")
    let fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected: Int32
    if ipv6 {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET6, host, &address.sin6_addr)
        connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    } else {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
    guard connected == 0 else { return nil }
    let hostHeader = ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    let request = Array("\(method) \(path) HTTP/1.1\r\nHost: \(hostHeader)\r\nConnection: close\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
        return nil
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        received += buffer[0..<count]
    }
    let text = String(decoding: received, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { return nil }
    let headLines = text[..<split.lowerBound].components(separatedBy: "\r\n")
    guard let statusLine = headLines.first, statusLine.hasPrefix("HTTP/1.1 "),
        let status = Int(statusLine.dropFirst(9).prefix(3))
    else { return nil }
    var headers: [String: String] = [:]
    for line in headLines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HTTPAnswer(status: status, headers: headers, body: String(text[split.upperBound...]))
}

/// Asks `attempt` again until it returns a value, or `limit` passes (nil). The limit only bounds
/// a broken test; the polling is the synchronization.
func poll<T>(
    limit: TimeInterval = 60, every interval: Duration = .milliseconds(100), _ attempt: () async throws -> T?
) async rethrows -> T? {
    let deadline = Date().addingTimeInterval(limit)
    while true {
        if let value = try await attempt() { return value }
        if Date() > deadline { return nil }
        try? await Task.sleep(for: interval)
    }
}

/// A TCP port on 127.0.0.1 held open (listening) until ``close()``: to take a port from
/// sessionsync, or, closed at once, to find one that was free a moment ago.
final class HeldPort {
    let port: Int
    private var fd: Int32

    init(host: String = "127.0.0.1") throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 1) == 0 else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// A port that was free when asked (nothing holds it afterwards).
    static func free() throws -> Int {
        let held = try HeldPort()
        held.close()
        return held.port
    }

    func close() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
        }
    }

    deinit {
        close()
    }
}

/// A Prometheus text exposition, read into samples: enough to check names, labels and values.
struct Exposition {
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let text: String
    let samples: [Sample]
    /// The `# HELP` text of each family.
    let help: [String: String]
    /// The `# TYPE` of each family.
    let types: [String: String]

    init(_ text: String) {
        self.text = text
        var samples: [Sample] = []
        var help: [String: String] = [:]
        var types: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                let name = rest.prefix { $0 != " " }
                help[String(name)] = String(rest.dropFirst(name.count + 1))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                if parts.count == 2 { types[String(parts[0])] = String(parts[1]) }
            } else if !line.hasPrefix("#"), let sample = Self.sample(line) {
                samples.append(sample)
            }
        }
        self.samples = samples
        self.help = help
        self.types = types
    }

    /// `name{a="b",c="d"} 1.5`, label values unescaped.
    private static func sample(_ line: Substring) -> Sample? {
        let name = String(line.prefix { $0 != "{" && $0 != " " })
        var rest = line.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while let first = rest.first, first != "}" {
                if first == "," {
                    rest = rest.dropFirst()
                    continue
                }
                let key = String(rest.prefix { $0 != "=" })
                rest = rest.dropFirst(key.count + 2)  // `="`
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        value.append(escaped == "n" ? "\n" : escaped)
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                rest = rest.dropFirst()  // the closing quote
                labels[key] = value
            }
            rest = rest.dropFirst()  // `}`
        }
        guard let value = Double(rest.trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else {
            return nil
        }
        return Sample(name: name, labels: labels, value: value)
    }

    /// The samples of `name` whose labels include `labels`.
    func samples(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }

    /// The sum of the samples of `name` whose labels include `labels`.
    func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        samples(name, labels).reduce(0) { $0 + $1.value }
    }
}

/// `promtool`, Prometheus' own checker of the text exposition (Debian package `prometheus`).
enum Promtool {
    static let path: String? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// In CI (`CI=true`) the check must run; elsewhere a machine without promtool skips it.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Runs `promtool check metrics` on `exposition`: its exit status and what it printed.
    static func checkMetrics(_ exposition: String) throws -> (status: Int32, output: String) {
        let input = try writeFile(
            "promtool-input-\(UUID().uuidString).txt", exposition, in: NSTemporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: input) }
        let stdin = open(input, O_RDONLY | O_CLOEXEC)
        guard stdin >= 0 else { throw CocoaError(.fileReadUnknown) }
        defer { close(stdin) }
        let (status, printed) = try ChildProcess.output(
            of: path ?? "/usr/bin/promtool", ["check", "metrics"], environment: ["PATH": "/usr/bin:/bin"],
            standardInput: stdin, withStandardError: true)
        return (status, String(decoding: printed, as: UTF8.self))
    }
}

extension SessionSyncProcess {
    /// Kills the process if it still runs, and waits for it: a test that failed before it stopped
    /// its daemon leaves nothing running behind it.
    func killIfRunning() {
        guard process.isRunning else { return }
        signal(SIGKILL)
        _ = waitForExit()
    }
}
