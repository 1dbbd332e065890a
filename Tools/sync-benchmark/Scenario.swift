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
}
