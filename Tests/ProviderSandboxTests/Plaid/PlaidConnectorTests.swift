import Foundation
import HubConnectors
import HubCore
import XCTest

/// The Plaid connector against the emulated Plaid API.
final class PlaidConnectorTests: XCTestCase {
    func testLinkingExchangesAPublicTokenForAWorkingAccessToken() async throws {
        try await PlaidSandboxHarness.run(volume: 5) { harness in
            let (linkToken, expiration) = try await harness.connector().createLinkToken(clientUserID: "org-1", clientName: "Integration Hub")
            XCTAssertTrue(linkToken.hasPrefix("link-sandbox-"))
            XCTAssertGreaterThan(try XCTUnwrap(expiration), Date())
            let (connector, itemID) = try await harness.linkedConnector()
            let check = try await connector.testConnection()
            XCTAssertEqual(check.accountID, itemID)
            XCTAssertEqual(check.accountName, "First Platypus Bank")
            let accounts = try await connector.list(ListRequest(entity: "bank_accounts"))
            XCTAssertEqual(accounts.records.count, 3)
            let one = try await connector.get("bank_accounts", id: try XCTUnwrap(accounts.records.first?.externalID))
            XCTAssertEqual(one.externalID, accounts.records.first?.externalID)
            let balances = try await connector.balances()
            XCTAssertEqual(balances.count, 3)
            let institution = try await connector.institution(id: "ins_109508")
            guard case .object(let fields) = institution else { return XCTFail("not an object") }
            XCTAssertEqual(fields["name"], "First Platypus Bank")
        }
    }

    func testSyncPagesThroughThreePagesMissingAndRepeatingNothing() async throws {
        try await PlaidSandboxHarness.run(volume: 25) { harness in
            let (connector, _) = try await harness.linkedConnector()
            let sync = try await harness.syncAll(connector, pageSize: 10)
            XCTAssertEqual(sync.pages, 3)
            XCTAssertEqual(sync.records.count, 25)
            XCTAssertEqual(Set(sync.records.map(\.externalID)).count, 25)
            XCTAssertTrue(sync.deleted.isEmpty)
            let checkpoint = try XCTUnwrap(sync.checkpoint)
            let again = try await harness.syncAll(connector, since: checkpoint, pageSize: 10)
            XCTAssertTrue(again.records.isEmpty, "nothing changed since the checkpoint")
        }
    }

