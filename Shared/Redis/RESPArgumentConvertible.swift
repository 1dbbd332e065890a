import NIOCore

/// A value that can be sent as a command argument.
///
/// It lets the variadic ``RedisClient/send(_:)-(any RESPArgumentConvertible...)`` and the typed
/// helpers accept `String` and `Int` variables as well as literals, which a plain
/// `ExpressibleBy…Literal` conformance on ``RESPArgument`` cannot do.
public protocol RESPArgumentConvertible: Sendable {
    /// The argument as it goes on the wire.
    var respArgument: RESPArgument { get }
}

extension RESPArgument: RESPArgumentConvertible {
    public var respArgument: RESPArgument { self }
}

extension String: RESPArgumentConvertible {
    public var respArgument: RESPArgument { .string(self) }
}

extension Substring: RESPArgumentConvertible {
    public var respArgument: RESPArgument { .string(String(self)) }
}

extension Int: RESPArgumentConvertible {
    public var respArgument: RESPArgument { .integer(self) }
}

extension Double: RESPArgumentConvertible {
    public var respArgument: RESPArgument { .double(self) }
}

extension ByteBuffer: RESPArgumentConvertible {
    public var respArgument: RESPArgument { .bytes(self) }
}

extension Array: RESPArgumentConvertible where Element == UInt8 {
    public var respArgument: RESPArgument { RESPArgument(self) }
}
