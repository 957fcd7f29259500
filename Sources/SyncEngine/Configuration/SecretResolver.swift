import Foundation

/// Reads a secret's value from where its reference points.
struct SecretResolver {
    let environment: SecretEnvironment

    func resolve(kind: String, name: String, problem: (String) -> Void) -> Secret? {
        switch kind {
        case "env":
            let origin = "env \(name)"
            guard environment.resolve else { return Secret(origin: origin, value: "") }
            guard let value = environment.variables[name] else {
                problem("environment variable \(name) is not set")
                return nil
            }
            return usable(Secret(origin: origin, value: value), named: "environment variable \(name)", problem: problem)
        case "file":
            return readFile(name, origin: "file \(name)", problem: problem)
        case "credential":
            let origin = "credential \(name)"
            guard environment.resolve else { return Secret(origin: origin, value: "") }
            guard !name.contains("/") else {
                problem("credential name \"\(name)\" must not contain '/'")
                return nil
            }
            guard let directory = environment.variables["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
                problem(
                    "credential \(name) needs $CREDENTIALS_DIRECTORY, which systemd sets for a unit with "
                        + "LoadCredential=\(name):/path/to/secret; outside systemd use {\"env\": ...} or {\"file\": ...}"
                )
                return nil
            }
            return readFile("\(directory)/\(name)", origin: origin, problem: problem)
        default:
            problem("\"\(kind)\" is not a kind of secret; use \"env\", \"file\" or \"credential\"")
            return nil
        }
    }

    private func readFile(_ path: String, origin: String, problem: (String) -> Void) -> Secret? {
        guard environment.resolve else { return Secret(origin: origin, value: "") }
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "is not readable by this user" : "does not exist"
            problem("secret file \(path) \(reason)")
            return nil
        }
        return usable(
            Secret(origin: origin, value: String(decoding: data, as: UTF8.self)), named: "secret file \(path)",
            problem: problem)
    }

    /// `secret`, or nil after a problem that names where it came from.
    func usable(_ secret: Secret, named name: String, problem: (String) -> Void) -> Secret? {
        if let reason = secret.unusableBecause {
            problem("\(name) \(reason)")
            return nil
        }
        return secret
    }
}
