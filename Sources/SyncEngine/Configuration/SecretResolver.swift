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
            guard !value.isEmpty else {
                problem("environment variable \(name) is empty")
                return nil
            }
            return Secret(origin: origin, value: value)
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
            let reason = FileManager.default.fileExists(atPath: path) ? "is not readable by this user" : "does not exist"
            problem("secret file \(path) \(reason)")
            return nil
        }
        // Files written by `echo` end in a newline that is not part of the key.
        var value = String(decoding: data, as: UTF8.self)
        while let last = value.last, last.isNewline || last == " " { value.removeLast() }
        guard !value.isEmpty else {
            problem("secret file \(path) is empty")
            return nil
        }
        return Secret(origin: origin, value: value)
    }
}
