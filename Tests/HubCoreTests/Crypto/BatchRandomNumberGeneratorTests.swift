import Testing

@testable import HubCore

#if canImport(Glibc)
import Glibc
#endif

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

/// A refill reads the kernel's device once; where it cannot be read (-1), the system generator
/// fills the buffer 8 bytes at a time, to the last byte.
@Suite struct BatchRandomFillTests {
    @Test(arguments: [Int32(-1), open("/dev/urandom", O_RDONLY | O_CLOEXEC)])
    func aRefillFillsEveryByte(device: Int32) {
        var words = [UInt64](repeating: 0, count: 512)
        words.withUnsafeMutableBytes { BatchRandomNumberGenerator.fill($0, from: device) }
        #expect(Set(words).count == 512)
        #expect(!words.contains(0))
        var odd = [UInt8](repeating: 0, count: 13)
        odd.withUnsafeMutableBytes { BatchRandomNumberGenerator.fill($0, from: device) }
        #expect(odd.suffix(5) != [0, 0, 0, 0, 0], "the bytes past the last whole word are filled too")
    }
}
