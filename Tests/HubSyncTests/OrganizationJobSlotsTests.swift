import Foundation
import HubRedis
import HubSync
import HubTestSupport
import Logging
import Testing

/// An organization's job slots in a real Redis: the cap holds, a given-back slot is free again,
/// the slot of a holder that stopped renewing goes stale even while other claimers of the same
/// job keep asking for it (their asking must not keep a dead worker's slot alive), a renewal
/// moves a slot's time on, and a holder whose slot went stale and was taken by another claimer
/// of its job can neither renew nor give back that claimer's slot.
struct OrganizationJobSlotsTests {
    @Test func theCapHoldsAndADeadHoldersSlotGoesStaleWhileAnotherClaimerKeepsAsking() async throws {
        let server = try await RedisServerProcess.start()
        let client = RedisClient(
            configuration: try RedisConfiguration(url: server.url),
            logger: Logger(label: "slots", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        do {
            // The cap, with a TTL no stall of a loaded machine reaches.
            let slots = OrganizationJobSlots(redis: client, cap: 2, ttl: .seconds(60))
            let a = try Self.taken(try await slots.take(organization: "org", job: "a"))
            let b = try Self.taken(try await slots.take(organization: "org", job: "b"))
            #expect(try await slots.take(organization: "org", job: "c") == .full)
            #expect(try await slots.take(organization: "org", job: "a") == .alreadyHeld)
            #expect(try await slots.renew(b))
            try await slots.release(a)
            _ = try Self.taken(try await slots.take(organization: "org", job: "c"))

            // The holder of "d" is gone; a second claimer of "d" asks every 200 ms, more often
            // than the 1 s TTL: the slot still goes stale, and the claimer takes it.
            let short = OrganizationJobSlots(redis: client, cap: 2, ttl: .seconds(1))
            let dead = try Self.taken(try await short.take(organization: "other", job: "d"))
            var outcome = OrganizationJobSlots.Take.alreadyHeld
            let deadline = ContinuousClock.now + .seconds(10)
            while outcome == .alreadyHeld && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                outcome = try await short.take(organization: "other", job: "d")
            }
            let claimer = try Self.taken(outcome)
            // The first holder wakes: its slot is the claimer's now, which it neither renews nor frees.
            // (Looked at with a long TTL, the claimer's slot first renewed with it: with the 1 s
            // one, a stall of the machine makes the slot stale, or the set's key expire, and the
            // checks fail for the wrong reason.)
            let patient = OrganizationJobSlots(redis: client, cap: 2, ttl: .seconds(60))
            #expect(try await patient.renew(claimer))
            #expect(try await patient.renew(dead) == false)
            try await patient.release(dead)
            #expect(try await patient.take(organization: "other", job: "d") == .alreadyHeld, "the claimer's slot survived")
            try await patient.release(claimer)

            // A renewal moves the slot's time on (what keeps a live holder's slot from going stale).
            let e = try Self.taken(try await patient.take(organization: "other", job: "e"))
            let before = try await Self.score(client, organization: "other", job: "e")
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await patient.renew(e))
            let after = try await Self.score(client, organization: "other", job: "e")
            #expect(after > before, "renewed at \(after), taken at \(before)")
        } catch {
            await client.shutdown()
            await server.stop()
            throw error
        }
        await client.shutdown()
        await server.stop()
    }

    static func taken(_ outcome: OrganizationJobSlots.Take, sourceLocation: SourceLocation = #_sourceLocation) throws -> OrganizationJobSlots.Slot {
        guard case .taken(let slot) = outcome else {
            Issue.record("expected a slot, got \(outcome)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return slot
    }

    /// When the job's slot was last taken or renewed, in milliseconds (its score in the set).
    static func score(_ client: RedisClient, organization: String, job: String) async throws -> Double {
        let reply = try await client.send("ZSCORE", "hub:sync:running:\(organization)", job)
        guard let score = reply.double else {
            throw RedisError.unexpectedReply("ZSCORE: \(reply)")
        }
        return score
    }
}
