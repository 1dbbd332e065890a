import HubCore
import Testing

/// `withDeadline` answers by its deadline even when the operation ignores cancellation, and
/// passes results and errors through otherwise.
@Suite struct DeadlineTests {
    struct Refused: Error, Equatable {}

    @Test func aStuckOperationIsAbandonedAtTheDeadline() async throws {
        let started = ContinuousClock.now
        let value: Int? = await withDeadline(.milliseconds(100)) {
            await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }  // never resumes
            return 1
        }
        #expect(value == nil)
        #expect(ContinuousClock.now - started < .seconds(5))
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(100), "a stuck statement") { () async throws -> Int in
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return 1
            }
        }
    }

    @Test func resultsAndErrorsPassThrough() async throws {
        #expect(await withDeadline(.seconds(5)) { 42 } == 42)
        #expect(try await withDeadline(.seconds(5), "an answer") { 7 } == 7)
        await #expect(throws: Refused.self) {
            try await withDeadline(.seconds(5), "a refusal") { () async throws -> Int in throw Refused() }
        }
    }
}
