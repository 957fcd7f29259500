import Foundation

/// A fresh folder under the system's temporary directory for `body`, given as its path; the
/// folder and everything in it are removed when `body` returns or throws.
@discardableResult
public func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A fresh folder under the system's temporary directory for `body`, given as its path; the
/// folder and everything in it are removed when `body` returns or throws.
@discardableResult
public func withTemporaryDirectory<T>(
    isolation: isolated (any Actor)? = #isolation,
    _ body: (String) async throws -> T
) async throws -> T {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

private func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "sessionsync-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
