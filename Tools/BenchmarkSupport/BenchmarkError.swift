/// Why a benchmark run stopped: a readable sentence, printed as is.
public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
