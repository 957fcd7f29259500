import Archive
import SessionSyncSupport

extension SourceStatus {
    /// `retention:` and `tombstones:` lines of the text report (none when there is nothing to say).
    var retentionLines: [String] {
        var lines: [String] = []
        if retention != nil || retentionState != nil {
            var line = "  retention:  " + (retention.map(DurationText.format) ?? "none configured")
            if let state = retentionState {
                line +=
                    "; last applied \(state.appliedAt): \(state.sessionsDeleted) session(s) inactive since before \(state.cutoff) deleted"
            } else {
                line += "; not applied yet (the next pass applies it)"
            }
            lines.append(line)
            lines.append(
                "              oldest session kept: " + (oldestActivity.map { "last active \($0)" } ?? "none"))
        }
        let erased = tombstones[.erased] ?? 0
        let expired = tombstones[.retention] ?? 0
        if erased + expired > 0 {
            lines.append(
                "  tombstones: \(erased) erased, \(expired) past retention (never archived again; see the tombstones table)"
            )
        }
        return lines
    }

    var retentionJSON: JSONOutput {
        guard retention != nil || retentionState != nil else { return .null }
        return .object([
            ("window", .optional(retention.map(DurationText.format))),
            ("lastAppliedAt", .optional(retentionState?.appliedAt)),
            ("cutoff", .optional(retentionState?.cutoff)),
            ("sessionsDeleted", retentionState.map { .int(Int64($0.sessionsDeleted)) } ?? .null),
            ("oldestSessionActivityAt", .optional(oldestActivity)),
        ])
    }

    var tombstonesJSON: JSONOutput {
        .object(TombstoneReason.allCases.map { ($0.rawValue, .int(Int64(tombstones[$0] ?? 0))) })
    }
}
