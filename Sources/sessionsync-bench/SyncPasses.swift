import Foundation
import Simulators

/// The two measured runs of `sessionsync sync` into one archive, SQLite or PostgreSQL: the first
/// pass over a fresh archive, then a second pass over the unchanged source.
struct SyncPasses {
    let first: ChildProcess.Result
    let second: ChildProcess.Result
    /// HTTP requests of each pass, as the bench server counted them.
    let firstRequests: Int
    let secondRequests: Int
    /// The archive's size after the first pass, as `sizeAfterFirstPass` measured it.
    let databaseBytes: Int

    /// Runs both passes against a server of its own on `api`, with a config whose `database` is
    /// `database` (a path or a URL) and whose other top-level keys are `extraConfig` (JSON members,
    /// with a trailing comma), each key of `extraEnvironment` reaching the child.
    /// `sizeAfterFirstPass` measures the archive between the passes: the second one may grow it a little.
    static func run(
        _ workload: Workload, sessions count: Int, api: PrerenderedAPI, binary: String, directory: String,
        database: String, extraConfig: String = "", extraEnvironment: [String: String] = [:],
        sizeAfterFirstPass: () async throws -> Int
    ) async throws -> SyncPasses {
        let server = try await SimulatorServer(api: api, gzip: false)
        let config = directory + "/config.json"
        try
            #"{"database": "\#(database)", \#(extraConfig)"logLevel": "warning", "sources": [\#(workload.source(baseURL: server.baseURL))]}"#
            .write(toFile: config, atomically: true, encoding: .utf8)
        var environment = ["BENCH_KEY": Workload.key, "PATH": "/usr/bin:/bin"]
        // Allocator settings to try (MALLOC_ARENA_MAX, ...) reach the measured process.
        for (name, value) in ProcessInfo.processInfo.environment where name.hasPrefix("MALLOC_") {
            environment[name] = value
        }
        environment.merge(extraEnvironment) { _, extra in extra }
        let log = directory + "/sync.log"
        do {
            let first = try ChildProcess.run(
                binary, ["sync", "--config", config], environment: environment, output: log)
            guard first.status == 0 else {
                throw BenchError(
                    "the first pass of \(workload.rawValue) N=\(count) exited \(first.status): \(tail(log))")
            }
            let firstRequests = server.log.count
            let databaseBytes = try await sizeAfterFirstPass()
            server.log.clear()
            let second = try ChildProcess.run(
                binary, ["sync", "--config", config], environment: environment, output: log)
            guard second.status == 0 else {
                throw BenchError(
                    "the second pass of \(workload.rawValue) N=\(count) exited \(second.status): \(tail(log))")
            }
            let secondRequests = server.log.count
            await server.shutdown()
            return SyncPasses(
                first: first, second: second, firstRequests: firstRequests, secondRequests: secondRequests,
                databaseBytes: databaseBytes)
        } catch {
            await server.shutdown()
            throw error
        }
    }

    private static func tail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }
}
