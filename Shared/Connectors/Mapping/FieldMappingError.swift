/// Why a mapping was refused, naming the exact place in its JSON (`rules[2].source`,
/// `rules[0].transforms[1].exponent`) so the caller can point at it.
public struct FieldMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
