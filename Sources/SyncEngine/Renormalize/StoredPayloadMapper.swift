import Archive
import SessionSyncSupport

/// Maps payloads the archive kept with a provider's mappers, collecting what drifted and what
/// no longer maps, for ``Provider/remap(_:)`` and ``Provider/retry(_:)``.
public struct StoredPayloadMapper {
    public private(set) var drift: [SchemaDrift] = []
    public private(set) var failures: [String] = []

    public init() {}

    /// Parses `text` (the payload stored as `column`) and maps it with `map`, recording drift
    /// under `endpoint`; nil, with the failure recorded, when it does not parse or map.
    public mutating func map<Mapped>(
        _ text: String, column: String, endpoint: String,
        _ map: (JSONValue, inout SchemaDriftLog) throws(JSONShapeError) -> Mapped
    ) -> Mapped? {
        let document: JSONDocument
        do {
            document = try JSONDocument(text: text)
        } catch {
            failures.append("\(column) is not JSON: \(error)")
            return nil
        }
        var log = SchemaDriftLog(endpoint: endpoint)
        do {
            let mapped = try map(document.root, &log)
            drift += log.drifts
            return mapped
        } catch {
            failures.append("\(column) no longer maps: \(error.description)")
            return nil
        }
    }

    /// Maps every stored row of a child set; nil (the set left as stored) when one of them fails.
    public mutating func mapAll<Mapped>(
        _ texts: [String], column: String, endpoint: String,
        _ map: (JSONValue, inout SchemaDriftLog) throws(JSONShapeError) -> Mapped
    ) -> [Mapped]? {
        var mapped: [Mapped] = []
        for text in texts {
            guard let row = self.map(text, column: column, endpoint: endpoint, map) else { return nil }
            mapped.append(row)
        }
        return mapped
    }

    /// The result for ``Provider/remap(_:)``.
    public func remapped(_ record: SessionRecord?) -> RemappedSession {
        RemappedSession(
            record: record, drift: drift, failure: failures.isEmpty ? nil : failures.joined(separator: "; "))
    }

    /// The result for ``Provider/retry(_:)``: `batch` when the record mapped.
    public func retried(_ batch: ArchiveBatch?) -> QuarantineRetry {
        guard let batch else { return .stillUnmappable(failures.joined(separator: "; ")) }
        var archived = batch
        archived.drift += drift
        return .archive(archived)
    }
}
