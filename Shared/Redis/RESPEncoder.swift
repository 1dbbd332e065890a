import NIOCore

/// Encodes commands as RESP arrays of bulk strings, the outbound codec of a Redis channel.
///
/// It takes a batch of commands per write, so a pipeline of a thousand commands becomes one
/// buffer and one `write` system call instead of a thousand. The encoding is simple enough that
/// doing it in Swift, straight into the outgoing `ByteBuffer`, is cheaper than
/// `redisFormatCommandArgv` (which would need C strings and a second copy).
struct RESPEncoder: MessageToByteEncoder {
    typealias OutboundIn = [[RESPArgument]]

    func encode(data: [[RESPArgument]], out: inout ByteBuffer) {
        for command in data {
            out.writeStaticString("*")
            out.writeDecimal(command.count)
            out.writeStaticString("\r\n")
            for argument in command {
                argument.encode(into: &out)
            }
        }
    }
}
