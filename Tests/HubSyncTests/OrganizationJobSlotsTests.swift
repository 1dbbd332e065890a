import Foundation
import HubRedis
import HubSync
import HubTestSupport
import Logging
import Testing

/// An organization's job slots in a real Redis: the cap holds, a given-back slot is free again,
/// and the slot of a holder that stopped renewing goes stale even while other claimers of the
/// same job keep asking for it (their asking must not keep a dead worker's slot alive).
struct OrganizationJobSlotsTests {
    @Test func aDeadHoldersSlotGoesStaleWhileAnotherClaimerKeepsAsking() async throws {
        let server = try await RedisServerProcess.start()
        let client = RedisClient(
            configuration: try RedisConfiguration(url: server.url),
            logger: Logger(label: "slots", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        do {
            let slots = OrganizationJobSlots(redis: client, cap: 2, ttl: .seconds(1))
            #expect(try await slots.take(organization: "org", job: "a") == .taken)
            #expect(try await slots.take(organization: "org", job: "b") == .taken)
            #expect(try await slots.take(organization: "org", job: "c") == .full)
            #expect(try await slots.renew(organization: "org", job: "b") == .alreadyHeld)
            // The holder of "a" is gone; a second claimer of "a" asks every 200 ms while "b"'s
            // holder keeps renewing.
            var outcome = OrganizationJobSlots.Take.alreadyHeld
            let deadline = ContinuousClock.now + .seconds(5)
            while outcome == .alreadyHeld && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await slots.renew(organization: "org", job: "b") == .alreadyHeld)
                outcome = try await slots.take(organization: "org", job: "a")
            }
            #expect(outcome == .taken, "the dead holder's slot went stale and the claimer took it")
            #expect(try await slots.take(organization: "org", job: "c") == .full, "b is renewed: still two running")
            try await slots.release(organization: "org", job: "a")
            #expect(try await slots.take(organization: "org", job: "c") == .taken)
        } catch {
            await client.shutdown()
            await server.stop()
            throw error
        }
        await client.shutdown()
        await server.stop()
    }
}
