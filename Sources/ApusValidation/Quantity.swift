import ApusMachinery

/// A Kubernetes `resource.Quantity` ("100m", "1Gi", "2", "1e3", "0.5"), parsed exactly like apimachinery:
/// values are fixed point with nano precision (smaller fractions round up), binary values are capped at
/// 2^63-1, and `description` is the canonical form Kubernetes prints ("1.5Gi" → "1536Mi", "0.5" → "500m").
/// Equality and ordering compare the amounts, not the spelling.
public struct Quantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Format: Sendable, Hashable {
        case decimalSI, binarySI, decimalExponent
    }

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case formatWrong, numeric, suffix

        public var description: String {
            switch self {
            case .formatWrong: return "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            case .numeric: return "unable to parse numeric part of quantity"
            case .suffix: return "unable to parse quantity's suffix"
            }
        }
    }

    public let format: Format
    let negative: Bool
    /// |value| × 10^9.
    let nanos: Natural

    static let nanosPerUnit = Natural(1_000_000_000)
    /// Exponents beyond this are clamped so absurd input ("1e999999999") cannot exhaust memory.
    static let maxDecimalShift = 400
    static let maxSignificantDigits = 100

    public init(parsing text: String) throws(ParseError) {
        self = try Quantity.parse(text)
    }

    public static func parse(_ text: String) throws(ParseError) -> Quantity {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { throw .formatWrong }
        let scanned = try scan(bytes)
        let (base, exponent, format) = try interpretSuffix(scanned.suffix)

        // Digits beyond what can matter are folded away so huge inputs stay cheap: extra integer digits
        // become a power of ten, and a fraction's tail below 10^-18 only needs to say "non-zero".
        var integer = scanned.integer
        var fraction = scanned.fraction
        var extraIntegerDigits = 0
        if integer.count > maxSignificantDigits {
            extraIntegerDigits = integer.count - maxSignificantDigits
            integer.removeLast(extraIntegerDigits)
            fraction = []
        }
        if fraction.count > 18 {
            let tailIsZero = fraction.dropFirst(18).allSatisfy { $0 == 0x30 }
            fraction = Array(fraction.prefix(18)) + (tailIsZero ? [] : [0x31])
        }
        var amount = Natural(decimalDigits: integer + fraction)
        var shift = 9 - fraction.count + extraIntegerDigits
        if base == 10 {
            shift += exponent
        } else {
            amount.multiply(byPowerOfTwo: exponent)
        }
        if shift >= 0 {
            amount.multiply(byPowerOfTen: min(shift, maxDecimalShift))
        } else if -shift > integer.count + fraction.count + 1 {
            // Entirely below one nano: any non-zero amount rounds up to 1n.
            amount = amount.isZero ? Natural() : Natural(1)
        } else {
            amount.divideRoundingUp(byPowerOfTen: -shift)
        }

        var finalFormat = format
        if format == .binarySI {
            let cap = Natural(UInt64(Int64.max))
            var capNanos = cap
            capNanos.multiply(byPowerOfTen: 9)
            if capNanos < amount { amount = capNanos }
            if !amount.isZero && amount < nanosPerUnit { finalFormat = .decimalSI }
        }
        return Quantity(format: finalFormat, negative: scanned.negative && !amount.isZero, nanos: amount)
    }

    private init(format: Format, negative: Bool, nanos: Natural) {
        self.format = format
        self.negative = negative
        self.nanos = nanos
    }

    private struct Scanned {
        var negative = false
        var integer: [UInt8] = []
        var fraction: [UInt8] = []
        var suffix: [UInt8] = []
    }

    /// Splits sign, digits, fraction and suffix the way apimachinery's `parseQuantityString` does.
    private static func scan(_ s: [UInt8]) throws(ParseError) -> Scanned {
        var out = Scanned()
        var pos = 0
        if s[0] == 0x2D { out.negative = true; pos = 1 } else if s[0] == 0x2B { pos = 1 }
        while pos < s.count, s[pos] == 0x30 { pos += 1 }
        if pos == s.count { return out }
        while pos < s.count, CharacterRules.isDigit(s[pos]) { out.integer.append(s[pos]); pos += 1 }
        if pos < s.count, s[pos] == 0x2E {
            pos += 1
            while pos < s.count, CharacterRules.isDigit(s[pos]) { out.fraction.append(s[pos]); pos += 1 }
        }
        let suffixStart = pos
        let suffixLetters: Set<UInt8> = Set("eEinumkKMGTP".utf8)
        while pos < s.count, suffixLetters.contains(s[pos]) { pos += 1 }
        if pos < s.count, s[pos] == 0x2D || s[pos] == 0x2B { pos += 1 }
        while pos < s.count, CharacterRules.isDigit(s[pos]) { pos += 1 }
        if pos < s.count { throw .formatWrong }
        out.suffix = Array(s[suffixStart...])
        return out
    }

    private static let decimalSuffixes: [String: Int] = ["": 0, "n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]
    private static let binarySuffixes: [String: Int] = ["Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60]

    private static func interpretSuffix(_ bytes: [UInt8]) throws(ParseError) -> (base: Int, exponent: Int, format: Format) {
        let suffix = String(decoding: bytes, as: UTF8.self)
        if let exponent = decimalSuffixes[suffix] { return (10, exponent, .decimalSI) }
        if let exponent = binarySuffixes[suffix] { return (2, exponent, .binarySI) }
        if bytes.count > 1, bytes[0] == 0x65 || bytes[0] == 0x45, let exponent = Int64(suffix.dropFirst()) {
            let clamped = Int(max(-Int64(maxDecimalShift), min(Int64(maxDecimalShift), exponent)))
            return (10, clamped, .decimalExponent)
        }
        throw .suffix
    }

    // MARK: Comparison

    public var isZero: Bool { nanos.isZero }
    public var isNegative: Bool { negative }
    /// True when the amount is a whole number (what `MilliValue() % 1000 == 0` checks).
    /// The amount in thousandths (cpu "100m" is 100), rounded up as Kubernetes' MilliValue does,
    /// saturating at Int64's range.
    public var milliValue: Int64 { scaled(droppingDecimalDigits: 6) }

    /// The amount in units ("1Gi" is 1073741824), rounded up, saturating at Int64's range.
    public var value: Int64 { scaled(droppingDecimalDigits: 9) }

    private func scaled(droppingDecimalDigits digits: Int) -> Int64 {
        var amount = nanos
        amount.divideRoundingUp(byPowerOfTen: digits)
        let limbs = amount.limbs
        let magnitude: UInt64? = switch limbs.count {
        case 0: 0
        case 1: UInt64(limbs[0])
        case 2: UInt64(limbs[0]) | UInt64(limbs[1]) << 32
        default: nil
        }
        guard let magnitude, magnitude <= UInt64(Int64.max) else { return negative ? Int64.min : Int64.max }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    public var isInteger: Bool { nanos.remainder(dividingBy: 1_000_000_000) == 0 }

    public static func == (a: Quantity, b: Quantity) -> Bool { a.negative == b.negative && a.nanos == b.nanos }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(negative)
        hasher.combine(nanos)
    }

    public static func < (a: Quantity, b: Quantity) -> Bool {
        switch (a.negative, b.negative) {
        case (true, false): return true
        case (false, true): return false
        case (false, false): return a.nanos < b.nanos
        case (true, true): return b.nanos < a.nanos
        }
    }

    /// -1, 0 or 1, like `Quantity.Cmp`.
    public func compare(_ other: Quantity) -> Int { self < other ? -1 : (self == other ? 0 : 1) }

    // MARK: Canonical form

    public var description: String {
        if nanos.isZero { return "0" }
        let sign = negative ? "-" : ""
        var useFormat = format
        if format == .binarySI {
            var small = Natural(1024)
            small.multiply(byPowerOfTen: 9)
            if nanos < small || !isInteger { useFormat = .decimalSI }
        }
        switch useFormat {
        case .binarySI:
            var units = nanos
            units.divide(by: 1_000_000_000)
            var exponent = 0
            while exponent < 6 && units.remainder(dividingBy: 1024) == 0 {
                units.divide(by: 1024)
                exponent += 1
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exponent]
            return sign + units.decimalString + suffix
        case .decimalSI, .decimalExponent:
            var mantissa = nanos
            var exponent = -9
            while mantissa.remainder(dividingBy: 10) == 0 {
                mantissa.divide(by: 10)
                exponent += 1
            }
            while exponent % 3 != 0 {
                mantissa.multiply(by: 10)
                exponent -= 1
            }
            if useFormat == .decimalSI {
                // Beyond "E" there is no SI suffix; Kubernetes then prints plain digits.
                while exponent > 18 {
                    mantissa.multiply(by: 1000)
                    exponent -= 3
                }
                let suffixes = [-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"]
                return sign + mantissa.decimalString + (suffixes[exponent] ?? "")
            }
            return sign + mantissa.decimalString + (exponent == 0 ? "" : "e\(exponent)")
        }
    }
}

extension Quantity {
    /// A quantity from a JSON value as Kubernetes decodes it: a string (surrounding spaces ignored) or a
    /// number; anything else fails with the format error.
    static func from(_ value: JSON) -> Result<Quantity, ParseError> {
        let text: String
        switch value {
        case .string(let s): text = s.trimmingASCIISpaces()
        case .int(let i): text = String(i)
        case .double(let d) where d.isFinite: text = d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
        default: return .failure(.formatWrong)
        }
        do { return .success(try Quantity.parse(text)) } catch { return .failure(error) }
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
