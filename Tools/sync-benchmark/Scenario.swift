import BenchmarkSupport
import Foundation
import HubConnections
import HubCore

/// Which provider a pull reads, and how each of its connections is made.
enum Scenario: Equatable {
    /// Stripe's customers with the sandbox's key, through connection-service's API.
    case stripe
    /// QuickBooks invoices, each connection a company of its own in the sandbox (made through its
    /// admin API, which hands out a token for it), under QuickBooks' real limit of 500 requests a
    /// minute per company: OAuth has no API-key path, so the connection is stored as oauth-service
    /// would after an authorization.
    case quickbooks

    init?(provider: String) {
        switch provider {
        case "stripe": self = .stripe
        case "quickbooks": self = .quickbooks
        default: return nil
        }
    }

    /// The QuickBooks entities a company holds `--volume` of (tax rates are a fixed handful).
    static let quickBooksEntities = [
        "customers", "invoices", "payments", "products", "expenses", "vendors", "accounts", "bills", "bill_payments", "credit_notes",
    ]

    var defaultEntity: String { self == .stripe ? "customers" : "invoices" }
    var maxPageSize: Int { self == .stripe ? 100 : 1000 }

    func connect(sandboxURL: String, volume: Int) -> WorkerPull.Connect {
        switch self {
        case .stripe:
            return { api, _, _ in try await api.connectStripe() }
        case .quickbooks:
            return { _, dependencies, organization in
                let sandbox = HubAPI(baseURL: sandboxURL, token: "")
                let made = try await sandbox.send(.POST, "/_admin/quickbooks/companies", json: #"{"volumes":{"Invoice":\#(volume)}}"#)
                guard made.status == 201, let realm = made.body?["realm_id"] as? String, let token = made.body?["access_token"] as? String
                else { throw BenchmarkError("the sandbox made no QuickBooks company: \(made.status) \(made.body ?? [:])") }
                let connection = try await ConnectionLifecycle(dependencies: dependencies).connect(
                    .init(organizationID: organization, subject: "sync-benchmark", requestID: nil),
                    provider: "quickbooks",
                    name: nil,
                    settings: [:],
                    fields: SecretFields(["realm_id": realm, "access_token": token])
                )
                guard connection.status == .connected else {
                    throw BenchmarkError("QuickBooks did not connect: \(connection.statusReason ?? "")")
                }
                return connection.id.uuidString.lowercased()
            }
        }
    }

    /// Sets the sandbox's per-realm limit of requests in any one second (QuickBooks), which also
    /// zeroes its count of requests answered 429; nil for Stripe, whose sandbox counts none.
    func resetThrottle(sandboxURL: String, perSecond: Int) async throws {
        guard self == .quickbooks else { return }
        let reply = try await HubAPI(baseURL: sandboxURL, token: "").send(.PUT, "/_admin/quickbooks/throttle", json: #"{"per_second":\#(perSecond)}"#)
        guard reply.status == 200 else { throw BenchmarkError("the sandbox refused the throttle settings: \(reply.status)") }
    }

    /// Requests the sandbox answered 429 since the last `resetThrottle`, over every company.
    func rejections(sandboxURL: String) async throws -> Int? {
        guard self == .quickbooks else { return nil }
        let reply = try await HubAPI(baseURL: sandboxURL, token: "").send(.GET, "/_admin/quickbooks/throttle/rejections")
        guard reply.status == 200, let total = reply.body?["total"] as? Int else {
            throw BenchmarkError("the sandbox did not tell its 429 count: \(reply.status)")
        }
        return total
    }
}
