import HubCore

/// Plaid objects as the sandbox encodes them (`/accounts/get`, `/transactions/sync`).
enum PlaidFixtures {
    static let all: [String: JSONValue] = ["bank_accounts": account, "bank_transactions": transaction]

    static let account = JSONValue.parse(
        #"""
        {"account_id": "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp", "name": "Plaid Checking", "official_name": "Plaid Gold Standard 0% Interest Checking",
         "type": "depository", "subtype": "checking", "mask": "0000", "persistent_account_id": "persistent-BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp",
         "balances": {"available": 100, "current": 110.94, "limit": null, "iso_currency_code": "USD", "unofficial_currency_code": null}}
        """#
    )

    static let transaction = JSONValue.parse(
        #"""
        {"transaction_id": "lPNjeW1nR6CDn5okmGQ6hEpMo4lLNoSrzqDje", "account_id": "BxBXxLj1m4HMXBm9WZZmCWVbPjX16EHwv99vp", "amount": 72.1,
         "iso_currency_code": "USD", "unofficial_currency_code": null, "date": "2024-02-23", "authorized_date": "2024-02-22",
         "datetime": null, "authorized_datetime": null, "name": "Uber 063015 SF**POOL**", "merchant_name": "Uber",
         "merchant_entity_id": null, "original_description": null, "payment_channel": "online", "pending": false,
         "pending_transaction_id": null, "account_owner": null, "check_number": null, "category": ["Transportation"], "category_id": null,
         "counterparties": [], "location": {"address": null, "city": null, "region": null, "postal_code": null, "country": null, "lat": null,
         "lon": null, "store_number": null}, "payment_meta": {"reference_number": null, "ppd_id": null, "payee": null, "by_order_of": null,
         "payer": null, "payment_method": null, "payment_processor": null, "reason": null},
         "personal_finance_category": {"primary": "TRANSPORTATION", "detailed": "TRANSPORTATION_TAXIS_AND_RIDE_SHARES", "confidence_level": "VERY_HIGH"},
         "personal_finance_category_icon_url": "https://plaid-category-icons.plaid.com/PFC_TRANSPORTATION.png", "transaction_code": null,
         "transaction_type": "digital", "logo_url": null, "website": null}
        """#
    )
}
