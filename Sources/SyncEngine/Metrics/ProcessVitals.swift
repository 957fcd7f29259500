import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The process figures every Prometheus client exposes (`process_*`), read from `/proc/self` at
/// each scrape. Written by hand: swift-prometheus has no process collector. On a system without
/// `/proc`, the figures are absent rather than wrong.
struct ProcessVitals {
    var residentBytes: Double?
    var cpuSeconds: Double?
    var openFileDescriptors: Double?
    var maxFileDescriptors: Double?
    var startTimeSeconds: Double?

    static func read() -> ProcessVitals {
        var vitals = ProcessVitals()
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) { vitals.residentBytes = pages * pageSize }
        }
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let end = stat.lastIndex(of: ")")
        {
            // Fields after the command name (which may hold spaces), from field 3 (state) on.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            if fields.count > 19, let user = Double(fields[11]), let system = Double(fields[12]), ticks > 0 {
                vitals.cpuSeconds = (user + system) / ticks
                if let started = Double(fields[19]), let boot = bootTime() {
                    vitals.startTimeSeconds = boot + started / ticks
                }
            }
        }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            vitals.openFileDescriptors = Double(descriptors.count)
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { vitals.maxFileDescriptors = Double(limit.rlim_cur) }
        return vitals
    }

    /// The boot time (`btime` in `/proc/stat`), in seconds since 1970.
    private static func bootTime() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in stat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
