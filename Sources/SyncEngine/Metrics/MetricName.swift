/// Every series sessionsync exposes, with its Prometheus name and HELP text: the one list the
/// README's table follows. Labels never carry a secret, a session id or a user id: only source
/// and provider names, endpoint templates (`GET /v1/sessions/{id}/details`), HTTP status codes,
/// queue kinds and states, and fixed words.
public enum MetricName: String, CaseIterable, Sendable {
    case passes = "sessionsync_passes_total"
    case passDuration = "sessionsync_pass_duration_seconds"
    case lastSuccess = "sessionsync_last_success_timestamp_seconds"
    case lastPass = "sessionsync_last_pass_timestamp_seconds"
    case httpRequests = "sessionsync_http_requests_total"
    case httpRetries = "sessionsync_http_retries_total"
    case rateLimitWait = "sessionsync_rate_limit_wait_seconds_total"
    case sessionsWritten = "sessionsync_sessions_written_total"
    case rowsWritten = "sessionsync_rows_written_total"
    case queueItems = "sessionsync_queue_items"
    case schemaDrift = "sessionsync_schema_drift_total"
    case quarantined = "sessionsync_quarantined_total"
    case archiveBytes = "sessionsync_archive_bytes"
    case checkpointFailures = "sessionsync_wal_checkpoint_failures_total"
    case commitDuration = "sessionsync_commit_duration_seconds"
    case sourceHealthy = "sessionsync_source_healthy"
    case residentMemory = "process_resident_memory_bytes"
    case cpuSeconds = "process_cpu_seconds_total"
    case openFileDescriptors = "process_open_fds"
    case maxFileDescriptors = "process_max_fds"
    case startTime = "process_start_time_seconds"

    public var help: String {
        switch self {
        case .passes: "Passes run, by source and how they ended (succeeded, failed, interrupted, skipped)."
        case .passDuration: "How long a pass took, from its start to its last commit."
        case .lastSuccess: "When the source's last successful pass finished (Unix time), from the run ledger."
        case .lastPass: "When the source's last pass of any outcome finished (Unix time), from the run ledger."
        case .httpRequests: "HTTP requests sent, by endpoint and status code (code=\"error\" when no answer came)."
        case .httpRetries: "HTTP requests retried after a timeout, a connection error, 429 or 5xx."
        case .rateLimitWait: "Seconds spent waiting for the source's rate limits and Retry-After."
        case .sessionsWritten: "Sessions written to the archive: inserted, or changed (a value differed)."
        case .rowsWritten: "Rows inserted, updated or deleted in the archive, in every table."
        case .queueItems: "Per-session work items in the fetch queue, by kind and state (pending, done, gave_up)."
        case .schemaDrift: "Values stored as NULL because their type or format was not what the mapping expected."
        case .quarantined: "Records kept aside in the quarantine table for want of a usable id or cursor time."
        case .archiveBytes:
            "Size of the archive's files: the database (file=\"db\") and its write-ahead log (file=\"wal\")."
        case .checkpointFailures: "WAL checkpoints that SQLite refused; the WAL grows until one succeeds."
        case .commitDuration: "How long one archive transaction held the write lock, from BEGIN to the end of COMMIT."
        case .sourceHealthy:
            "1 when the source had a successful pass within its last three schedule intervals (or has not been watched that long yet), as /healthz judges, 0 otherwise."
        case .residentMemory: "Resident memory size in bytes."
        case .cpuSeconds: "Total user and system CPU time spent in seconds."
        case .openFileDescriptors: "Number of open file descriptors."
        case .maxFileDescriptors: "Maximum number of open file descriptors."
        case .startTime: "Start time of the process since unix epoch in seconds."
        }
    }

    /// Upper bounds of the histograms' buckets.
    var buckets: [Duration] {
        switch self {
        case .passDuration:
            [
                .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60),
                .seconds(300), .seconds(900), .seconds(3600),
            ]
        case .commitDuration:
            [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .seconds(1),
            ]
        default:
            []
        }
    }
}
