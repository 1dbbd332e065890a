extension KeyedDecodingContainer {
    /// The value of `key`, nil when the key is absent; an explicit `null` is refused (`valueNotFound`,
    /// which reads "'<field>' must not be null"). For PATCH bodies, where absent means "unchanged"
    /// and a null for a field that cannot be cleared would otherwise be taken silently as absent.
    public func decodeUnlessNull<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "must not be null"))
        }
        return try decode(type, forKey: key)
    }
}
