import Foundation
import HubConnectors
import XCTest

/// Rules every provider definition must keep, checked over the whole standard registry so a new
/// connector is held to them without writing a test of its own.
final class ProviderDefinitionTests: XCTestCase {
    private let definitions = ConnectorRegistry.standard.definitions

    /// Every hub entity type a connector may use: the sync service's seven, Plaid's two, and the
    /// extra types the design documents name for the providers that have them.
    private let hubEntityTypes: Set<String> = [
        "customers", "invoices", "payments", "products", "projects", "expenses", "contacts",
        "bank_accounts", "bank_transactions",
        "orders", "inventory_levels", "fulfillments", "locations",
        "prices", "charges", "balance_transactions", "subscriptions", "payouts", "disputes",
        "accounts", "companies", "deals", "opportunities",
        "vendors", "tax_rates", "bills", "bill_payments", "credit_notes",
        "channels", "messages",
        "vendors", "tax_rates", "bills", "bill_payments", "credit_notes",
    ]

    // MARK: Auth

    func testCapabilitiesMatchTheAuthKind() {
        for definition in definitions {
            let kind = definition.auth.kind
            XCTAssertEqual(
                definition.capabilities.contains(.oauth),
                kind == .oauth2AuthorizationCode,
                "\(definition.id): oauth capability iff the authorization-code redirect"
            )
            XCTAssertEqual(
                definition.capabilities.contains(.apiKey),
                kind == .apiKey || kind == .oauth2ClientCredentials,
                "\(definition.id): api_key capability iff the organization enters credentials"
            )
        }
    }

    func testOAuthDefinitionIsPresentExactlyForTheAuthorizationCodeGrant() {
        for definition in definitions {
            XCTAssertEqual(
                definition.auth.oauth != nil,
                definition.auth.kind == .oauth2AuthorizationCode,
                definition.id
            )
        }
    }

    func testTokenURLIsPresentExactlyForTheClientCredentialsGrant() throws {
        for definition in definitions {
            XCTAssertEqual(
                definition.auth.tokenURL != nil,
                definition.auth.kind == .oauth2ClientCredentials,
                definition.id
            )
            if let tokenURL = definition.auth.tokenURL {
                try assertHTTPS(tokenURL, definition.id)
            }
        }
    }

    func testClientCredentialsProvidersAskForAPublicIDAndASecret() throws {
        for definition in definitions where definition.auth.kind == .oauth2ClientCredentials {
            let fields = Dictionary(uniqueKeysWithValues: definition.auth.credentialFields.map { ($0.name, $0) })
            let clientID = try XCTUnwrap(fields["client_id"], definition.id)
            let clientSecret = try XCTUnwrap(fields["client_secret"], definition.id)
            XCTAssertFalse(clientID.secret, definition.id)
            XCTAssertTrue(clientID.required, definition.id)
            XCTAssertTrue(clientSecret.secret, definition.id)
            XCTAssertTrue(clientSecret.required, definition.id)
        }
    }

    func testAPIKeyProvidersThatAskForCredentialsAskForARequiredSecret() {
        for definition in definitions where definition.auth.kind == .apiKey && !definition.auth.credentialFields.isEmpty {
            XCTAssertTrue(
                definition.auth.credentialFields.contains { $0.secret && $0.required },
                "\(definition.id) asks for credentials but none is a required secret"
            )
        }
    }

    func testOAuthEndpointsAreHTTPSAndScopesAreListed() throws {
        for definition in definitions {
            guard let oauth = definition.auth.oauth else { continue }
            try assertHTTPS(oauth.authorizeURL, "\(definition.id) authorize")
            try assertHTTPS(oauth.tokenURL, "\(definition.id) token")
            if let revokeURL = oauth.revokeURL {
                try assertHTTPS(revokeURL, "\(definition.id) revoke")
            }
            XCTAssertFalse(oauth.scopes.isEmpty, definition.id)
            XCTAssertEqual(Set(oauth.scopes).count, oauth.scopes.count, "\(definition.id) repeats a scope")
            XCTAssertFalse(oauth.scopes.contains { $0.isEmpty || $0.contains(" ") }, definition.id)
            if let lifetime = oauth.accessTokenLifetime {
                XCTAssertGreaterThan(lifetime, 0, definition.id)
            }
        }
    }

    func testOnlyPerShopProvidersUseTheShopPlaceholderAndTheyAskForTheShop() {
        for definition in definitions {
            guard let oauth = definition.auth.oauth else { continue }
            let usesShop = oauth.authorizeURL.contains("{shop}")
            XCTAssertEqual(oauth.tokenURL.contains("{shop}"), usesShop, definition.id)
            XCTAssertEqual(
                definition.auth.credentialFields.contains { $0.name == "shop_domain" },
                usesShop,
                definition.id
            )
        }
    }

