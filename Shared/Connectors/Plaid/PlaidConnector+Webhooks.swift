import Foundation
import HubCore

/// Plaid webhooks say that something changed, never what: new transactions or accounts mean an
/// incremental pull; a broken or revoked login means the organization must reconnect the Item.
/// A consent that is only about to expire still works, so it changes nothing here.
extension PlaidConnector: WebhookInterpreting {
    public static func changes(for webhook: VerifiedWebhook) -> [WebhookChange] {
        switch webhook.eventType {
        case "TRANSACTIONS.SYNC_UPDATES_AVAILABLE", "TRANSACTIONS.DEFAULT_UPDATE", "TRANSACTIONS.INITIAL_UPDATE",
            "TRANSACTIONS.HISTORICAL_UPDATE", "TRANSACTIONS.TRANSACTIONS_REMOVED":
            return [.resync(entity: "bank_transactions")]
        case "ITEM.NEW_ACCOUNTS_AVAILABLE":
            return [.resync(entity: "bank_accounts")]
        case "ITEM.ERROR":
            let code = webhook.payload["error"]?["error_code"]?.stringValue
            guard code == "ITEM_LOGIN_REQUIRED" else { return [] }
            return [.reauthorize(reason: "the bank needs the account holder to log in again through Plaid Link")]
        case "ITEM.USER_PERMISSION_REVOKED", "ITEM.USER_ACCOUNT_REVOKED":
            return [.reauthorize(reason: "the account holder revoked the hub's access at the bank")]
        default:
            return []
        }
    }
}
