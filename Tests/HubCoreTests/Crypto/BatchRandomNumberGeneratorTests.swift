import HubCore
import Testing

@Suite struct BatchRandomNumberGeneratorTests {
    /// Across several refills (512 numbers each), no number repeats and every bit is set about
    /// half the time: a refill that handed out zeros or the same block again would show.
    @Test func numbersAcrossRefillsAreDistinctAndBalanced() {
        var generator = BatchRandomNumberGenerator()
        let numbers = (0..<5_000).map { _ in generator.next() }
        #expect(Set(numbers).count == numbers.count)
        for bit in 0..<64 {
            let set = numbers.reduce(0) { $0 + Int(($1 >> UInt64(bit)) & 1) }
            #expect((2_200...2_800).contains(set), "bit \(bit) set \(set) times in 5,000")
        }
    }
}
