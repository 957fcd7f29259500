import Archive
import SessionSyncSupport
import Testing

@Suite("ArchiveBatch.mapRows: one bad row costs that row only")
struct BatchMappingTests {
    private func ids(_ text: String) throws -> (mapped: [String], batch: ArchiveBatch) {
        let document = try JSONDocument(text: text)
        var batch = ArchiveBatch()
        let mapped = batch.mapRows(document.root.elements, endpoint: "GET /x", idKey: "id") {
            row, drift throws(JSONShapeError) in
            let id = try row.requireID("id")
            _ = row.lenientString("name", &drift)
            return id
        }
        return (mapped, batch)
    }

    @Test("a row repeated verbatim is mapped once; different rows with one id are all quarantined")
    func duplicates() throws {
        let (mapped, batch) = try ids(
            #"[{"id": 1, "name": "a"}, {"id": 1, "name": "a"}, {"id": 1e23, "name": "b"}, {"id": 7}, {"id": 7, "name": "c"}, {"id": 9}]"#
        )
        #expect(mapped == ["1", "9"])
        #expect(
            batch.quarantined.map(\.reason) == [
                #"[2].id: expected a non-empty string or a whole number, found a number"#,
                #"[3].id: "7" is the id of different records in this answer"#,
                #"[4].id: "7" is the id of different records in this answer"#,
            ])
        #expect(batch.quarantined.map(\.externalID) == [nil, "7", "7"])
    }

    @Test("drift of the rows is recorded once per field, with its count")
    func drift() throws {
        let (mapped, batch) = try ids(#"[{"id": "a", "name": 1}, {"id": "b", "name": 2}, "not an object"]"#)
        #expect(mapped == ["a", "b"])
        #expect(
            batch.drift == [
                SchemaDrift(endpoint: "GET /x", path: "[].name", expected: "a string", found: "a number: 2", count: 2)
            ])
        #expect(batch.quarantined.map(\.raw) == [#""not an object""#])
    }
}
