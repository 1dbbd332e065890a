import HubCore

/// One canonical field and where it comes from: a provider field path and the transforms its
/// value goes through, in order.
public struct FieldRule: Codable, Sendable, Equatable {
    /// Which way a rule applies. Provider fields the provider computes (ids, totals, times) are
    /// `pull`: reading them is useful, sending them back would be refused.
    public enum Direction: String, Codable, Sendable, CaseIterable, APIEnumeration {
        /// `map` and `unmap`.
        case both
        /// `map` only.
        case pull
        /// `unmap` only.
        case push
    }

    /// The canonical field (`amount`), or a key inside a canonical object field (`address.city`).
    public var target: String
    /// The provider field path (see `FieldPath` for the syntax); nil when a `constant` or
    /// `default` supplies the value.
    public var source: String?
    public var transforms: [FieldTransform]
    public var direction: Direction
    /// Rules of their own for each element of an array of objects: the rule reads the array at
    /// `source` and maps every element with these (targets are keys of the canonical element,
    /// sources paths inside the provider's element); `unmap` undoes them element by element. Their
    /// money steps find the currency in the whole record, not the element. Nil for an ordinary rule.
    public var each: [FieldRule]?
    /// With `each`: the provider's elements `map` leaves out (QuickBooks' sub-total lines).
    public var skip: ElementFilter?

    /// Elements whose value at `source` (a path inside the element) is one of `values`.
    public struct ElementFilter: Codable, Sendable, Equatable {
        public var source: String
        public var values: [JSONValue]

        public init(source: String, values: [JSONValue]) {
            self.source = source
            self.values = values
        }
    }

    enum CodingKeys: String, CodingKey {
        case target, source, transforms, direction, each, skip
    }

    public init(
        target: String,
        source: String?,
        transforms: [FieldTransform] = [],
        direction: Direction = .both,
        each: [FieldRule]? = nil,
        skip: ElementFilter? = nil
    ) {
        self.target = target
        self.source = source
        self.transforms = transforms
        self.direction = direction
        self.each = each
        self.skip = skip
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        target = try container.decode(String.self, forKey: .target)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        transforms = try container.decodeIfPresent([FieldTransform].self, forKey: .transforms) ?? []
        direction = try container.decodeIfPresent(Direction.self, forKey: .direction) ?? .both
        each = try container.decodeIfPresent([FieldRule].self, forKey: .each)
        skip = try container.decodeIfPresent(ElementFilter.self, forKey: .skip)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encodeIfPresent(source, forKey: .source)
        if !transforms.isEmpty { try container.encode(transforms, forKey: .transforms) }
        if direction != .both { try container.encode(direction, forKey: .direction) }
        try container.encodeIfPresent(each, forKey: .each)
        try container.encodeIfPresent(skip, forKey: .skip)
    }
}

extension FieldRule {
    /// `target ← source`, pulled and pushed.
    public static func field(_ target: String, _ source: String, _ transforms: FieldTransform...) -> FieldRule {
        FieldRule(target: target, source: source, transforms: transforms)
    }

    /// `target ← source`, pulled only: the provider computes it.
    public static func readOnly(_ target: String, _ source: String, _ transforms: FieldTransform...) -> FieldRule {
        FieldRule(target: target, source: source, transforms: transforms, direction: .pull)
    }

    /// `target ← source`, an array of objects mapped element by element with `rules`.
    /// `skip` leaves out the provider's elements whose `skip.source` is one of `skip.values`.
    public static func elements(
        _ target: String,
        _ source: String,
        direction: Direction = .both,
        skip: ElementFilter? = nil,
        _ rules: [FieldRule]
    ) -> FieldRule {
        FieldRule(target: target, source: source, direction: direction, each: rules, skip: skip)
    }
}
