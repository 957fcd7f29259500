import Archive
import SessionSyncSupport

extension StatusReport {
    /// A page a person reads at a glance.
    public var text: String {
        var lines = ["archive \(database) (schema version \(schemaVersion)), \(sources.count) source(s)"]
        if let lease = sharedLease {
            lines.append("  size:       \(Self.bytes(vitals.databaseBytes)) database (PostgreSQL keeps its own WAL)")
            lines.append(
                "  instances:  any number of `run` share the sources, one holder each, taken over \(DurationText.format(lease)) after its last renewal"
            )
        } else {
            lines.append(
                "  files:      \(Self.bytes(vitals.databaseBytes)) database, \(Self.bytes(vitals.walBytes)) WAL")
        }
        if sharedLease != nil {
            // PostgreSQL checkpoints its own WAL: there is nothing of sessionsync's to report.
        } else if let last = vitals.checkpointFailures.first {
            let kinds = vitals.checkpointFailures.map { "\($0.kind): \($0.count)" }.joined(separator: ", ")
            lines.append(
                "  checkpoint: \(vitals.checkpointFailureCount) WAL checkpoint(s) failed (\(kinds)); see wal_checkpoint_failures"
            )
            lines.append("              last at \(last.lastSeenAt): \(last.kind): \(last.lastMessage)")
        } else {
            lines.append("  checkpoint: no WAL checkpoint failed")
        }
        if sources.isEmpty {
            lines.append("  no sources configured")
        }
        for source in sources {
            lines.append("")
            var header = "\(source.name)  [\(source.provider)]"
            if !source.configured {
                header += "  (not in the config: archive kept, not synced)"
            } else if !source.enabled {
                header += "  (disabled)"
            } else if let schedule = source.schedule {
                header += "  \(schedule)"
            }
            lines.append(header)
            if let health = source.health {
                lines.append("  health:     \(health.healthy ? "ok" : "UNHEALTHY"): \(health.reason)")
            }
            if let lease = source.lease {
                lines.append(
                    lease.expired
                        ? "  held by:    nobody (last \(lease.holder), epoch \(lease.epoch), until \(lease.expiresAt))"
                        : "  held by:    \(lease.holder) (epoch \(lease.epoch)) until \(lease.expiresAt), renewed while it runs"
                )
            } else if sharedLease != nil && source.configured {
                lines.append("  held by:    nobody yet")
            }
            if let run = source.lastRun {
                var line = "  last run:   #\(run.id) \(run.status.rawValue), started \(run.startedAt)"
                if let finished = run.finishedAt { line += ", finished \(finished)" }
                lines.append(line)
                lines.append(
                    "              \(run.requests) requests, \(run.sessionsUpserted) sessions upserted, \(run.rowsWritten) rows written"
                )
                if let error = run.error { lines.append("  error:      \(error)") }
                if let warnings = run.warnings { lines.append("  warnings:   \(warnings)") }
                if run.status != .succeeded, let success = source.lastSuccess {
                    lines.append("  last ok:    #\(success.id) started \(success.startedAt)")
                }
            } else {
                lines.append("  last run:   never")
            }
            if let due = source.nextDue {
                lines.append("  next due:   \(due <= generatedAt ? "now" : due.iso8601)")
            }
            if source.cursors.isEmpty {
                lines.append("  cursors:    none")
            } else {
                for (index, cursor) in source.cursors.enumerated() {
                    let label = index == 0 ? "  cursors:    " : "              "
                    lines.append(
                        "\(label)\(cursor.stream) = \(cursor.value ?? "(none)")  (updated \(cursor.updatedAt))")
                }
            }
            let rows = source.rows
            var counts = "  rows:       \(rows.sessions) sessions"
            if rows.liveSessions > 0 { counts += " (\(rows.liveSessions) live)" }
            for (count, noun) in [
                (rows.participants, "participants"), (rows.messages, "messages"), (rows.pageHistory, "page visits"),
                (rows.timeline, "timeline buckets"), (rows.transcripts, "transcript lines"),
            ] where count > 0 {
                counts += ", \(count) \(noun)"
            }
            lines.append(counts)
            for queue in source.queue {
                let line =
                    "  queue:      \(queue.kind): \(queue.pending) pending, \(queue.done) done, \(queue.gaveUp) given up"
                lines.append(line)
                if let error = queue.lastPendingError { lines.append("              waiting: \(error)") }
                if let error = queue.lastGiveUpError { lines.append("              given up: \(error)") }
            }
            let drift = source.drift
            if let first = drift.fields.first, let last = drift.lastDriftAt {
                let values = drift.fields.reduce(0) { $0 + $1.count }
                lines.append(
                    "  drift:      \(drift.fields.count) field(s) stored as NULL (\(values) value(s)), last seen \(last); see schema_drift"
                )
                lines.append(
                    "              e.g. \(first.endpoint) \(first.path): expected \(first.expected), found \(first.found)"
                )
            }
            if drift.quarantined > 0 {
                lines.append(
                    "  quarantine: \(drift.quarantined) record(s) kept aside, last \(drift.lastQuarantinedAt ?? "?"); see the quarantine table"
                )
                if let reason = drift.lastQuarantineReason { lines.append("              last reason: \(reason)") }
            }
            lines += source.retentionLines
            if source.pendingDetailRequests > 0 {
                lines.append(
                    "  requests:   \(source.pendingDetailRequests) detail request(s) waiting for the next pass")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The same report as JSON, for scripts.
    public var json: JSONOutput {
        .object([
            ("database", .string(database)),
            ("schemaVersion", .int(Int64(schemaVersion))),
            ("generatedAt", .string(generatedAt.iso8601)),
            ("sharedLease", .optional(sharedLease.map(DurationText.format))),
            ("sources", .array(sources.map(\.json))),
            (
                "archive",
                .object([
                    ("databaseBytes", .int(vitals.databaseBytes)), ("walBytes", .int(vitals.walBytes)),
                    (
                        "checkpointFailures",
                        .object([
                            ("count", .int(Int64(vitals.checkpointFailureCount))),
                            (
                                "lastError",
                                .optional(vitals.checkpointFailures.first.map { "\($0.kind): \($0.lastMessage)" })
                            ),
                            ("lastSeenAt", .optional(vitals.checkpointFailures.first?.lastSeenAt)),
                            (
                                "kinds",
                                .array(
                                    vitals.checkpointFailures.map {
                                        .object([
                                            ("kind", .string($0.kind)), ("count", .int(Int64($0.count))),
                                            ("lastMessage", .string($0.lastMessage)),
                                            ("lastSeenAt", .string($0.lastSeenAt)),
                                        ])
                                    })
                            ),
                        ])
                    ),
                ])
            ),
        ])
    }

    /// `812 bytes`, `4.2 KiB`, `31.0 MiB`, `1.2 GiB`.
    static func bytes(_ count: Int64) -> String {
        guard count >= 1024 else { return "\(count) bytes" }
        var value = Double(count) / 1024
        for unit in ["KiB", "MiB", "GiB"] {
            if value < 1024 || unit == "GiB" {
                let tenths = (value * 10).rounded()
                return "\(Int64(tenths) / 10).\(Int64(tenths) % 10) \(unit)"
            }
            value /= 1024
        }
        return "\(count) bytes"
    }
}

extension SourceStatus {
    var json: JSONOutput {
        .object([
            ("name", .string(name)),
            ("provider", .string(provider)),
            ("configured", .bool(configured)),
            ("enabled", .bool(enabled)),
            ("schedule", .optional(schedule)),
            ("lastRun", lastRun.map(\.json) ?? .null),
            ("lastSuccess", lastSuccess.map(\.json) ?? .null),
            ("nextDue", .optional(nextDue?.iso8601)),
            (
                "lease",
                lease.map {
                    .object([
                        ("holder", .string($0.holder)), ("epoch", .int($0.epoch)), ("expiresAt", .string($0.expiresAt)),
                        ("held", .bool(!$0.expired)),
                    ])
                } ?? .null
            ),
            (
                "cursors",
                .object(
                    cursors.map {
                        ($0.stream, .object([("value", .optional($0.value)), ("updatedAt", .string($0.updatedAt))]))
                    })
            ),
            (
                "rows",
                .object([
                    ("sessions", .int(Int64(rows.sessions))), ("liveSessions", .int(Int64(rows.liveSessions))),
                    ("participants", .int(Int64(rows.participants))), ("messages", .int(Int64(rows.messages))),
                    ("pageHistory", .int(Int64(rows.pageHistory))), ("timeline", .int(Int64(rows.timeline))),
                    ("transcripts", .int(Int64(rows.transcripts))),
                ])
            ),
            (
                "queue",
                .object(
                    queue.map {
                        (
                            $0.kind,
                            .object([
                                ("pending", .int(Int64($0.pending))), ("done", .int(Int64($0.done))),
                                ("gaveUp", .int(Int64($0.gaveUp))),
                                ("lastGiveUpError", .optional($0.lastGiveUpError)),
                                ("lastPendingError", .optional($0.lastPendingError)),
                            ])
                        )
                    })
            ),
            ("pendingDetailRequests", .int(Int64(pendingDetailRequests))),
            (
                "schemaDrift",
                .array(
                    drift.fields.map {
                        .object([
                            ("endpoint", .string($0.endpoint)), ("jsonPath", .string($0.path)),
                            ("expected", .string($0.expected)),
                            ("foundSample", .string($0.found)), ("count", .int(Int64($0.count))),
                        ])
                    })
            ),
            (
                "quarantine",
                .object([
                    ("records", .int(Int64(drift.quarantined))), ("lastSeenAt", .optional(drift.lastQuarantinedAt)),
                    ("lastReason", .optional(drift.lastQuarantineReason)),
                ])
            ),
            ("retention", retentionJSON),
            ("tombstones", tombstonesJSON),
            (
                "health",
                health.map { .object([("healthy", .bool($0.healthy)), ("reason", .string($0.reason))]) } ?? .null
            ),
        ])
    }
}

extension RunRecord {
    var json: JSONOutput {
        .object([
            ("id", .int(id)),
            ("status", .string(status.rawValue)),
            ("startedAt", .string(startedAt)),
            ("finishedAt", .optional(finishedAt)),
            ("requests", .int(Int64(requests))),
            ("sessionsUpserted", .int(Int64(sessionsUpserted))),
            ("rowsWritten", .int(Int64(rowsWritten))),
            ("error", .optional(error)),
            ("warnings", .optional(warnings)),
        ])
    }
}
