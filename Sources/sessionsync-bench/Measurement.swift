import Foundation

/// One workload at one size into one kind of archive: the first pass, the unchanged second pass,
/// and the baseline of that kind of archive.
struct Measurement {
    /// The archive the passes wrote to, and so the baseline they are compared with.
    enum Store: String {
        case sqlite = "SQLite"
        case postgres = "PostgreSQL"
    }

    let workload: Workload
    let store: Store
    let sessions: Int
    let rows: Int
    let seconds: Double
    let cpuSeconds: Double
    let requests: Int
    let peakRSS: Int
    let databaseBytes: Int
    let baselineRowsPerSecond: Double
    let maxCommitMilliseconds: Double
    let secondRequests: Int
    let secondSeconds: Double
    let secondRowsWritten: Int
    let secondPeakRSS: Int

    init(
        workload: Workload, store: Store, sessions: Int, rows: Int, passes: SyncPasses, baselineRowsPerSecond: Double,
        maxCommitMilliseconds: Double, secondRowsWritten: Int
    ) {
        self.workload = workload
        self.store = store
        self.sessions = sessions
        self.rows = rows
        seconds = passes.first.wallSeconds
        cpuSeconds = passes.first.cpuSeconds
        requests = passes.firstRequests
        peakRSS = passes.first.peakRSSBytes
        databaseBytes = passes.databaseBytes
        self.baselineRowsPerSecond = baselineRowsPerSecond
        self.maxCommitMilliseconds = maxCommitMilliseconds
        secondRequests = passes.secondRequests
        secondSeconds = passes.second.wallSeconds
        self.secondRowsWritten = secondRowsWritten
        secondPeakRSS = passes.second.peakRSSBytes
    }

    var rowsPerSecond: Double {
        Double(rows) / seconds
    }

    var line: String {
        "\(workload.rawValue) N=\(sessions) \(store.rawValue): \(format(seconds, 2)) s (CPU \(format(cpuSeconds, 2)) s), \(Int(Double(sessions) / seconds)) sessions/s, \(Int(rowsPerSecond)) rows/s, ratio to its baseline \(format(rowsPerSecond / baselineRowsPerSecond, 2)), peak RSS \(format(Double(peakRSS) / 1_048_576, 1)) MB"
    }

    static func table(_ results: [Measurement]) -> String {
        let header = [
            "workload", "N", "archive", "wall s", "CPU s", "sessions/s", "rows/s", "requests", "peak RSS MB", "DB MB",
            "vs baseline",
            "max commit ms", "2nd pass req", "2nd pass s", "2nd pass writes",
        ]
        let rows: [[String]] = results.map { m in
            [
                m.workload.rawValue, "\(m.sessions)", m.store.rawValue, format(m.seconds, 2), format(m.cpuSeconds, 2),
                "\(Int(Double(m.sessions) / m.seconds))",
                "\(Int(m.rowsPerSecond))", "\(m.requests)", format(Double(m.peakRSS) / 1_048_576, 1),
                format(Double(m.databaseBytes) / 1_048_576, 1), format(m.rowsPerSecond / m.baselineRowsPerSecond, 2),
                format(m.maxCommitMilliseconds, 1), "\(m.secondRequests)", format(m.secondSeconds, 2),
                "\(m.secondRowsWritten)",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func render(_ cells: [String]) -> String {
            "| "
                + cells.enumerated().map {
                    $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0)
                }.joined(separator: " | ") + " |"
        }
        return
            ([render(header), "|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|"]
            + rows.map(render)).joined(separator: "\n")
    }
}

func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}
