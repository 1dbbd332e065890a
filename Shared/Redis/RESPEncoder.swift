import NIOCore

/// Encodes commands as RESP arrays of bulk strings, the outbound codec of a Redis channel.
///
/// It takes a batch of commands per write, so a pipeline of a thousand commands becomes one
/// buffer and one `write` system call instead of a thousand. The encoding is simple enough that
/// doing it in Swift, straight into the outgoing `ByteBuffer`, is cheaper than
/// `redisFormatCommandArgv` (which would need C strings and a second copy). Each command's size
/// is counted first, so it is written into memory reserved once (`RESPWriter`).
struct RESPEncoder: MessageToByteEncoder {
    typealias OutboundIn = [[RESPArgument]]

    func encode(data: [[RESPArgument]], out: inout ByteBuffer) {
        for command in data {
            let size = command.reduce(RESPWriter.headerCount(command.count)) { $0 + $1.encodedCount }
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { memory in
                var writer = RESPWriter(memory)
                writer.header(UInt8(ascii: "*"), command.count)
                for argument in command {
                    argument.write(into: &writer)
                }
                precondition(writer.count == size, "a RESP command's reserved size was miscounted")
                return size
            }
        }
    }
}
