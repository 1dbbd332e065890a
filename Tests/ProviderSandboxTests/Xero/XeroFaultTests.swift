import Foundation
import HubConnectors
import HubCore
import ProviderSandbox
import Testing

/// The sandbox's fault injector in front of Xero: injected failures have Xero's shapes, and the
/// connector retries what may succeed and reports what will not.
@Suite struct XeroFaultTests {
    @Test func injectedServerErrorsAreRetriedAndInjectedLimitsCarryXerosHeaders() async throws {
        try await XeroSandboxHarness.run(volume: 30) { harness in
            try await harness.request(.PUT, "/_admin/faults/xero", json: #"{"server_error_next":2}"#)
            let listed = try await harness.connector().list(ListRequest(entity: "payments", pageSize: 100))
            #expect(listed.records.count == 30)

            try await harness.request(.PUT, "/_admin/faults/xero", json: #"{"rate_limit_next":1,"retry_after_seconds":7}"#)
            let limited = try await harness.request(.GET, "/xero/api.xro/2.0/Invoices", headers: XeroSandboxHarness.apiHeaders)
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "Retry-After") == "7")
            #expect(limited.headers.first(name: "X-Rate-Limit-Problem") == "minute")

            try await harness.request(.PUT, "/_admin/faults/xero", json: #"{"expire_credentials":true}"#)
            await #expect(throws: ConnectorError.authenticationFailed("AuthenticationUnsuccessful")) {
                _ = try await harness.connector().list(ListRequest(entity: "invoices"))
            }
        }
    }
}
