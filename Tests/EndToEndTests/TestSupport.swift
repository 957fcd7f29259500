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
    var env = environment
    env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    // stdout through a pipe read to its end, stderr into a file: reading two pipes one after the
    // other would block for good once the process filled the other one's buffer (64 KiB).
    let out = try ChildPipe()
    let errPath = NSTemporaryDirectory() + "sessionsync-stderr-\(UUID().uuidString)"
    let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard err >= 0 else {
        close(out.read)
        close(out.write)
        throw CocoaError(.fileWriteUnknown)
    }
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let process: ChildProcess
    do {
        process = try ChildProcess(
            sessionsyncBinary, arguments, environment: env, directory: directory, standardOutput: out.write,
            standardError: err)
    } catch {
        close(out.read)
        close(out.write)
        close(err)
        throw error
    }
    close(out.write)
    close(err)
    let outData = out.readToEnd()
    process.waitUntilExit()
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
