import SyncEngine
import Testing

@Suite("OutboundURLPolicy: where a source's requests may go")
struct OutboundURLPolicyTests {
    static func policy(_ base: String) throws -> OutboundURLPolicy {
        OutboundURLPolicy(baseURL: try BaseURL.parse(base).get())
    }

    @Test(
        "never another scheme, a link-local address or a metadata service, whatever the base",
        arguments: [
            "file:///etc/passwd", "unix:///var/run/docker.sock", "http+unix://%2Fvar%2Frun%2Fdocker.sock/info",
            "ftp://example.com/x",
            "http://169.254.169.254/latest/meta-data/", "http://169.254.170.2/v2/credentials", "http://2852039166/",
            "http://0xA9FEA9FE/", "http://0251.0376.0251.0376/", "http://169.254.43518/", "http://[fe80::1]/",
            "http://[fe80::1%25eth0]:8080/", "http://[FEBF::1]/", "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://metadata.google.internal/computeMetadata/v1/", "http://METADATA.google.internal./",
            "http://100.100.100.200/",
            "http://[fd00:ec2::254]/",
        ]
    )
    func alwaysRefused(url: String) throws {
        #expect(try Self.policy("https://api.example.com").refusal(of: url) != nil)
        #expect(try Self.policy("http://127.0.0.1:8080").refusal(of: url) != nil)
        #expect(try Self.policy("https://10.1.2.3").refusal(of: url) != nil)
    }

    @Test(
        "this machine and private networks only for a source that lives on one",
        arguments: [
            "http://127.0.0.1:9000/x", "http://127.9.9.9/", "http://2130706433/", "http://0.0.0.0/",
            "http://localhost:8080/",
            "http://api.localhost/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://10.0.0.5/",
            "http://172.16.0.1/",
            "http://172.31.255.255/", "http://192.168.1.10/", "http://[fc00::1]/", "http://[fd12:3456::1]/",
        ]
    )
    func localOnlyFromLocal(url: String) throws {
        #expect(try Self.policy("https://api.example.com/v1").refusal(of: url) != nil)
        #expect(try Self.policy("http://127.0.0.1:8080").refusal(of: url) == nil)
        #expect(try Self.policy("http://localhost:8080").refusal(of: url) == nil)
        #expect(try Self.policy("https://192.168.0.2").refusal(of: url) == nil)
    }

    @Test(
        "public addresses and names are allowed from anywhere",
        arguments: [
            "https://api.example.com/v1/x", "http://example.com/", "https://8.8.8.8/", "https://172.32.0.1/",
            "https://169.253.1.1/",
            "https://[2001:db8::1]/", "https://storage.example.net/export.csv?X-Amz-Signature=abc",
        ]
    )
    func publicAllowed(url: String) throws {
        #expect(try Self.policy("https://api.example.com").refusal(of: url) == nil)
        #expect(try Self.policy("http://127.0.0.1:8080").refusal(of: url) == nil)
    }

    @Test("the reason names the host and why")
    func reasons() throws {
        let policy = try Self.policy("https://api.example.com")
        #expect(policy.refusal(of: "file:///etc/passwd")?.contains("\"file\"") == true)
        #expect(
            policy.refusal(of: "http://169.254.169.254/")?.contains("169.254.169.254 is a link-local address") == true)
        let local = try #require(policy.refusal(of: "http://10.0.0.5/"))
        #expect(local.contains("10.0.0.5") && local.contains("https://api.example.com"))
    }

    @Test("a URL is shown without its query, fragment or user")
    func shown() {
        #expect(
            OutboundURLPolicy.shown("https://user:pw@host.example/a/b?X-Amz-Signature=s3cr3t#frag")
                == "https://host.example/a/b")
    }
}
