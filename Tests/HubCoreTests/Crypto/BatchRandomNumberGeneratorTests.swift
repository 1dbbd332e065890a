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

    /// Every generator draws from the one shared buffer: many at once, in tasks of their own, are
    /// handed distinct numbers (a buffer handed out twice, or torn by a race, would repeat them).
    @Test func generatorsInManyTasksAtOnceNeverRepeatANumber() async {
        let numbers = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var generator = BatchRandomNumberGenerator()
                    return (0..<2_000).map { _ in generator.next() }
                }
            }
            return await group.reduce(into: [UInt64]()) { $0 += $1 }
        }
        #expect(numbers.count == 16_000)
        #expect(Set(numbers).count == numbers.count)
    }
}
