import Foundation
import HubConnectors
import HubCore
import XCTest

/// What a verified Plaid webhook means for the store (`PlaidConnector+Webhooks.swift`): Plaid
/// says that something changed, never what, so changes are pulls and reauthorizations.
final class PlaidWebhookChangesTests: XCTestCase {
    static func webhook(_ type: String, _ code: String, _ extra: [String: JSONValue] = [:]) -> VerifiedWebhook {
        let payload: [String: JSONValue] = ["webhook_type": .string(type), "webhook_code": .string(code), "item_id": "item_1"]
        return VerifiedWebhook(
            eventID: "digest",
            accountID: "item_1",
            eventType: "\(type).\(code)",
            payload: .object(payload.merging(extra) { _, new in new })
        )
    }

    func testNewTransactionsResyncBankTransactions() {
        for code in ["SYNC_UPDATES_AVAILABLE", "DEFAULT_UPDATE", "TRANSACTIONS_REMOVED"] {
            XCTAssertEqual(PlaidConnector.changes(for: Self.webhook("TRANSACTIONS", code)), [.resync(entity: "bank_transactions")], code)
        }
    }

    func testNewAccountsResyncBankAccounts() {
        XCTAssertEqual(PlaidConnector.changes(for: Self.webhook("ITEM", "NEW_ACCOUNTS_AVAILABLE")), [.resync(entity: "bank_accounts")])
    }

    func testALoginRequiredErrorAsksForReauthorizationAndOtherErrorsDoNot() {
        let login = PlaidConnector.changes(for: Self.webhook("ITEM", "ERROR", ["error": ["error_code": "ITEM_LOGIN_REQUIRED"]]))
        XCTAssertEqual(login.count, 1)
        guard case .reauthorize(let reason)? = login.first else { return XCTFail("\(login)") }
        XCTAssertTrue(reason.contains("log in again"), reason)
        XCTAssertEqual(PlaidConnector.changes(for: Self.webhook("ITEM", "ERROR", ["error": ["error_code": "INTERNAL_SERVER_ERROR"]])), [])
    }

    func testARevokedPermissionAsksForReauthorization() {
        let changes = PlaidConnector.changes(for: Self.webhook("ITEM", "USER_PERMISSION_REVOKED"))
        guard case .reauthorize? = changes.first, changes.count == 1 else { return XCTFail("\(changes)") }
    }

    func testAConsentAboutToExpireAndUnknownCodesMeanNothing() {
        XCTAssertEqual(PlaidConnector.changes(for: Self.webhook("ITEM", "PENDING_EXPIRATION")), [])
        XCTAssertEqual(PlaidConnector.changes(for: Self.webhook("AUTH", "AUTOMATICALLY_VERIFIED")), [])
    }

    /// The interpreter does not throw: an ITEM.ERROR whose body names no error code changes nothing.
    func testMalformedBodiesMeanNothing() {
        XCTAssertEqual(PlaidConnector.changes(for: Self.webhook("ITEM", "ERROR")), [])
        XCTAssertEqual(PlaidConnector.changes(for: Self.webhook("ITEM", "ERROR", ["error": "ITEM_LOGIN_REQUIRED"])), [])
    }
}
