import Testing

@testable import HubCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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

/// A refill reads the device; what it does not give (a short read, its end, no device at all)
/// the system generator fills, to the last byte.
@Suite struct BatchRandomFillTests {
    @Test func aRefillTakesTheDevicesBytesAndFillsTheRest() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let known = (0..<100).map { UInt8($0 + 1) }
        #expect(known.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) } == 100)
        close(ends[1])
        defer { close(ends[0]) }
        var bytes = [UInt8](repeating: 0, count: 4_096)
        let complete = bytes.withUnsafeMutableBytes { BatchRandomNumberGenerator.fill($0, from: ends[0]) }
        #expect(!complete, "the pipe ended after 100 bytes")
        #expect(Array(bytes.prefix(100)) == known, "the device's bytes come first, as read")
        #expect(bytes.dropFirst(100).count(where: { $0 == 0 }) < 60, "the rest is filled: about 16 zero bytes in 3,996 by chance")
    }

    @Test func withoutADeviceTheSystemGeneratorFillsEveryByte() {
        var words = [UInt64](repeating: 0, count: 512)
        let complete = words.withUnsafeMutableBytes { BatchRandomNumberGenerator.fill($0, from: -1) }
        #expect(!complete)
        #expect(Set(words).count == 512)
        var odd = [UInt8](repeating: 0, count: 13)
        odd.withUnsafeMutableBytes { _ = BatchRandomNumberGenerator.fill($0, from: -1) }
        #expect(odd.suffix(5) != [0, 0, 0, 0, 0], "the bytes past the last whole word are filled too")
    }

    @Test func theKernelsDeviceGivesAWholeRefill() throws {
        let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        try #require(device >= 0)
        defer { close(device) }
        var words = [UInt64](repeating: 0, count: 512)
        #expect(words.withUnsafeMutableBytes { BatchRandomNumberGenerator.fill($0, from: device) })
        #expect(Set(words).count == 512)
    }
}