    func testCredentialFieldNamesAreUniqueSnakeCaseAndLabelled() {
        for definition in definitions {
            let names = definition.auth.credentialFields.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(definition.id) repeats a credential field")
            for field in definition.auth.credentialFields {
                XCTAssertTrue(isSnakeCase(field.name), "\(definition.id).\(field.name)")
                XCTAssertFalse(field.label.isEmpty, "\(definition.id).\(field.name)")
            }
        }
    }

    func testEveryCredentialPatternCompilesAndIsAnchored() {
        for definition in definitions {
            for field in definition.auth.credentialFields {
                guard let pattern = field.pattern else { continue }
                let name = "\(definition.id).\(field.name)"
                XCTAssertNoThrow(try Regex(pattern), name)
                XCTAssertNoThrow(try NSRegularExpression(pattern: pattern), name)
                XCTAssertTrue(pattern.hasPrefix("^") && pattern.hasSuffix("$"), "\(name) must match whole values")
                XCTAssertFalse(field.accepts(""), "\(name) accepts an empty value")
            }
        }
    }

    // MARK: Capabilities and webhooks

    func testCapabilitiesAreListedOnce() {
        for definition in definitions {
            XCTAssertEqual(Set(definition.capabilities).count, definition.capabilities.count, definition.id)
        }
    }

    func testWebhooksCapabilityMatchesTheWebhookEvents() {
        for definition in definitions {
            XCTAssertEqual(
                definition.capabilities.contains(.webhooks),
                !definition.webhookEvents.isEmpty,
                definition.id
            )
        }
    }

    func testWebhookEventsAreUniqueAndWellFormed() {
        for definition in definitions {
            let events = definition.webhookEvents
            XCTAssertEqual(Set(events).count, events.count, "\(definition.id) repeats a webhook event")
            for event in events {
                XCTAssertFalse(event.isEmpty, definition.id)
                XCTAssertFalse(event.contains { $0.isWhitespace }, "\(definition.id): '\(event)'")
            }
        }
    }

    /// Whether the provider's connector can move records at all (lists, gets, writes).
    private func hasDataConnector(_ definition: ProviderDefinition) -> Bool {
        ConnectorRegistry.standard.connector(id: definition.id) is any DataConnector.Type
    }

    func testSyncCapabilityMatchesReadableEntitiesOfADataConnector() {
        for definition in definitions {
            let readable = hasDataConnector(definition) && definition.entities.contains { $0.operations.contains(.read) }
            XCTAssertEqual(definition.capabilities.contains(.sync), readable, definition.id)
        }
    }

    func testPushCapabilityMatchesWritableEntitiesOfADataConnector() {
        for definition in definitions {
            let writable = hasDataConnector(definition) && definition.entities.contains { !$0.operations.filter { $0 != .read }.isEmpty }
            XCTAssertEqual(definition.capabilities.contains(.push), writable, definition.id)
        }
    }

    func testRealtimeNeedsWebhooksAndSync() {
        for definition in definitions where definition.capabilities.contains(.realtime) {
            XCTAssertTrue(definition.capabilities.contains(.webhooks), definition.id)
            XCTAssertTrue(definition.capabilities.contains(.sync), definition.id)
        }
    }

    // MARK: Entities

    func testEntityNamesAreUniquePluralSnakeCaseHubTypes() {
        for definition in definitions {
            let names = definition.entities.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(definition.id) repeats an entity")
            for name in names {
                XCTAssertTrue(isSnakeCase(name) && name.hasSuffix("s"), "\(definition.id).\(name)")
                XCTAssertTrue(hubEntityTypes.contains(name), "\(definition.id).\(name) is not a hub entity type")
            }
        }
    }

    func testEveryEntityNamesItsProviderObject() {
        for definition in definitions {
            for entity in definition.entities {
                XCTAssertFalse(entity.providerObject.isEmpty, "\(definition.id).\(entity.name)")
            }
        }
    }

    func testEveryEntityHasAReadOnlyIDField() {
        for definition in definitions {
            for entity in definition.entities {
                XCTAssertTrue(
                    entity.fields.contains { $0.type == .id && $0.readOnly },
                    "\(definition.id).\(entity.name) has no read-only id field"
                )
            }
        }
    }

    func testFieldNamesAreUniqueAndNonEmpty() {
        for definition in definitions {
            for entity in definition.entities {
                let names = entity.fields.map(\.name)
                XCTAssertEqual(Set(names).count, names.count, "\(definition.id).\(entity.name) repeats a field")
                XCTAssertFalse(names.contains { $0.isEmpty || $0.contains(" ") }, "\(definition.id).\(entity.name)")
            }
        }
    }

