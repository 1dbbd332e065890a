/// Why a benchmark run stopped: a readable sentence, printed as is.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
