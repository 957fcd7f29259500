import Archive
import SessionSyncSupport
import SyncEngine

/// For each due chat or transcript item: asks for the download link, downloads the CSV from
/// the storage host (without credentials) and replaces the session's messages or transcript.
///
/// An export that is not there yet (a 4xx from either request, `success: false`, or no link) is
/// retried on later passes until upstream retention ends; a file that cannot be read is
/// retried a few times and then given up, with a warning, so that one bad file does not stop
/// the source.
struct RealtimeKitExportFetcher {
    static let unreadableFileAttempts = 3

    let api: RealtimeKitAPI
    let export: RealtimeKitExport

    private enum Outcome {
        case file([UInt8])
        case notReady(String)
    }

    func run(_ pass: SyncPass) async throws {
        // The queue's deadline (upstream retention) gives an export up; attempts only bound a
        // file that keeps failing on the way.
        try await pass.workQueue(kind: export.queueKind, commitEvery: 10, retry: ItemRetryPolicy(maxAttempts: 30)) {
            [self] item in
            let completion: QueueCompletion
            var children: [SessionChildren] = []
            switch try await fetch(pass, sessionID: item.externalID) {
            case .notReady(let reason):
                let endedAt = item.version.flatMap(Timestamp.init(iso8601:))
                completion = QueueCompletion(
                    kind: item.kind, externalID: item.externalID,
                    outcome: .retry(
                        error: reason, notBefore: RealtimeKitExportRetry.notBefore(endedAt: endedAt, now: .now()),
                        countsAsAttempt: false,
                        maxAttempts: nil
                    )
                )
            case .file(let bytes):
                do throws(RealtimeKitCSVTable.ReadError) {
                    let set = try export.childSet(try RealtimeKitCSVTable(bytes: bytes))
                    children = [SessionChildren(externalID: item.externalID, children: [set])]
                    completion = QueueCompletion(
                        kind: item.kind, externalID: item.externalID, outcome: .done(version: item.version))
                } catch {
                    let message =
                        "\(export.downloadEndpoint) for session \(item.externalID) could not be read: \(error)"
                    await pass.warn(message)
                    completion = QueueCompletion(
                        kind: item.kind, externalID: item.externalID,
                        outcome: .retry(
                            error: message, notBefore: nil, countsAsAttempt: true,
                            maxAttempts: Self.unreadableFileAttempts)
                    )
                }
            }
            return ArchiveBatch(sessionChildren: children, completions: [completion])
        }
    }

    private func fetch(_ pass: SyncPass, sessionID: String) async throws -> Outcome {
        let response: APIResponse
        do {
            response = try await api.exportLink(pass.http, sessionID: sessionID, export: export)
        } catch let error as SyncError where Self.isClientError(error) && !error.isAuthenticationFailure {
            return .notReady(error.description)
        }
        let document = try response.json()
        if let failure = RealtimeKitEnvelope.failure(in: document) {
            return .notReady("\(export.linkEndpoint) reported: \(failure)")
        }
        let link = try pass.http.map(export.linkEndpoint) { () throws(JSONShapeError) in
            try document.root.requireObject("data").optionalString(export.linkField)
        }
        guard let link, !link.isEmpty else {
            return .notReady("\(export.linkEndpoint) gave no \(export.linkField) yet")
        }
        do {
            return .file(try await pass.http.send(.download(link, endpoint: export.downloadEndpoint)).body)
        } catch let error as SyncError where Self.isClientError(error) {
            // A file not written yet, or a link that expired (403 from the storage host): the
            // next attempt asks for a fresh link.
            return .notReady(error.description)
        }
    }

    /// A 4xx other than 429 (which the engine retries and then reports as a spent rate budget).
    private static func isClientError(_ error: SyncError) -> Bool {
        guard let status = error.httpStatus else { return false }
        return (400..<500).contains(status) && status != 429
    }
}