    func testRequiredFieldsOfCreatableEntitiesAreWritable() {
        for definition in definitions {
            for entity in definition.entities where entity.operations.contains(.create) {
                for field in entity.fields where field.required {
                    XCTAssertFalse(field.readOnly, "\(definition.id).\(entity.name).\(field.name) is required but read-only")
                }
            }
        }
    }

    func testOnlyCreatableEntitiesHaveRequiredFields() {
        for definition in definitions {
            for entity in definition.entities where !entity.operations.contains(.create) {
                XCTAssertFalse(
                    entity.fields.contains(where: \.required),
                    "\(definition.id).\(entity.name) cannot be created, so nothing is required to create it"
                )
            }
        }
    }

    func testEntitiesThatCannotBeWrittenHaveOnlyReadOnlyFields() {
        for definition in definitions {
            for entity in definition.entities where entity.operations == [.read] {
                let writable = entity.fields.filter { !$0.readOnly }.map(\.name)
                XCTAssertEqual(writable, [], "\(definition.id).\(entity.name) is read-only")
            }
        }
    }

    func testOperationsAreNonEmptyUniqueAndInCatalogOrder() {
        for definition in definitions {
            for entity in definition.entities {
                XCTAssertFalse(entity.operations.isEmpty, "\(definition.id).\(entity.name)")
                XCTAssertEqual(Set(entity.operations).count, entity.operations.count, "\(definition.id).\(entity.name)")
                XCTAssertEqual(entity.operations, entity.operations.sorted(), "\(definition.id).\(entity.name)")
            }
        }
    }

    func testOnlyReadableEntitiesAreIncremental() {
        for definition in definitions {
            for entity in definition.entities where entity.incremental {
                XCTAssertTrue(entity.operations.contains(.read), "\(definition.id).\(entity.name)")
            }
        }
    }

    func testMoneyIsOnlyUsedForMinorUnitProviders() {
        // Only Stripe sends integer minor units; every other provider's amounts are decimals.
        for definition in definitions where definition.id != "stripe" {
            for entity in definition.entities {
                XCTAssertFalse(entity.fields.contains { $0.type == .money }, "\(definition.id).\(entity.name)")
            }
        }
    }

    func testEntityLookupFindsEachEntityByName() {
        for definition in definitions {
            for entity in definition.entities {
                XCTAssertEqual(definition.entity(entity.name), entity)
            }
            XCTAssertNil(definition.entity("widgets"))
        }
    }

    // MARK: Presentation

    func testDescriptionsAndDocsAreFilledIn() throws {
        for definition in definitions {
            XCTAssertFalse(definition.displayName.isEmpty, definition.id)
            XCTAssertGreaterThan(definition.description.count, 40, definition.id)
            try assertHTTPS(definition.docsURL, "\(definition.id) docs")
        }
    }

    func testDefinitionsRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(definitions)
        XCTAssertEqual(try JSONDecoder().decode([ProviderDefinition].self, from: data), definitions)
    }

    func testClientCredentialsTokenURLTravelsInJSONAsTokenURL() throws {
        let paypal = try XCTUnwrap(ConnectorRegistry.standard.definition(id: "paypal"))
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(paypal.auth)) as? [String: Any]
        )
        XCTAssertEqual(json["token_url"] as? String, "https://api-m.paypal.com/v1/oauth2/token")
    }

    func testAuthWithoutTokenURLDecodesFromJSONWrittenBeforeTheFieldExisted() throws {
        let json = Data(#"{"kind":"api_key","credential_fields":[]}"#.utf8)
        let auth = try JSONDecoder().decode(AuthDefinition.self, from: json)
        XCTAssertEqual(auth, AuthDefinition(kind: .apiKey))
    }

    // MARK: Helpers

    private func isSnakeCase(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-z][a-z0-9]*(_[a-z0-9]+)*/) != nil
    }

    /// Asserts that `address` is an absolute https URL with a host, once `{shop}` is filled in.
    private func assertHTTPS(_ address: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let filled = address.replacingOccurrences(of: "{shop}", with: "example.myshopify.com")
            .replacingOccurrences(of: "{token}", with: "token")
        let url = try XCTUnwrap(URL(string: filled), "\(what): '\(address)' is not a URL", file: file, line: line)
        XCTAssertEqual(url.scheme, "https", "\(what): '\(address)'", file: file, line: line)
        XCTAssertFalse(url.host?.isEmpty ?? true, "\(what): '\(address)' has no host", file: file, line: line)
    }
}
