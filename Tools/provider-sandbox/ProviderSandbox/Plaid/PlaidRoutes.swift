import Foundation
import HubCore
import Hummingbird

/// Plaid's endpoints. Each checks the client credentials first, then reads its fields from the
/// JSON body; failures are Plaid-shaped errors.
struct PlaidRoutes {
    let provider: PlaidProvider

    typealias Handler = @Sendable (JSONValue) async throws -> Response

    func add(to group: RouterGroup<SandboxContext>) {
        let provider = self.provider
        let store = provider.store
        post(group, "link/token/create") { body in
            let missing = ["client_name", "language", "country_codes", "user"].filter { body[$0] == nil }
            guard missing.isEmpty, body["user"]?["client_user_id"]?.stringValue != nil else {
                throw PlaidAPIError.missingFields(missing.isEmpty ? ["user.client_user_id"] : missing)
            }
            let expiration = Date().addingTimeInterval(4 * 3600).formatted(.iso8601)
            let token = store.createLinkToken(webhook: body["webhook"]?.stringValue)
            return PlaidProvider.json(["link_token": token, "expiration": expiration, "request_id": PlaidProvider.requestID()])
        }
        post(group, "sandbox/public_token/create") { body in
            guard let institution = body["institution_id"]?.stringValue else { throw PlaidAPIError.missingFields(["institution_id"]) }
            guard PlaidInstitutions.names[institution] != nil else {
                throw PlaidAPIError(
                    status: .badRequest,
                    type: "INVALID_INPUT",
                    code: "INVALID_INSTITUTION",
                    message: "invalid institution_id provided"
                )
            }
            guard let products = body["initial_products"]?.strings, !products.isEmpty else { throw PlaidAPIError.missingFields(["initial_products"]) }
            let token = store.createPublicToken(institutionID: institution, webhook: body["options"]?["webhook"]?.stringValue)
            return PlaidProvider.json(["public_token": token, "request_id": PlaidProvider.requestID()])
        }
        post(group, "item/public_token/exchange") { body in
            guard let publicToken = body["public_token"]?.stringValue else { throw PlaidAPIError.missingFields(["public_token"]) }
            let item = try store.exchange(publicToken)
            await provider.sendSyncUpdates(itemID: item.itemID, itemWebhook: item.webhook)
            return PlaidProvider.json(["access_token": item.accessToken, "item_id": item.itemID, "request_id": PlaidProvider.requestID()])
        }
        post(group, "item/get") { body in
            let item = try store.withItem(token: body["access_token"]?.stringValue, allowingItemError: true) { Self.itemJSON($0) }
            return PlaidProvider.json(["item": JSONValue.object(item), "request_id": .string(PlaidProvider.requestID())])
        }
        post(group, "item/remove") { body in
            guard let token = body["access_token"]?.stringValue else { throw PlaidAPIError.missingFields(["access_token"]) }
            try store.remove(token: token)
            return PlaidProvider.json(["request_id": PlaidProvider.requestID()])
        }
        post(group, "item/webhook/update") { body in
            guard let webhook = body["webhook"]?.stringValue else { throw PlaidAPIError.missingFields(["webhook"]) }
            let item = try store.withItem(token: body["access_token"]?.stringValue, allowingItemError: true) { item in
                item.webhook = webhook
                return Self.itemJSON(item)
            }
            let itemID = item["item_id"]?.stringValue ?? ""
            await provider.sendWebhook(
                itemID: itemID,
                itemWebhook: webhook,
                type: "ITEM",
                code: "WEBHOOK_UPDATE_ACKNOWLEDGED",
                extra: ["new_webhook_url": .string(webhook), "error": .null]
            )
            return PlaidProvider.json(["item": JSONValue.object(item), "request_id": .string(PlaidProvider.requestID())])
        }
        for path in ["accounts/get", "accounts/balance/get"] {
            post(group, path) { body in
                let wanted = body["options"]?["account_ids"]?.strings.map(Set.init)
                let (accounts, item) = try store.withItem(token: body["access_token"]?.stringValue) { item in
                    (item.accounts.filter { wanted?.contains($0.accountID) ?? true }, Self.itemJSON(item))
                }
                return PlaidProvider.json(PlaidResponses.Accounts(accounts: accounts, item: item))
            }
        }
        post(group, "transactions/sync") { body in
            try Self.sync(body, store: store)
        }
        post(group, "institutions/get_by_id") { body in
            guard let id = body["institution_id"]?.stringValue else { throw PlaidAPIError.missingFields(["institution_id"]) }
            guard let institution = PlaidInstitutions.json(id) else {
                throw PlaidAPIError(
                    status: .badRequest,
                    type: "INVALID_INPUT",
                    code: "INVALID_INSTITUTION",
                    message: "invalid institution_id provided"
                )
            }
            return PlaidProvider.json(["institution": JSONValue.object(institution), "request_id": .string(PlaidProvider.requestID())])
        }
        post(group, "webhook_verification_key/get") { body in
            guard let kid = body["key_id"]?.stringValue else { throw PlaidAPIError.missingFields(["key_id"]) }
            guard let key = provider.signer.publicKey(kid) else { throw PlaidAPIError.invalidField("invalid key_id provided") }
            return PlaidProvider.json(PlaidResponses.Key(key: key))
        }
    }

