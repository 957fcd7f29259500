import Archive
import SessionSyncSupport

extension ArchiveBatch {
    /// The batch with its texts for people redacted: queue errors (`fetch_queue.last_error`),
    /// quarantine reasons and drift samples, which quote what an API answered.
    func redactingTexts(with redactor: SecretRedactor) -> ArchiveBatch {
        let carriesErrors = completions.contains { completion in
            if case .done = completion.outcome { return false }
            return true
        }
        // Most batches are rows and `done` items only: nothing to read, nothing to copy.
        guard carriesErrors || !quarantined.isEmpty || !drift.isEmpty else { return self }
        var redacted = self
        redacted.completions = completions.map { completion in
            var completion = completion
            switch completion.outcome {
            case .done:
                break
            case .retry(let error, let notBefore, let countsAsAttempt, let maxAttempts):
                completion.outcome = .retry(
                    error: error.map(redactor.redact), notBefore: notBefore, countsAsAttempt: countsAsAttempt,
                    maxAttempts: maxAttempts
                )
            case .giveUp(let error):
                completion.outcome = .giveUp(error: redactor.redact(error))
            }
            return completion
        }
        redacted.quarantined = quarantined.map { record in
            var record = record
            record.reason = redactor.redact(record.reason)
            return record
        }
        redacted.drift = drift.map { item in
            SchemaDrift(
                endpoint: item.endpoint, path: item.path, expected: item.expected, found: redactor.redact(item.found),
                count: item.count)
        }
        return redacted
    }
}
