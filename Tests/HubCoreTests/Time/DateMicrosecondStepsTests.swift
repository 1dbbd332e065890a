import Foundation
import HubCore
import NIOCore
import PostgresNIO
import Testing

@Suite struct DateMicrosecondStepsTests {
    /// What PostgreSQL receives for each instant: PostgresNIO's own encoding, in microseconds.
    static func encodedMicroseconds(_ date: Date) throws -> Int64 {
        var buffer = ByteBuffer()
        try date.encode(into: &buffer, context: .default)
        let microseconds = buffer.readInteger(as: Int64.self)
        return try #require(microseconds)
    }

    @Test func eachStepIsTheNextMicrosecondAsPostgreSQLStoresIt() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let start = Date(timeIntervalSince1970: Double.random(in: 1.7e9..<2.1e9, using: &generator))
            let stored = try Date.microsecondSteps(4, from: start).map(Self.encodedMicroseconds)
            #expect(zip(stored, stored.dropFirst()).allSatisfy { $1 == $0 + 1 }, "\(start.timeIntervalSince1970): \(stored)")
        }
        #expect(Date.microsecondSteps(0).isEmpty)
    }
}
