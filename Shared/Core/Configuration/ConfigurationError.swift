/// Why configuration could not be loaded. Start-up stops with every problem listed at once, so an
/// operator fixes the environment in one pass instead of one variable per restart.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
