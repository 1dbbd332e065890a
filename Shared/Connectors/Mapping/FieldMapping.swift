import HubCore

/// How one entity's provider payloads become canonical fields and back: the connector's default
/// for the entity, possibly with an organization's override over it (`overriding(with:)`).
///
/// Stored and exchanged as `{"rules": [{"target": "amount", "source": "amount_due",
/// "transforms": [{"type": "minor_to_decimal", "exponent": 2}]}, …]}`. Paths follow `FieldPath`
/// (`address.city`, `lines.data[0].amount`, `items[].sku`); transforms are `FieldTransform`s,
/// applied in order. Checked by `validate(entity:)` when submitted, so sync time never meets a
/// broken mapping; `map` still copes with one and reports it per record.
///
/// An array of objects is mapped element by element by a rule with `each` (`FieldRule.each`):
/// `{"target": "lines", "source": "Line", "skip": {"source": "DetailType", "values":
/// ["SubTotalLineDetail"]}, "each": [{"target": "amount", "source": "Amount", "transforms":
/// [{"type": "decimal_to_minor", "currency_path": "CurrencyRef.value"}]}, …]}`. Element rules
/// read and write inside one element (their money steps find the currency in the whole record),
/// have their own `direction`, and are validated against the canonical shape of the elements
/// (`CanonicalSchema.elements(of:field:)`, e.g. document lines), with places such as
/// `rules[5].each[2].transforms[0].type`. `skip` leaves provider elements out of `map`. A rule
/// with `each` has no transforms of its own and its elements no `each` of theirs; mappings stored
/// without `each` read as before.
public struct FieldMapping: Codable, Sendable, Equatable {
    public var rules: [FieldRule] {
        didSet { compiled = CompiledMapping(rules: rules) }
    }

    /// Built whenever the rules change, so each record costs no parsing.
    private var compiled: CompiledMapping

    enum CodingKeys: String, CodingKey {
        case rules
    }

    public init(rules: [FieldRule]) {
        self.rules = rules
        compiled = CompiledMapping(rules: rules)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rules: try container.decode([FieldRule].self, forKey: .rules))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rules, forKey: .rules)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rules == rhs.rules
    }

    /// Provider payload → canonical object (`JSONValue.object`). Never throws: a field whose value
    /// fails a transform is left out and explained in `errors`. A missing source leaves the field
    /// out; a null one maps to null.
    public func map(_ payload: JSONValue) -> MappedRecord {
        compiled.map(payload)
    }

    /// `map(payload)` as the canonical object's JSON text (keys sorted), written without building
    /// the object: what the sync engine stores for every pulled record.
    public func mapText(_ payload: JSONValue) -> MappedText {
        compiled.mapText(payload)
    }

    /// Canonical object → provider fields for a push: the rules that push (`both`, `push`) and
    /// whose transforms can be undone, each value written at its source path (nested paths make
    /// nested objects, `items[].sku` an array of objects). Canonical fields absent from
    /// `canonical` are left out, so a partial update sends only what it names. Money steps read
    /// the currency in `record` (the whole stored record, when `canonical` is only the fields an
    /// update changes), else in `canonical`.
    public func unmap(_ canonical: JSONValue, record: JSONValue? = nil) -> JSONValue {
        compiled.unmap(canonical, record: record ?? canonical)
    }

    /// This mapping with an organization's override over it: an override rule replaces the rule
    /// with the same target (in its place), other override rules are appended.
    public func overriding(with override: FieldMapping) -> FieldMapping {
        merge(override).mapping
    }

    /// For each rule of `overriding(with:)`: the index of the override rule it is, or nil for
    /// one of this mapping's, so a problem found in the merge can name the rule the caller wrote.
    public func origins(overriddenBy override: FieldMapping) -> [Int?] {
        merge(override).origins
    }

    private func merge(_ override: FieldMapping) -> (mapping: FieldMapping, origins: [Int?]) {
        var merged = rules
        var origins = [Int?](repeating: nil, count: rules.count)
        var positions: [String: Int] = [:]
        for (index, rule) in merged.enumerated() where positions[rule.target] == nil { positions[rule.target] = index }
        for (overrideIndex, rule) in override.rules.enumerated() {
            if let index = positions[rule.target] {
                merged[index] = rule
                origins[index] = overrideIndex
            } else {
                positions[rule.target] = merged.count
                merged.append(rule)
                origins.append(overrideIndex)
            }
        }
        return (FieldMapping(rules: merged), origins)
    }
}
