import HubCore

/// The bodies of Plaid's answers, typed where Plaid's clients check them strictly.
enum PlaidResponses {
    struct Removed: Encodable, Sendable {
        var transactionID: String
        var accountID: String

        enum CodingKeys: String, CodingKey {
            case transactionID = "transaction_id"
            case accountID = "account_id"
        }
    }

    struct Sync: Encodable, Sendable {
        var added: [PlaidTransaction]
        var modified: [PlaidTransaction]
        var removed: [Removed]
        var nextCursor: String
        var hasMore: Bool
        var accounts: [PlaidAccount]
        var transactionsUpdateStatus = "HISTORICAL_UPDATE_COMPLETE"
        var requestID = PlaidProvider.requestID()

        enum CodingKeys: String, CodingKey {
            case added, modified, removed, accounts
            case nextCursor = "next_cursor"
            case hasMore = "has_more"
            case transactionsUpdateStatus = "transactions_update_status"
            case requestID = "request_id"
        }
    }

    struct Accounts: Encodable, Sendable {
        var accounts: [PlaidAccount]
        var item: [String: JSONValue]
        var requestID = PlaidProvider.requestID()

        enum CodingKeys: String, CodingKey {
            case accounts, item
            case requestID = "request_id"
        }
    }

    struct Key: Encodable, Sendable {
        var key: PlaidWebhookSigner.PublicJWK
        var requestID = PlaidProvider.requestID()

        enum CodingKeys: String, CodingKey {
            case key
            case requestID = "request_id"
        }
    }
}
