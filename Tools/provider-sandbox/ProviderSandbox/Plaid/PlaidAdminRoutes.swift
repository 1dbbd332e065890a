import Foundation
import HubCore
import Hummingbird

/// `/_admin/plaid/…`: changes at the bank behind the API's back, each firing Plaid's webhook.
///
/// - `GET items`: every Item's id and access token
/// - `POST items/{item}/transactions` `{"transactions": [{account_id?, amount, name, date?, pending?,
///   merchant_name?}]}` or `{"count": n}` adds transactions; `PUT …/transactions/{id}` changes
///   fields of one; `DELETE …/transactions/{id}` removes it. Each fires `SYNC_UPDATES_AVAILABLE`.
/// - `PUT items/{item}/error` `{"error_code": "ITEM_LOGIN_REQUIRED"}` puts the Item in an error
///   state (fires `ITEM` `ERROR`); `DELETE` repairs it (fires `LOGIN_REPAIRED`)
/// - `POST items/{item}/webhooks` `{"webhook_type", "webhook_code", …}` fires any webhook
/// - `POST webhook_key/rotate` signs with a new key from now on
struct PlaidAdminRoutes {
    let provider: PlaidProvider

    func add(to group: RouterGroup<SandboxContext>) {
        let provider = self.provider
        let store = provider.store
        group.get("items") { _, _ -> Response in
            PlaidProvider.json(store.summaries().map { ["item_id": $0.itemID, "access_token": $0.accessToken] })
        }
        group.post("items/{item}/transactions") { request, context -> Response in
            try await Self.change(request, context, provider: provider) { item, body throws(PlaidAPIError) in
                var added: [String] = []
                let requested: [JSONValue] = if case .array(let list)? = body["transactions"] { list } else { [] }
                let count = Int(body["count"]?.numberValue ?? 0)
                for index in 0..<(requested.count + count) {
                    var transaction = store.seeder.transaction(day: Int.max, generator: &item.generator, accounts: item.accounts)
                    if index < requested.count { try Self.apply(requested[index], to: &transaction, accounts: item.accounts) }
                    item.add(transaction)
                    added.append(transaction.transactionID)
                }
                return ["transaction_ids": .array(added.map(JSONValue.string))]
            }
        }
        group.put("items/{item}/transactions/{transaction}") { request, context -> Response in
            try await Self.change(request, context, provider: provider) { item, body throws(PlaidAPIError) in
                let id = context.parameters.get("transaction") ?? ""
                guard var transaction = item.transaction(id) else { throw .invalidField("no transaction '\(id)'") }
                try Self.apply(body, to: &transaction, accounts: item.accounts)
                item.modify(transaction)
                return ["transaction_id": .string(id)]
            }
        }
        group.delete("items/{item}/transactions/{transaction}") { request, context -> Response in
            try await Self.change(request, context, provider: provider, readsBody: false) { item, _ throws(PlaidAPIError) in
                let id = context.parameters.get("transaction") ?? ""
                guard item.remove(id) else { throw .invalidField("no transaction '\(id)'") }
                return ["transaction_id": .string(id)]
            }
        }
        group.put("items/{item}/error") { request, context -> Response in
            await Self.itemEvent(context, provider: provider, type: "ITEM", code: "ERROR") { item in
                item.error = .loginRequired
                return ["error": .object(["error_code": .string("ITEM_LOGIN_REQUIRED"), "error_type": .string("ITEM_ERROR")])]
            }
        }
        group.delete("items/{item}/error") { _, context -> Response in
            await Self.itemEvent(context, provider: provider, type: "ITEM", code: "LOGIN_REPAIRED") { item in
                item.error = nil
                return [:]
            }
        }
        group.post("items/{item}/webhooks") { request, context -> Response in
            let body = (try? await JSONValue.body(of: request, context: context)) ?? .object([:])
            guard let type = body["webhook_type"]?.stringValue, let code = body["webhook_code"]?.stringValue else {
                return PlaidAPIError.missingFields(["webhook_type", "webhook_code"]).response()
            }
            let extra: [String: JSONValue] =
                if case .object(let fields) = body {
                    fields.filter { $0.key != "webhook_type" && $0.key != "webhook_code" }
                } else {
                    [:]
                }
            return await Self.itemEvent(context, provider: provider, type: type, code: code) { _ in extra }
        }
        group.post("webhook_key/rotate") { _, _ -> Response in
            PlaidProvider.json(["key_id": provider.signer.rotate()])
        }
    }

    /// Applies an admin transaction change and fires `SYNC_UPDATES_AVAILABLE`.
    static func change(
        _ request: Request,
        _ context: SandboxContext,
        provider: PlaidProvider,
        readsBody: Bool = true,
        _ body: (inout PlaidItem, JSONValue) throws(PlaidAPIError) -> [String: JSONValue]
    ) async throws -> Response {
        do {
            let fields = readsBody ? ((try? await JSONValue.body(of: request, context: context)) ?? .object([:])) : .object([:])
            let itemID = context.parameters.get("item") ?? ""
            let (result, webhook) = try provider.store.withItem(id: itemID) { item throws(PlaidAPIError) in
                (try body(&item, fields), item.webhook)
            }
            await provider.sendSyncUpdates(itemID: itemID, itemWebhook: webhook)
            return PlaidProvider.json(result)
        } catch {
            return error.response()
        }
    }

    /// Changes the Item's state and fires a webhook of `type`/`code` with the returned fields.
    static func itemEvent(
        _ context: SandboxContext,
        provider: PlaidProvider,
        type: String,
        code: String,
        _ body: @Sendable (inout PlaidItem) -> [String: JSONValue]
    ) async -> Response {
        let itemID = context.parameters.get("item") ?? ""
        do {
            let (extra, webhook) = try provider.store.withItem(id: itemID) { item in (body(&item), item.webhook) }
            await provider.sendWebhook(itemID: itemID, itemWebhook: webhook, type: type, code: code, extra: extra)
            return PlaidProvider.json(["item_id": itemID])
        } catch {
            return error.response()
        }
    }

    /// Copies the fields an admin may set onto a transaction.
    static func apply(_ fields: JSONValue, to transaction: inout PlaidTransaction, accounts: [PlaidAccount]) throws(PlaidAPIError) {
        if let amount = fields["amount"]?.numberValue { transaction.amount = amount }
        if let name = fields["name"]?.stringValue { transaction.name = name }
        if let merchant = fields["merchant_name"]?.stringValue { transaction.merchantName = merchant }
        if let pending = fields["pending"]?.boolValue { transaction.pending = pending }
        if let date = fields["date"]?.stringValue { transaction.date = date }
        if let account = fields["account_id"]?.stringValue {
            guard accounts.contains(where: { $0.accountID == account }) else { throw .invalidField("no account '\(account)'") }
            transaction.accountID = account
        }
    }
}