    /// `/transactions/sync`: the slice of the Item's change log after the cursor, at most
    /// `count` (1…500, default 100) changes.
    static func sync(_ body: JSONValue, store: PlaidStore) throws -> Response {
        let count = Int(body["options"]?["count"]?.numberValue ?? body["count"]?.numberValue ?? 100)
        guard (1...500).contains(count) else { throw PlaidAPIError.invalidField("count must be between 1 and 500") }
        let rawCursor = body["cursor"]?.stringValue ?? ""
        let response = try store.withItem(token: body["access_token"]?.stringValue) {
            (item: inout PlaidItem) throws(PlaidAPIError) -> PlaidResponses.Sync in
            var cursor = PlaidSyncCursor(itemID: item.id, position: 0, end: item.changeCount)
            if !rawCursor.isEmpty {
                guard let decoded = PlaidSyncCursor(rawCursor), decoded.itemID == item.id, decoded.end <= item.changeCount else {
                    throw .invalidField("cursor is invalid")
                }
                if decoded.isMidLoop, decoded.end != item.changeCount { throw .mutationDuringPagination }
                cursor = decoded.isMidLoop ? decoded : PlaidSyncCursor(itemID: item.id, position: decoded.position, end: item.changeCount)
            }
            let stop = min(cursor.position + count, cursor.end)
            let changes = item.changes(in: cursor.position..<stop)
            let next = PlaidSyncCursor(itemID: item.id, position: stop, end: cursor.end)
            return PlaidResponses.Sync(
                added: changes.added,
                modified: changes.modified,
                removed: changes.removed.map { PlaidResponses.Removed(transactionID: $0.0, accountID: $0.1) },
                nextCursor: next.encoded,
                hasMore: stop < cursor.end,
                accounts: item.accounts
            )
        }
        return PlaidProvider.json(response)
    }

    static func itemJSON(_ item: PlaidItem) -> [String: JSONValue] {
        let error: JSONValue =
            item.error.map { error in
                .object([
                    "error_type": .string(error.type), "error_code": .string(error.code), "error_message": .string(error.message),
                    "display_message": error.displayMessage.map(JSONValue.string) ?? .null,
                ])
            } ?? .null
        return [
            "item_id": .string(item.id), "institution_id": .string(item.institutionID),
            "institution_name": PlaidInstitutions.names[item.institutionID].map(JSONValue.string) ?? .null,
            "webhook": item.webhook.map(JSONValue.string) ?? .null, "error": error,
            "available_products": .array(["auth", "balance", "identity"].map(JSONValue.string)),
            "billed_products": .array([.string("transactions")]), "products": .array([.string("transactions")]),
            "consented_products": .array([.string("transactions")]), "consent_expiration_time": .null, "update_type": .string("background"),
        ]
    }

    /// Registers a JSON POST endpoint that checks the client credentials before `handler`.
    private func post(_ group: RouterGroup<SandboxContext>, _ path: String, _ handler: @escaping Handler) {
        let provider = self.provider
        group.post(RouterPath(path)) { request, context -> Response in
            do {
                guard let body = try await JSONValue.body(of: request, context: context), case .object = body else {
                    throw PlaidAPIError.invalidBody
                }
                let clientID = body["client_id"]?.stringValue ?? request.headers[values: PlaidHeader.clientID].first
                let secret = body["secret"]?.stringValue ?? request.headers[values: PlaidHeader.secret].first
                guard let clientID, let secret else {
                    throw PlaidAPIError.missingFields([clientID == nil ? "client_id" : nil, secret == nil ? "secret" : nil].compactMap { $0 })
                }
                guard clientID == provider.clientID, secret == provider.secret else { throw PlaidAPIError.invalidAPIKeys }
                return try await handler(body)
            } catch let error as PlaidAPIError {
                return error.response()
            }
        }
    }
}
