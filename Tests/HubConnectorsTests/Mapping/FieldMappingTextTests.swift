import HubCore
import Testing

@testable import HubConnectors

/// `mapText` writes the bytes `map(_:).canonical.encoded()` writes, with the same errors, for
/// every default mapping of every connector, over the fixtures and over payloads made from the
/// rules' own sources (present, null, of the wrong kind, missing).
@Suite struct FieldMappingTextTests {
    static let connectors: [String: [String: FieldMapping]] = [
        "stripe": StripeConnector.defaultFieldMappings, "shopify": ShopifyConnector.defaultFieldMappings,
        "plaid": PlaidConnector.defaultFieldMappings, "quickbooks": QuickBooksConnector.defaultFieldMappings,
        "xero": XeroConnector.defaultFieldMappings, "salesforce": SalesforceConnector.defaultFieldMappings,
        "hubspot": HubSpotConnector.defaultFieldMappings, "paypal": PayPalConnector.defaultFieldMappings,
    ]

    static func expectSameText(_ mapping: FieldMapping, _ payload: JSONValue, _ comment: Comment) {
        let mapped = mapping.map(payload)
        #expect(mapping.mapText(payload) == MappedText(text: mapped.canonical.encoded(), errors: mapped.errors), comment)
    }

    @Test func theFixturesMapToTheSameText() {
        let fixtures = [("stripe", StripeFixtures.all), ("shopify", ShopifyFixtures.all), ("plaid", PlaidFixtures.all)]
        for (provider, payloads) in fixtures {
            for (entity, payload) in payloads {
                guard let mapping = Self.connectors[provider]?[entity] else { continue }
                Self.expectSameText(mapping, payload, "\(provider) \(entity)")
            }
        }
    }

    @Test func payloadsMadeFromTheRulesMapToTheSameText() {
        var generator = SplitMix64(seed: 22)
        var checked = 0
        for (provider, mappings) in Self.connectors {
            for (entity, mapping) in mappings {
                #expect(CompiledMapping(rules: mapping.rules).pullLayout != nil, "\(provider) \(entity) writes its text directly")
                for round in 0..<40 {
                    let payload = Self.payload(for: mapping.rules, &generator)
                    Self.expectSameText(mapping, payload, "\(provider) \(entity), round \(round): \(payload)")
                    checked += 1
                }
            }
        }
        #expect(checked > 1_000)
    }

    @Test func overlappingTargetsAreWrittenAsTheRulesBuildThem() {
        let mappings = [
            FieldMapping(rules: [.field("address", "address"), .field("address.city", "city")]),
            FieldMapping(rules: [.field("address.city", "city"), .field("address", "address")]),
            FieldMapping(rules: [.field("name", "first"), .field("name", "last")]),
        ]
        for mapping in mappings {
            #expect(CompiledMapping(rules: mapping.rules).pullLayout == nil)
            for payload: JSONValue in [["address": "1 Main St", "city": "Ottawa", "first": "A"], ["address": ["line1": "x"], "last": "B"], [:]] {
                Self.expectSameText(mapping, payload, "\(mapping.rules.map(\.target)) \(payload)")
            }
        }
    }

    /// Keys the writer escapes, keys outside ASCII (where byte order and `<` can differ), and two
    /// keys Swift holds equal (an accent composed and combined): the layout orders and writes them
    /// as the dictionary and the writer do, or steps aside.
    @Test func awkwardTargetKeysAreWrittenAsTheWriterWritesThem() {
        let targets = [#"quo"te"#, #"back\slash"#, "ärger", "zeta", "Zeta", "e\u{301}t", "éa", "ctrl\u{1}", "n.ö", "n.a", "日本"]
        let mapping = FieldMapping(rules: targets.enumerated().map { index, target in .field(target, "s\(index)") })
        var generator = SplitMix64(seed: 7)
        for round in 0..<50 {
            var payload: [String: JSONValue] = [:]
            for index in targets.indices where generator.next() % 3 != 0 { payload["s\(index)"] = Self.scalar(&generator) }
            Self.expectSameText(mapping, .object(payload), "round \(round)")
        }
        let composed = FieldMapping(rules: [.field("é", "a"), .field("e\u{301}", "b")])
        #expect(CompiledMapping(rules: composed.rules).pullLayout == nil, "one key to Swift: the rules' order decides")
        Self.expectSameText(composed, ["a": 1, "b": 2], "composed and combined")
    }

    @Test func nestedTargetsAreWrittenOnlyWithAValue() {
        let mapping = FieldMapping(rules: [.field("b.y", "y"), .field("a", "a"), .field("b.x", "x"), .field("c.d.e", "e")])
        #expect(String(decoding: mapping.mapText(["a": 1]).text, as: UTF8.self) == #"{"a":1}"#)
        #expect(String(decoding: mapping.mapText(["y": .null, "e": "z"]).text, as: UTF8.self) == #"{"b":{"y":null},"c":{"d":{"e":"z"}}}"#)
        #expect(String(decoding: mapping.mapText([:]).text, as: UTF8.self) == "{}")
    }

    // MARK: Payloads

    /// A payload with a value (or none) at each rule's source, elements for rules with `each`.
    static func payload(for rules: [FieldRule], _ generator: inout SplitMix64) -> JSONValue {
        var payload = JSONValue.object([:])
        for rule in rules {
            guard let text = rule.source, let path = FieldPath(text) else { continue }
            let value: JSONValue?
            if let each = rule.each {
                value = generator.next() % 5 == 0 ? .null : .array((0..<Int(generator.next() % 3)).map { _ in Self.payload(for: each, &generator) })
            } else if path.hasWildcard {
                value = .array((0..<Int(generator.next() % 3)).map { _ in scalar(&generator) })
            } else {
                value = generator.next() % 4 == 0 ? nil : scalar(&generator)
            }
            if let value { path.write(value, into: &payload) }
        }
        return payload
    }

    /// A value of some kind: most transforms take one or two kinds, so the others test failures.
    static func scalar(_ generator: inout SplitMix64) -> JSONValue {
        switch generator.next() % 9 {
        case 0: .null
        case 1: .string("Ann \"Q\" Lee")
        case 2: .number(Double(generator.next() % 2_000_000) - 1_000_000)
        case 3: .number(12.5)
        case 4: .bool(generator.next() % 2 == 0)
        case 5: .string("2024-01-15T10:20:30Z")
        case 6: .string("usd")
        case 7: .string("1234.50")
        default: .object(["k": "v"])
        }
    }
}

/// A small seeded generator: the same payloads every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
