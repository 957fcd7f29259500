import Archive

extension QueueCompletion {
    /// The same completion with its error text (stored in `fetch_queue.last_error`) redacted.
    func redactingError(with redactor: SecretRedactor) -> QueueCompletion {
        var redacted = self
        switch outcome {
        case .done:
            break
        case .retry(let error, let notBefore, let countsAsAttempt, let maxAttempts):
            redacted.outcome = .retry(
                error: error.map(redactor.redact), notBefore: notBefore, countsAsAttempt: countsAsAttempt, maxAttempts: maxAttempts
            )
        case .giveUp(let error):
            redacted.outcome = .giveUp(error: redactor.redact(error))
        }
        return redacted
    }
}
