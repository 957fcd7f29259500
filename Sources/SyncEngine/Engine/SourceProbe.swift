import Logging

/// `check-config --probe` for one source: one cheap authenticated request through the provider,
/// over the source's own HTTP side. It needs no archive and writes nothing.
public struct SourceProbe: Sendable {
    let provider: any Provider
    let http: SourceHTTP
    let redactor: SecretRedactor

    public init(
        source: SourceConfiguration, descriptor: ProviderDescriptor, transport: HTTPTransport, logger: Logger,
        retry: RetryPolicy
    ) {
        provider = descriptor.provider(for: source)
        http = SourceHTTP(
            source: source,
            client: APIClient(
                for: source, provider: provider, transport: transport, sleeper: .real, retry: retry, logger: logger)
        )
        redactor = SecretRedactor(secrets: source.secrets)
    }

    /// What the API said; every text masked of the source's secrets.
    public func run() async -> ProbeOutcome {
        do {
            return .answered(redactor.redact(try await provider.probe(http)))
        } catch let error as SyncError where error.isAuthenticationFailure {
            return .refused(redactor.redact("\(error)"))
        } catch {
            return .failed(redactor.redact("\(error)"))
        }
    }
}
