import Foundation
import Simulators

/// A PostgreSQL cluster for one benchmark run (`--postgres-throwaway`), started with
/// `scripts/postgres-throwaway.sh serve`: initdb in a temporary folder, trust authentication,
/// 127.0.0.1 on a free port, `fsync=off`.
///
/// The script stops the cluster and removes its folder when its standard input ends. The other
/// end of that pipe is held only by this process (close-on-exec, so no `sessionsync sync` child
/// inherits it), so the cluster goes however the benchmark ends: ``stop()`` at the end of a run,
/// the kernel closing the pipe when the benchmark exits on an error or is killed.
final class ThrowawayPostgres {
    /// The cluster's URL (its `postgres` maintenance database, superuser `postgres`).
    let url: String
    private var cluster: ThrowawayPostgresScript?

    /// Starts the cluster; it takes a few seconds (initdb), which the benchmark waits for before
    /// anything is measured.
    init() throws {
        do {
            let cluster = try ThrowawayPostgresScript.serve(try Self.script())
            self.url = cluster.url + "?sslmode=disable"
            self.cluster = cluster
        } catch let error as ThrowawayPostgresScriptError {
            throw BenchError("--postgres-throwaway: \(error)")
        }
    }

    /// Ends the script's input and waits until it has stopped the cluster and removed its folder.
    func stop() {
        cluster?.stop()
        cluster = nil
    }

    deinit {
        stop()
    }

    /// `scripts/postgres-throwaway.sh` of the checkout: the benchmark runs from the package's
    /// folder (`.build/release/sessionsync-bench`), else from the checkout it was built in.
    private static func script() throws -> String {
        let relative = "scripts/postgres-throwaway.sh"
        var candidates = [FileManager.default.currentDirectoryPath + "/" + relative]
        var folder = URL(fileURLWithPath: #filePath)
        while folder.path != "/" {
            folder.deleteLastPathComponent()
            candidates.append(folder.appendingPathComponent(relative).path)
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw BenchError("--postgres-throwaway: \(relative) not found; run the benchmark from the package's folder")
        }
        return found
    }
}
