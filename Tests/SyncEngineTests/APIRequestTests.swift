import SyncEngine
import Testing

@Suite("Ids and query values reach the URL escaped")
struct APIRequestTests {
    @Test(
        "an id becomes one path segment: unreserved characters stay, every other byte is %XX",
        arguments: [
            ("ses_bench-1.2~x", "ses_bench-1.2~x"),
            ("a/b", "a%2Fb"),
            ("../admin", "..%2Fadmin"),
            ("x y?z#", "x%20y%3Fz%23"),
            ("é", "%C3%A9"),
            ("", ""),
        ])
    func pathSegment(id: String, expected: String) {
        #expect(APIRequest.pathSegment(id) == expected)
    }
}
