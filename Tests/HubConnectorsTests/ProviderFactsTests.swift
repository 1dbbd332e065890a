import HubConnectors
import XCTest

/// Provider-specific facts the rest of the hub builds on: auth details, patterns, entity coverage.
final class ProviderFactsTests: XCTestCase {
    private let registry = ConnectorRegistry.standard

    private func definition(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> ProviderDefinition {
        try XCTUnwrap(registry.definition(id: id), "no provider '\(id)'", file: file, line: line)
    }

    private func credentialField(_ name: String, of id: String) throws -> CredentialField {
        try XCTUnwrap(try definition(id).auth.credentialFields.first { $0.name == name }, "\(id) has no \(name)")
    }

    // MARK: Categories and auth kinds

    func testProvidersHaveTheirCategories() throws {
        let expected: [String: ProviderCategory] = [
            "stripe": .payments, "paypal": .payments, "quickbooks": .accounting, "xero": .accounting,
            "zapier": .automation, "slack": .communication, "shopify": .ecommerce, "plaid": .banking,
            "salesforce": .crm, "hubspot": .crm,
        ]
        for (id, category) in expected {
            XCTAssertEqual(try definition(id).category, category, id)
        }
    }

    func testProvidersUseTheirAuthKinds() throws {
        let expected: [String: AuthKind] = [
            "stripe": .apiKey, "paypal": .oauth2ClientCredentials, "quickbooks": .oauth2AuthorizationCode,
            "xero": .oauth2AuthorizationCode, "zapier": .apiKey, "slack": .oauth2AuthorizationCode,
            "shopify": .oauth2AuthorizationCode, "plaid": .plaidLink, "salesforce": .oauth2AuthorizationCode,
            "hubspot": .oauth2AuthorizationCode,
        ]
        for (id, kind) in expected {
            XCTAssertEqual(try definition(id).auth.kind, kind, id)
        }
    }

    // MARK: Stripe

    func testStripeKeyPatternAcceptsSecretAndRestrictedKeys() throws {
        let apiKey = try credentialField("api_key", of: "stripe")
        XCTAssertTrue(apiKey.secret)
        XCTAssertTrue(apiKey.required)
        for key in ["sk_test_abc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "rk_test_abc", "rk_live_51H0abcDEF"] {
            XCTAssertTrue(apiKey.accepts(key), key)
        }
    }

    func testStripeKeyPatternRejectsPublishableAndMalformedKeys() throws {
        let apiKey = try credentialField("api_key", of: "stripe")
        for key in ["pk_test_abc", "pk_live_abc", "sk_test_", "sk_abc", "xsk_test_abc", "sk_test_abc def", "whsec_abc", ""] {
            XCTAssertFalse(apiKey.accepts(key), key)
        }
    }

    func testStripeWebhookSecretIsAnOptionalSecret() throws {
        let webhookSecret = try credentialField("webhook_secret", of: "stripe")
        XCTAssertTrue(webhookSecret.secret)
        XCTAssertFalse(webhookSecret.required)
        XCTAssertTrue(webhookSecret.accepts("whsec_test_secret"))
        XCTAssertFalse(webhookSecret.accepts("sk_test_abc"))
    }

    func testStripeListsTheWebhookEventsTheHubActsOn() throws {
        let events = Set(try definition("stripe").webhookEvents)
        let needed: Set = [
            "customer.created", "customer.updated", "customer.deleted", "invoice.created", "invoice.paid",
            "invoice.payment_failed", "invoice.updated", "payment_intent.succeeded",
            "payment_intent.payment_failed", "charge.refunded", "product.created",
        ]
        XCTAssertTrue(needed.isSubset(of: events), "missing \(needed.subtracting(events))")
    }

    func testStripeAmountsAreMinorUnitMoney() throws {
        let stripe = try definition("stripe")
        let invoices = try XCTUnwrap(stripe.entity("invoices"))
        for name in ["amount_due", "amount_paid", "amount_remaining", "total"] {
            let field = try XCTUnwrap(invoices.fields.first { $0.name == name }, name)
            XCTAssertEqual(field.type, .money, name)
            XCTAssertTrue(field.readOnly, name)
        }
        XCTAssertEqual(stripe.entity("payments")?.providerObject, "payment_intents")
        XCTAssertEqual(stripe.entity("balance_transactions")?.operations, [.read])
        XCTAssertEqual(stripe.entity("invoices")?.operations, [.read, .create, .update, .delete])
    }

    // MARK: PayPal

    func testPayPalTradesClientCredentialsAtItsTokenEndpoint() throws {
        let paypal = try definition("paypal")
        XCTAssertEqual(paypal.auth.tokenURL, "https://api-m.paypal.com/v1/oauth2/token")
        XCTAssertEqual(paypal.auth.credentialFields.map(\.name), ["client_id", "client_secret", "environment", "webhook_id"])
        let environment = try credentialField("environment", of: "paypal")
        XCTAssertFalse(environment.secret)
        XCTAssertFalse(environment.required)
        XCTAssertTrue(environment.accepts("live"))
        XCTAssertTrue(environment.accepts("sandbox"))
        XCTAssertFalse(environment.accepts("production"))
    }

    // MARK: OAuth providers

    func testOAuthProvidersDeclareTheirTokenBehaviour() throws {
        // (PKCE, rotating refresh tokens, access-token lifetime in seconds)
        let expected: [String: (pkce: Bool, rotates: Bool, lifetime: Int?)] = [
            "quickbooks": (false, true, 3600),
            "xero": (true, true, 1800),
            "salesforce": (true, false, nil),
            "hubspot": (false, false, 1800),
            "slack": (false, false, nil),
            // Expiring offline tokens, required of public apps from 2027-01-01.
            "shopify": (false, true, 3600),
        ]
        for (id, facts) in expected {
            let oauth = try XCTUnwrap(try definition(id).auth.oauth, id)
            XCTAssertEqual(oauth.supportsPKCE, facts.pkce, "\(id) PKCE")
            XCTAssertEqual(oauth.rotatesRefreshToken, facts.rotates, "\(id) rotation")
            XCTAssertEqual(oauth.accessTokenLifetime, facts.lifetime, "\(id) lifetime")
            XCTAssertNotNil(oauth.revokeURL, "\(id) can be revoked on disconnect")
        }
    }

    func testOAuthProvidersUseTheirRealEndpointsAndScopes() throws {
        let quickbooks = try XCTUnwrap(try definition("quickbooks").auth.oauth)
        XCTAssertEqual(quickbooks.authorizeURL, "https://appcenter.intuit.com/connect/oauth2")
        XCTAssertEqual(quickbooks.tokenURL, "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer")
        XCTAssertEqual(quickbooks.scopes, ["com.intuit.quickbooks.accounting"])

        let xero = try XCTUnwrap(try definition("xero").auth.oauth)
        XCTAssertEqual(xero.authorizeURL, "https://login.xero.com/identity/connect/authorize")
        XCTAssertEqual(xero.tokenURL, "https://identity.xero.com/connect/token")
        XCTAssertTrue(xero.scopes.contains("offline_access"), "Xero only issues refresh tokens with offline_access")
        XCTAssertFalse(xero.scopes.contains("accounting.transactions"), "retired for apps created since March 2026")

        let salesforce = try XCTUnwrap(try definition("salesforce").auth.oauth)
        XCTAssertEqual(salesforce.tokenURL, "https://login.salesforce.com/services/oauth2/token")
        XCTAssertEqual(Set(salesforce.scopes), ["api", "refresh_token"])

        let hubspot = try XCTUnwrap(try definition("hubspot").auth.oauth)
        XCTAssertEqual(hubspot.authorizeURL, "https://app.hubspot.com/oauth/authorize")
        XCTAssertEqual(hubspot.tokenURL, "https://api.hubapi.com/oauth/v3/token", "v1 is retired on 2027-02-16")
        XCTAssertTrue(hubspot.scopes.contains("crm.objects.contacts.read"))

        let slack = try XCTUnwrap(try definition("slack").auth.oauth)
        XCTAssertEqual(slack.authorizeURL, "https://slack.com/oauth/v2/authorize")
        XCTAssertEqual(slack.tokenURL, "https://slack.com/api/oauth.v2.access")
        XCTAssertTrue(slack.scopes.contains("chat:write"))
    }

    // MARK: Shopify

    func testShopifyOAuthRunsOnTheShopsOwnHost() throws {
        let shopify = try definition("shopify")
        let oauth = try XCTUnwrap(shopify.auth.oauth)
        XCTAssertEqual(oauth.authorizeURL, "https://{shop}/admin/oauth/authorize")
        XCTAssertEqual(oauth.tokenURL, "https://{shop}/admin/oauth/access_token")
        let shopDomain = try credentialField("shop_domain", of: "shopify")
        XCTAssertFalse(shopDomain.secret)
        XCTAssertTrue(shopDomain.required)
        XCTAssertEqual(shopDomain.pattern, #"^[a-zA-Z0-9][a-zA-Z0-9-]*\.myshopify\.com$"#)
    }

    func testShopifyShopDomainPatternAcceptsMyshopifyDomains() throws {
        let shopDomain = try credentialField("shop_domain", of: "shopify")
        for domain in ["example.myshopify.com", "my-store-1.myshopify.com", "A1.myshopify.com"] {
            XCTAssertTrue(shopDomain.accepts(domain), domain)
        }
    }

    func testShopifyShopDomainPatternRejectsOtherHosts() throws {
        let shopDomain = try credentialField("shop_domain", of: "shopify")
        for domain in [
            "evil.com", "a.myshopify.com.evil.com", "evil.com/a.myshopify.com", "a.b.myshopify.com",
            "-a.myshopify.com", "a.myshopify.com/", "https://a.myshopify.com", "a_b.myshopify.com",
            "amyshopify.com", ".myshopify.com", "a.myshopify.com\n", "",
        ] {
            XCTAssertFalse(shopDomain.accepts(domain), domain)
        }
    }

    func testShopifyPricesAreDecimalStrings() throws {
        let orders = try XCTUnwrap(try definition("shopify").entity("orders"))
        for name in ["total_price", "subtotal_price", "total_tax"] {
            XCTAssertEqual(orders.fields.first { $0.name == name }?.type, .decimal, name)
        }
    }

    func testShopifyListsOrderProductCustomerInventoryAndUninstallTopics() throws {
        let topics = Set(try definition("shopify").webhookEvents)
        let needed: Set = [
            "orders/create", "orders/updated", "products/update", "customers/create", "app/uninstalled",
            "inventory_levels/update", "customers/data_request", "customers/redact", "shop/redact",
        ]
        XCTAssertTrue(needed.isSubset(of: topics), "missing \(needed.subtracting(topics))")
    }

    // MARK: Plaid

    func testPlaidIsReadOnly() throws {
        let plaid = try definition("plaid")
        XCTAssertEqual(Set(plaid.entities.map(\.name)), ["bank_accounts", "bank_transactions"])
        for entity in plaid.entities {
            XCTAssertEqual(entity.operations, [.read], entity.name)
        }
        XCTAssertFalse(plaid.capabilities.contains(.push))
        XCTAssertTrue(plaid.auth.credentialFields.isEmpty, "Link asks the user, not a form")
    }

    func testPlaidTransactionsAreIncrementalButAccountsAreNot() throws {
        let plaid = try definition("plaid")
        XCTAssertEqual(plaid.entity("bank_transactions")?.incremental, true)
        XCTAssertEqual(plaid.entity("bank_accounts")?.incremental, false)
        XCTAssertTrue(plaid.webhookEvents.contains("TRANSACTIONS.SYNC_UPDATES_AVAILABLE"))
        XCTAssertTrue(plaid.webhookEvents.allSatisfy { $0.split(separator: ".").count == 2 }, "TYPE.CODE notation")
    }

    // MARK: Zapier and Salesforce

    func testZapierIsAnAppTheHubIssuesAKeyFor() throws {
        let zapier = try definition("zapier")
        XCTAssertEqual(zapier.auth, AuthDefinition(kind: .apiKey), "nothing to enter: the hub issues the key")
        XCTAssertEqual(zapier.capabilities, [.apiKey])
        XCTAssertTrue(zapier.entities.isEmpty)
        XCTAssertTrue(zapier.webhookEvents.isEmpty)
        XCTAssertTrue(zapier.description.contains("REST hooks"))
        XCTAssertTrue(zapier.description.contains("API key from the hub"))
    }

    func testSalesforceIsPolledBecauseItSendsNoSignedWebhooks() throws {
        let salesforce = try definition("salesforce")
        XCTAssertTrue(salesforce.webhookEvents.isEmpty)
        XCTAssertEqual(Set(salesforce.capabilities), [.oauth, .sync, .push], "polled and written, never realtime")
        XCTAssertTrue(salesforce.entities.allSatisfy(\.incremental), "SystemModstamp on every object")
    }

    // MARK: Entity coverage

    func testPaymentAndAccountingProvidersOfferTheCoreEntitiesTheyHave() throws {
        let expected: [String: Set<String>] = [
            "stripe": ["customers", "invoices", "payments", "products"],
            // PayPal has no customer API; its catalog products are not synced (yet).
            "paypal": ["invoices", "payments", "disputes"],
            "quickbooks": ["customers", "invoices", "payments", "products", "expenses"],
            // Xero's contacts are customers and vendors (IsCustomer / IsSupplier); invoices and bills are Invoices.
            "xero": ["customers", "vendors", "invoices", "bills", "payments", "products"],
        ]
        for (id, entities) in expected {
            let names = Set(try definition(id).entities.map(\.name))
            XCTAssertTrue(entities.isSubset(of: names), "\(id) is missing \(entities.subtracting(names))")
        }
    }

    func testCRMAndCommerceProvidersOfferTheirEntities() throws {
        let expected: [String: Set<String>] = [
            "salesforce": ["customers", "contacts", "opportunities", "products", "orders"],
            "hubspot": ["contacts", "customers", "opportunities", "products"],
            "shopify": ["products", "orders", "customers", "inventory_levels", "locations", "fulfillments"],
            "slack": ["channels", "messages"],
        ]
        for (id, entities) in expected {
            XCTAssertEqual(Set(try definition(id).entities.map(\.name)), entities, id)
        }
    }

    func testFieldNamesAreTheProvidersWireNames() throws {
        let samples: [(provider: String, entity: String, field: String, type: FieldType)] = [
            ("stripe", "invoices", "amount_due", .money),
            ("shopify", "orders", "total_price", .decimal),
            ("quickbooks", "customers", "DisplayName", .string),
            ("quickbooks", "invoices", "TotalAmt", .decimal),
            ("quickbooks", "invoices", "CustomerRef.value", .id),
            ("xero", "customers", "ContactID", .id),
            ("xero", "invoices", "Total", .decimal),
            ("salesforce", "customers", "Name", .string),
            ("hubspot", "contacts", "properties.email", .email),
            ("plaid", "bank_accounts", "balances.current", .decimal),
            ("paypal", "invoices", "amount.value", .decimal),
        ]
        for sample in samples {
            let entity = try XCTUnwrap(try definition(sample.provider).entity(sample.entity), "\(sample)")
            XCTAssertEqual(entity.fields.first { $0.name == sample.field }?.type, sample.type, "\(sample)")
        }
    }

    func testIncrementalFlagsFollowEachProvidersMechanism() throws {
        let samples: [(provider: String, entity: String, incremental: Bool)] = [
            ("stripe", "customers", true),  // Events API
            ("shopify", "orders", true),  // updated_at_min
            ("shopify", "locations", false),
            ("quickbooks", "invoices", true),  // MetaData.LastUpdatedTime, CDC
            ("xero", "customers", true),  // If-Modified-Since
            ("xero", "tax_rates", false),
            ("salesforce", "opportunities", true),  // LastModifiedDate
            ("hubspot", "opportunities", true),  // search on hs_lastmodifieddate
            ("paypal", "invoices", false),
            ("slack", "channels", false),
        ]
        for sample in samples {
            XCTAssertEqual(try definition(sample.provider).entity(sample.entity)?.incremental, sample.incremental, "\(sample)")
        }
    }

    func testReadOnlyFieldsIncludeIDsTimestampsAndTotals() throws {
        let samples: [(provider: String, entity: String, field: String)] = [
            ("stripe", "customers", "created"),
            ("quickbooks", "invoices", "MetaData.LastUpdatedTime"),
            ("quickbooks", "invoices", "Balance"),
            ("xero", "invoices", "AmountDue"),
            ("shopify", "orders", "updated_at"),
            ("salesforce", "orders", "TotalAmount"),
            ("hubspot", "customers", "updatedAt"),
        ]
        for sample in samples {
            let entity = try XCTUnwrap(try definition(sample.provider).entity(sample.entity), "\(sample)")
            XCTAssertEqual(entity.fields.first { $0.name == sample.field }?.readOnly, true, "\(sample)")
        }
    }

    func testAccountingProvidersListTheirChangeNotifications() throws {
        XCTAssertTrue(try definition("quickbooks").webhookEvents.contains("Invoice.Create"))
        XCTAssertTrue(try definition("quickbooks").webhookEvents.contains("Customer.Merge"))
        XCTAssertEqual(
            Set(try definition("xero").webhookEvents),
            ["CONTACT.CREATE", "CONTACT.UPDATE", "INVOICE.CREATE", "INVOICE.UPDATE", "CREDITNOTE.CREATE", "CREDITNOTE.UPDATE"]
        )
        XCTAssertTrue(try definition("hubspot").webhookEvents.contains("contact.creation"))
        XCTAssertTrue(try definition("paypal").webhookEvents.contains("INVOICING.INVOICE.PAID"))
    }
}
