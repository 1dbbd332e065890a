import Foundation
import HubConnectors
import ProviderSandbox
import Testing

/// A provider that stops answering at an exact point: the next N requests are served, every later
/// one waits unanswered until the hold is released, then goes on as if nothing happened.
@Suite struct RequestHoldTests {
    @Test func requestsAfterThePointWaitUntilReleased() async throws {
        let holds = RequestHold()
        #expect(!holds.arrives(for: "stripe"), "nothing is held unless asked")
        holds.hold("stripe", after: 2)
        #expect(!holds.arrives(for: "stripe"))
        #expect(!holds.arrives(for: "stripe"))
        #expect(!holds.arrives(for: "xero"), "holds are per provider")
        #expect(holds.arrives(for: "stripe"), "the third request is held")

        let waiting = Task { try await holds.wait(for: "stripe") }
        try await Task.sleep(for: .milliseconds(200))
        #expect(holds.status(of: "stripe") == .init(servedBeforeHold: 0, held: 1))
        holds.release("stripe")
        try await waiting.value
        #expect(holds.status(of: "stripe") == .init(servedBeforeHold: nil, held: 0))
        #expect(!holds.arrives(for: "stripe"), "released: requests pass again")
    }

    /// Through the sandbox's HTTP API: the held call is answered only after the release, with
    /// what the provider would have answered.
    @Test func aHeldCallIsAnsweredAfterTheRelease() async throws {
        try await XeroSandboxHarness.run(volume: 3) { harness in
            let set = try await harness.request(.PUT, "/_admin/faults/xero/hold", json: #"{"after":1}"#)
            #expect(set.status == 200 && set.body.contains(#""served_before_hold":1"#), "\(set)")
            let served = try await harness.request(.GET, "/xero/api.xro/2.0/Invoices", headers: XeroSandboxHarness.apiHeaders)
            #expect(served.status == 200)

            let held = Task { try await harness.request(.GET, "/xero/api.xro/2.0/Invoices", headers: XeroSandboxHarness.apiHeaders) }
            var status = ""
            for _ in 0..<100 where !status.contains(#""held":1"#) {
                try await Task.sleep(for: .milliseconds(20))
                status = try await harness.request(.GET, "/_admin/faults/xero/hold").body
            }
            #expect(status.contains(#""held":1"#), "\(status)")
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
}
