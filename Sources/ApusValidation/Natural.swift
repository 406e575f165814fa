/// A small arbitrary-precision unsigned integer, just enough for exact quantity arithmetic
/// (values are counted in nano-units, which overflow 64 bits for large exponents).
struct Natural: Sendable, Hashable, Comparable {
    /// Little-endian base-2^32 limbs without trailing zero limbs; empty means zero.
    private(set) var limbs: [UInt32]

    init(_ value: UInt64 = 0) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    /// Parses ASCII decimal digits (the caller guarantees only digits).
    init(decimalDigits: some Sequence<UInt8>) {
        self.init()
        for d in decimalDigits { multiply(by: 10, adding: UInt32(d - 0x30)) }
    }

    var isZero: Bool { limbs.isEmpty }

    private mutating func trim() { while limbs.last == 0 { limbs.removeLast() } }

    mutating func multiply(by factor: UInt32, adding addend: UInt32 = 0) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
        trim()
    }

    /// Divides in place and returns the remainder.
    @discardableResult
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    func remainder(dividingBy divisor: UInt32) -> UInt32 {
        var copy = self
        return copy.divide(by: divisor)
    }

    mutating func multiply(byPowerOfTen exponent: Int) {
        var left = exponent
        while left >= 9 { multiply(by: 1_000_000_000); left -= 9 }
        if left > 0 {
            var factor: UInt32 = 1
            for _ in 0..<left { factor *= 10 }
            multiply(by: factor)
        }
    }

    mutating func multiply(byPowerOfTwo exponent: Int) {
        var left = exponent
        while left >= 31 { multiply(by: 1 << 31); left -= 31 }
        if left > 0 { multiply(by: UInt32(1) << UInt32(left)) }
    }

    /// Divides by 10^exponent, rounding any remainder up (away from zero).
    mutating func divideRoundingUp(byPowerOfTen exponent: Int) {
        var inexact = false
        var left = exponent
        while left > 0 && !isZero {
            let step = min(left, 9)
            var divisor: UInt32 = 1
            for _ in 0..<step { divisor *= 10 }
            if divide(by: divisor) != 0 { inexact = true }
            left -= step
        }
        if inexact { multiply(by: 1, adding: 1) }
    }

    var decimalString: String {
        if isZero { return "0" }
        var chunks: [UInt32] = []
        var copy = self
        while !copy.isZero { chunks.append(copy.divide(by: 1_000_000_000)) }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }

    static func < (a: Natural, b: Natural) -> Bool {
        if a.limbs.count != b.limbs.count { return a.limbs.count < b.limbs.count }
        for i in a.limbs.indices.reversed() where a.limbs[i] != b.limbs[i] { return a.limbs[i] < b.limbs[i] }
        return false
    }
}
