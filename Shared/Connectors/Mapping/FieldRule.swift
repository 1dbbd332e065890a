/// One canonical field and where it comes from: a provider field path and the transforms its
/// value goes through, in order.
public struct FieldRule: Codable, Sendable, Equatable {
    /// Which way a rule applies. Provider fields the provider computes (ids, totals, times) are
    /// `pull`: reading them is useful, sending them back would be refused.
    public enum Direction: String, Codable, Sendable {
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

    enum CodingKeys: String, CodingKey {
        case target, source, transforms, direction
    }

    public init(target: String, source: String?, transforms: [FieldTransform] = [], direction: Direction = .both) {
        self.target = target
        self.source = source
        self.transforms = transforms
        self.direction = direction
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        target = try container.decode(String.self, forKey: .target)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        transforms = try container.decodeIfPresent([FieldTransform].self, forKey: .transforms) ?? []
        direction = try container.decodeIfPresent(Direction.self, forKey: .direction) ?? .both
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encodeIfPresent(source, forKey: .source)
        if !transforms.isEmpty { try container.encode(transforms, forKey: .transforms) }
        if direction != .both { try container.encode(direction, forKey: .direction) }
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
}
