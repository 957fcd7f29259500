/// Collects problems (and warnings) while a config is read, so that all of them are reported.
public final class ConfigProblems {
    public private(set) var problems: [ConfigProblem] = []
    public private(set) var warnings: [ConfigProblem] = []

    public init() {}

    public func add(path: String, _ message: String) {
        problems.append(ConfigProblem(path: path, message: message))
    }

    public func warn(path: String, _ message: String) {
        warnings.append(ConfigProblem(path: path, message: message))
    }

    public var isEmpty: Bool {
        problems.isEmpty
    }
}
