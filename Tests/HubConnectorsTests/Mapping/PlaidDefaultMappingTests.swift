import HubConnectors
import HubCore
import XCTest

/// Plaid's defaults: decimal amounts to minor units in the record's currency, the sign kept
/// (positive is money leaving the account).
final class PlaidDefaultMappingTests: XCTestCase {
    private func mapping(_ entity: String) throws -> FieldMapping {
        try XCTUnwrap(PlaidConnector.defaultFieldMappings[entity], entity)
    }

    func testAccountBalances() throws {
        let result = try mapping("bank_accounts").map(PlaidFixtures.account)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(
            result.canonical,
            [
                "id": "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp", "name": "Plaid Checking", "official_name": "Plaid Gold Standard 0% Interest Checking",
                "type": "depository", "subtype": "checking", "mask": "0000", "available_balance": 10000, "current_balance": 11094,
                "credit_limit": .null, "currency": "USD", "unofficial_currency": .null,
            ]
        )
    }

    func testTransaction() throws {
        let result = try mapping("bank_transactions").map(PlaidFixtures.transaction)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(
            result.canonical,
            [
                "id": "lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje", "account_id": "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp", "amount": 7210,
                "currency": "USD", "unofficial_currency": .null, "date": "2024-02-23", "authorized_date": "2024-02-22",
                "description": "Uber 063015 SF**POOL**", "merchant_name": "Uber", "payment_channel": "online", "pending": false,
                "pending_transaction_id": .null, "category": "TRANSPORTATION", "category_detailed": "TRANSPORTATION_TAXIS_AND_RIDE_SHARES",
            ]
        )
    }

    func testMoneyArrivingIsNegativeAndJPYHasNoDecimals() throws {
        var refund = PlaidFixtures.transaction.objectValue ?? [:]
        refund["amount"] = .number(-500)
        refund["iso_currency_code"] = "JPY"
        XCTAssertEqual(try mapping("bank_transactions").map(.object(refund)).canonical["amount"], -500)
    }

    func testAnUnofficialCurrencyAmountIsReportedNotGuessed() throws {
        var crypto = PlaidFixtures.transaction.objectValue ?? [:]
        crypto["iso_currency_code"] = .null
        crypto["unofficial_currency_code"] = "BTC"
        let result = try mapping("bank_transactions").map(.object(crypto))
        XCTAssertNil(result.canonical["amount"])
        XCTAssertEqual(result.canonical["unofficial_currency"], "BTC")
        XCTAssertEqual(result.errors.count, 1)
    }
}