    func testIncrementalSyncSeesAddedModifiedAndRemovedTransactions() async throws {
        try await PlaidSandboxHarness.run(volume: 12) { harness in
            let (connector, itemID) = try await harness.linkedConnector()
            let full = try await harness.syncAll(connector, pageSize: 5)
            let old = full.records.map(\.externalID)
            try await harness.request(.PUT, "/_admin/plaid/items/\(itemID)/transactions/\(old[0])", json: #"{"amount":99.5,"name":"CORRECTED"}"#)
            try await harness.request(.DELETE, "/_admin/plaid/items/\(itemID)/transactions/\(old[1])")
            let added = try await harness.request(
                .POST,
                "/_admin/plaid/items/\(itemID)/transactions",
                json: #"{"transactions":[{"amount":4.25,"name":"NEW COFFEE"}]}"#
            )
            XCTAssertEqual(added.status, 200)
            let changes = try await harness.syncAll(connector, since: full.checkpoint, pageSize: 5)
            XCTAssertEqual(changes.deleted, [old[1]])
            let modified = try XCTUnwrap(changes.records.first { $0.externalID == old[0] })
            guard case .object(let fields) = modified.payload else { return XCTFail("not an object") }
            XCTAssertEqual(fields["amount"], .number(99.5))
            XCTAssertEqual(changes.records.count, 2, "the modified one and the new one")
            XCTAssertTrue(changes.records.contains { if case .object(let f) = $0.payload { f["name"] == "NEW COFFEE" } else { false } })
        }
    }

    func testMutationDuringPaginationRestartsFromTheLoopsFirstCursor() async throws {
        try await PlaidSandboxHarness.run(volume: 30) { harness in
            let (connector, itemID) = try await harness.linkedConnector()
            let first = try await connector.list(ListRequest(entity: "bank_transactions", pageSize: 10))
            XCTAssertNotNil(first.nextCursor)
            try await harness.request(.POST, "/_admin/plaid/items/\(itemID)/transactions", json: #"{"count":2}"#)
            var seen = Set(first.records.map(\.externalID))
            var cursor = first.nextCursor
            var checkpoint: String?
            while let current = cursor {
                let page = try await connector.list(ListRequest(entity: "bank_transactions", cursor: current, pageSize: 10))
                seen.formUnion(page.records.map(\.externalID))
                cursor = page.nextCursor
                checkpoint = page.checkpoint
            }
            XCTAssertEqual(seen.count, 32, "every transaction, the two added mid-loop included")
            XCTAssertNotNil(checkpoint)
        }
    }

    func testRateLimitIsWaitedOutAndTheCallSucceeds() async throws {
        try await PlaidSandboxHarness.run(volume: 3) { harness in
            let (connector, _) = try await harness.linkedConnector()
            try await harness.request(.PUT, "/_admin/faults/plaid", json: #"{"rate_limit_next":2}"#)
            let page = try await connector.list(ListRequest(entity: "bank_transactions", pageSize: 10))
            XCTAssertEqual(page.records.count, 3)
        }
    }

    func testServerErrorBurstIsRetriedAndSurvived() async throws {
        try await PlaidSandboxHarness.run(volume: 3) { harness in
            let (connector, _) = try await harness.linkedConnector()
            try await harness.request(.PUT, "/_admin/faults/plaid", json: #"{"server_error_next":3}"#)
            let accounts = try await connector.list(ListRequest(entity: "bank_accounts"))
            XCTAssertEqual(accounts.records.count, 3)
        }
    }

    func testRemovedItemAndLoginRequiredAreAuthenticationFailures() async throws {
        try await PlaidSandboxHarness.run(volume: 3) { harness in
            let (connector, itemID) = try await harness.linkedConnector()
            try await harness.request(.PUT, "/_admin/plaid/items/\(itemID)/error")
            await Self.assertAuthenticationFailed { _ = try await connector.list(ListRequest(entity: "bank_transactions")) }
            try await harness.request(.DELETE, "/_admin/plaid/items/\(itemID)/error")
            _ = try await connector.list(ListRequest(entity: "bank_transactions"))
            try await connector.removeItem()
            await Self.assertAuthenticationFailed { _ = try await connector.testConnection() }
            await Self.assertAuthenticationFailed { _ = try await harness.connector(accessToken: "access-sandbox-unknown").testConnection() }
        }
    }

    func testWritesAreRefusedAsReadOnly() async throws {
        let connector = PlaidConnector(context: ConnectorContext(credentials: [:], baseURL: "http://127.0.0.1:9", transport: ProviderTransport()))
        do {
            _ = try await connector.create("bank_transactions", fields: [:], idempotencyKey: nil)
            XCTFail("created")
        } catch {
            guard case .unsupported = error else { return XCTFail("expected unsupported, got \(error)") }
        }
    }

    func testSignedWebhooksVerifyWithTheKeyFromTheSandbox() async throws {
        try await PlaidSandboxHarness.run(volume: 3) { harness in
            let (_, itemID) = try await harness.linkedConnector(webhook: true)
            let verifier = PlaidWebhookVerifier(context: harness.context())
            try await harness.request(.POST, "/_admin/plaid/items/\(itemID)/transactions", json: #"{"count":1}"#)
            let delivery = try XCTUnwrap(harness.inbox.received.last)
            let event = try await verifier.verify(body: delivery.body, headers: delivery.headers, now: Date())
            XCTAssertEqual(event.eventType, "TRANSACTIONS.SYNC_UPDATES_AVAILABLE")
            XCTAssertEqual(event.accountID, itemID)
            var tampered = delivery.body
            tampered[tampered.count - 2] ^= 0x01
            do {
                _ = try await verifier.verify(body: tampered, headers: delivery.headers, now: Date())
                XCTFail("tampered body accepted")
            } catch {
                XCTAssertEqual(error as? WebhookVerificationError, .signatureMismatch)
            }
            do {
                _ = try await verifier.verify(body: delivery.body, headers: delivery.headers, now: Date().addingTimeInterval(301))
                XCTFail("stale webhook accepted")
            } catch {
                XCTAssertEqual(error as? WebhookVerificationError, .timestampOutOfTolerance)
            }
            try await harness.request(.POST, "/_admin/plaid/webhook_key/rotate")
            try await harness.request(.PUT, "/_admin/plaid/items/\(itemID)/error")
            let rotated = try XCTUnwrap(harness.inbox.received.last)
            let error = try await verifier.verify(body: rotated.body, headers: rotated.headers, now: Date())
            XCTAssertEqual(error.eventType, "ITEM.ERROR", "a new key id is fetched")
            do {
                _ = try await verifier.verify(body: delivery.body, headers: delivery.headers, now: Date())
                XCTFail("a webhook signed with the expired key was accepted")
            } catch {
                XCTAssertEqual(error as? WebhookVerificationError, .unknownKey)
            }
        }
    }

    static func assertAuthenticationFailed(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("the call succeeded", file: file, line: line)
        } catch {
            guard case .authenticationFailed? = error as? ConnectorError else {
                return XCTFail("expected authenticationFailed, got \(error)", file: file, line: line)
            }
        }
    }
}
