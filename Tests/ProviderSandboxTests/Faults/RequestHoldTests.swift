import Foundation
import HubConnectors
import HubCore
import HubTestSupport
import ProviderSandbox
import Testing

/// A provider that stops answering at an exact point: the next N requests are served, every later
/// one waits unanswered until the hold is released, then goes on as if nothing happened.
@Suite struct RequestHoldTests {
    @Test func requestsAfterThePointWaitUntilReleased() async throws {
        let holds = RequestHold()
        // A request that should pass but were held would fail its deadline, not just be slow.
        func served(_ provider: String) async throws {
            try await withDeadline(.seconds(10), "a request to \(provider) that is not held") { try await holds.pass(for: provider) }
        }
        try await served("stripe")  // nothing is held unless asked
        holds.hold("stripe", after: 2)
        try await served("stripe")
        try await served("stripe")
        try await served("xero")  // holds are per provider
        #expect(holds.status(of: "stripe") == .init(leftBeforeHold: 0, held: 0))

        let waiting = Task { try await holds.pass(for: "stripe") }
        #expect(try await waitUntil(upTo: .seconds(30)) { holds.status(of: "stripe").held == 1 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(holds.status(of: "stripe") == .init(leftBeforeHold: 0, held: 1), "the third request is still held")
        holds.release("stripe")
        try await waiting.value
        #expect(holds.status(of: "stripe") == .init(leftBeforeHold: nil, held: 0))
    }

    /// Through the sandbox's HTTP API: the held call is answered only after the release, as the
    /// provider would have answered it.
    @Test func aHeldCallIsAnsweredAfterTheRelease() async throws {
        try await XeroSandboxHarness.run(volume: 3) { harness in
            let set = try await harness.request(.PUT, "/_admin/faults/xero/hold", json: #"{"after":1}"#)
            #expect(set.status == 200 && set.body.contains(#""left_before_hold":1"#), "\(set)")
            let served = try await harness.request(.GET, "/xero/api.xro/2.0/Invoices", headers: XeroSandboxHarness.apiHeaders)
            #expect(served.status == 200)

            let held = Task { try await harness.request(.GET, "/xero/api.xro/2.0/Invoices", headers: XeroSandboxHarness.apiHeaders) }
            try await Self.waitUntilHeld(harness)
            try await Task.sleep(for: .milliseconds(200))
            let still = try await harness.request(.GET, "/_admin/faults/xero/hold").body
            #expect(still.contains(#""held":1"#), "still waiting, unanswered: \(still)")
            let released = try await harness.request(.DELETE, "/_admin/faults/xero/hold")
            #expect(released.status == 204)
            let answer = try await held.value
            #expect(answer.status == 200 && answer.body.contains(#""Invoices""#), "the held call is answered as the provider would")

            let refused = try await harness.request(.PUT, "/_admin/faults/xero/hold", json: #"{"after":-1}"#)
            #expect(refused.status == 400, "\(refused)")
        }
    }

    /// A request still held when the sandbox stops does not hold up its shutdown (its server waits
    /// for the requests it is answering; the hold would otherwise last its full two minutes).
    @Test func aRequestStillHeldDoesNotHoldUpTheShutdown() async throws {
        let started = ContinuousClock.now
        try await XeroSandboxHarness.run(volume: 3) { harness in
            try await harness.request(.PUT, "/_admin/faults/xero/hold", json: #"{"after":0}"#)
            // Left waiting: its client gives up when the harness ends.
            Task { _ = try? await harness.request(.GET, "/xero/api.xro/2.0/Invoices", headers: XeroSandboxHarness.apiHeaders) }
            try await Self.waitUntilHeld(harness)
        }
        #expect(ContinuousClock.now - started < .seconds(60), "the sandbox stopped without waiting out the hold")
    }

    static func waitUntilHeld(_ harness: XeroSandboxHarness) async throws {
        let held = try await waitUntil(upTo: .seconds(30)) {
            try await harness.request(.GET, "/_admin/faults/xero/hold").body.contains(#""held":1"#)
        }
        #expect(held, "a request waits in the hold")
    }
}
