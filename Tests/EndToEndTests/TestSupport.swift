import Foundation
import SQLiteDB

/// Writes `text` to the file `name` in `directory`; returns the file's path.
func writeFile(_ name: String, _ text: String, in directory: String) throws -> String {
    let file = directory + "/" + name
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    return file
}

/// The package's root folder, found from this file's path.
let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            return url.path
        }
    }
    return FileManager.default.currentDirectoryPath
}()

/// The `sessionsync` binary built beside the test bundle.
let sessionsyncBinary: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "sessionsync"
    ).path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return packageRoot + "/.build/debug/sessionsync"
}()

/// What a finished `sessionsync` process left.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `sessionsync` with `arguments` and an environment of only `environment` (plus PATH).
func runSessionSync(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws
    -> ProcessResult
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: sessionsyncBinary)
    process.arguments = arguments
    var env = environment
    env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    // stdout through a pipe read to its end, stderr into a file: reading two pipes one after the
    // other would block for good once the process filled the other one's buffer (64 KiB).
    let out = Pipe()
    let errPath = NSTemporaryDirectory() + "sessionsync-stderr-\(UUID().uuidString)"
    guard FileManager.default.createFile(atPath: errPath, contents: nil),
        let err = FileHandle(forWritingAtPath: errPath)
    else {
        throw CocoaError(.fileWriteUnknown)
    }
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try err.close()
    let errData = FileManager.default.contents(atPath: errPath) ?? Data()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)
    )
}

/// The rows of `sql` on the archive at `path`, read-only as a user's `sqlite3` would open it.
func queryArchive(at path: String, _ sql: String) throws -> [[String?]] {
    let connection = try Connection(path: path, options: Connection.Options(mode: .readOnly))
    let statement = try connection.prepare(sql)
    var rows: [[String?]] = []
    while try statement.step() { rows.append((0..<statement.columnCount).map { statement.text(at: $0) }) }
    return rows
}
