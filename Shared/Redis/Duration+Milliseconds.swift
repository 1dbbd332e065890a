extension Duration {
    /// Whole milliseconds, rounded down, as Redis's `PX`, `BLOCK` and `IDLE` arguments expect.
    public var wholeMilliseconds: Int {
        let components = self.components
        return Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
