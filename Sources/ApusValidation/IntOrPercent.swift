import ApusMachinery

/// `intstr.IntOrString` values used as counts or percentages (rolling-update budgets, PDBs).
enum IntOrPercent {
    static func positiveIntOrPercent(_ value: JSON, _ path: FieldPath) -> [FieldError] {
        if let text = value.string {
            return NameValidation.isValidPercent(text).map { .invalid(path, rendered: GoSyntax.intOrString(value), $0) }
        }
        if let number = value.int, number < 0 { return [.invalid(path, int: number, Messages.isNegative)] }
        return []
    }

    /// The percentage of a well-formed percent string.
    static func percent(_ value: JSON) -> Int64? {
        guard let text = value.string, CharacterRules.isPercent(text) else { return nil }
        return Int64(text.dropLast()) ?? Int64.max
    }

    /// `getIntOrPercentValue`: the percentage, the number, or what `Atoi` makes of another string (0).
    static func value(_ value: JSON) -> Int64 {
        if let p = percent(value) { return p }
        if let text = value.string { return Int64(text) ?? 0 }
        return value.int ?? 0
    }

    static func notMoreThan100Percent(_ value: JSON, _ path: FieldPath) -> [FieldError] {
        guard let p = percent(value), p > 100 else { return [] }
        return [.invalid(path, rendered: GoSyntax.intOrString(value), "must not be greater than 100%")]
    }
}
