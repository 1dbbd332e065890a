import Foundation
import HubCore
import Hummingbird

/// The catalog: every provider with its category, how it connects, and whether this organization
/// has it connected; counts, category tabs, search and "connected only" are query parameters, so
/// a filtered view is a link.
struct CatalogPages {
    let console: Console

    static let categoryNames: [String: String] = [
        "payments": "Payments", "accounting": "Accounting", "automation": "Automation",
        "communication": "Communication", "storage": "Storage", "crm": "CRM", "ecommerce": "E-commerce",
        "banking": "Banking", "shipping": "Shipping",
    ]

    static let authNames: [String: String] = [
        "api_key": "API key", "oauth2_authorization_code": "OAuth", "oauth2_client_credentials": "Client credentials",
        "plaid_link": "Plaid Link",
    ]

    static let statusNames: [String: String] = [
        "connected": "Connected", "connecting": "Connecting", "error": "Error", "reauth_required": "Needs reauthorization",
        "disconnected": "Disconnected",
    ]

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/integrations") { request, context in
            let session = try await console.session(request)
            async let providers = console.api.get("/api/v1/integrations/providers", session: session, requestID: context.requestID)
            async let connections = liveConnections(session: session, requestID: context.requestID)
            let all = try await providers["data"]?.arrayValue ?? []
            let byProvider = try await connections
            let query = request.uri.queryParameters
            let category = query["category"].map(String.init) ?? ""
            let search = (query["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            let connectedOnly = query["connected"] == "1"

            var cards: [[String: Any]] = []
            for provider in all {
                guard let id = provider["id"]?.stringValue else { continue }
                let providerCategory = provider["category"]?.stringValue ?? ""
                let name = provider["display_name"]?.stringValue ?? id
                let connection = byProvider[id]
                if !category.isEmpty, providerCategory != category { continue }
                if connectedOnly, connection == nil { continue }
                if !search.isEmpty,
                    !(name.localizedCaseInsensitiveContains(search) || id.localizedCaseInsensitiveContains(search)
                        || (provider["description"]?.stringValue ?? "").localizedCaseInsensitiveContains(search))
                {
                    continue
                }
                var card: [String: Any] = [
                    "id": id, "name": name, "initial": String(name.prefix(1)),
                    "category": Self.categoryNames[providerCategory] ?? providerCategory,
                    "auth": Self.authNames[provider["auth"]?["kind"]?.stringValue ?? ""] ?? "",
                    "description": provider["description"]?.stringValue ?? "",
                ]
                if let connection, let connectionID = connection["id"]?.stringValue {
                    let status = connection["status"]?.stringValue ?? ""
                    card["connection_id"] = connectionID
                    card["status"] = Self.statusNames[status] ?? status
                    card["status_key"] = status
                    card["healthy"] = status == "connected"
                }
                cards.append(card)
            }
            let connectedCount = byProvider.count
            let activeCount = byProvider.values.filter { $0["status"]?.stringValue == "connected" }.count
            var tabs: [[String: Any]] = [
                ["label": "All", "href": Self.href(category: "", search: search, connectedOnly: connectedOnly), "current": category.isEmpty]
            ]
            let present = Set(all.compactMap { $0["category"]?.stringValue })
            for key in Self.categoryNames.keys.sorted() where present.contains(key) {
                tabs.append([
                    "label": Self.categoryNames[key] ?? key, "href": Self.href(category: key, search: search, connectedOnly: connectedOnly),
                    "current": key == category,
                ])
            }
            var values: [String: Any] = [
                "cards": cards, "empty": cards.isEmpty, "tabs": tabs, "q": search,
                "connected_only": connectedOnly, "count_connected": connectedCount, "count_active": activeCount,
                "count_available": all.count,
            ]
            if !category.isEmpty { values["category"] = category }
            return console.page("catalog", title: "Integrations", section: "catalog", session: session, request: request, values: values)
        }
    }

    /// The organization's connections that are not disconnected, by provider.
    func liveConnections(session: ConsoleSession, requestID: String) async throws -> [String: JSONValue] {
        // Disconnected ones (every refused connect leaves one) must not push the live ones off the page.
        let page = try await console.api.get(
            "/api/v1/integrations/connections?limit=200&include_disconnected=false",
            session: session,
            requestID: requestID
        )
        var result: [String: JSONValue] = [:]
        for connection in page["data"]?.arrayValue ?? [] {
            guard let provider = connection["provider"]?.stringValue, connection["status"]?.stringValue != "disconnected" else { continue }
            result[provider] = connection
        }
        return result
    }

    static func href(category: String, search: String, connectedOnly: Bool) -> String {
        var items: [String] = []
        if !category.isEmpty { items.append("category=" + urlComponent(category)) }
        if !search.isEmpty { items.append("q=" + urlComponent(search)) }
        if connectedOnly { items.append("connected=1") }
        return "/integrations" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }
}
