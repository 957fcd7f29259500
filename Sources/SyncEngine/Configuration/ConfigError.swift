/// A config that cannot be used, with every problem found (not only the first).
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let problems: [ConfigProblem]

    public init(file: String, problems: [ConfigProblem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "\(file): \(count)\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
