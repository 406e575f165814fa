import ApusMachinery
import ApusValidation

/// The hashes controllers name their replica sets and revisions by, as Kubernetes computes them
/// (FNV over the object's bytes, the collision count appended, the number encoded without vowels).
public enum TemplateHashing {
    public static let offset: UInt32 = 2_166_136_261
    static let prime: UInt32 = 16_777_619

    /// FNV-1a, 32 bit; `seed` continues an earlier hash.
    public static func fnv1a32(_ bytes: some Sequence<UInt8>, seed: UInt32 = offset) -> UInt32 {
        var hash = seed
        for byte in bytes {
            hash ^= UInt32(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// FNV-1, 32 bit; `seed` continues an earlier hash.
    public static func fnv1_32(_ bytes: some Sequence<UInt8>, seed: UInt32 = offset) -> UInt32 {
        var hash = seed
        for byte in bytes {
            hash = hash &* prime
            hash ^= UInt32(byte)
        }
        return hash
    }

    /// controller.ComputeHash: FNV-1a over `bytes`, then the collision count as four little-endian
    /// bytes padded to eight, safe-encoded.
    public static func computeHash(_ bytes: [UInt8], collisionCount: Int64?) -> String {
        var hash = fnv1a32(bytes)
        if let collisionCount {
            let count = UInt32(truncatingIfNeeded: collisionCount)
            hash = fnv1a32((0..<4).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) } + [0, 0, 0, 0], seed: hash)
        }
        return safeEncode(String(hash))
    }

    /// rand.SafeEncodeString: each character becomes one of 27 consonants and digits, so hashes
    /// never spell words.
    public static func safeEncode(_ text: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// The form template hashes and comparisons use. Kubernetes hashes and compares typed objects;
    /// untyped trees differ in what they leave out (`creationTimestamp: null`, `resources: {}` after
    /// a kubectl round trip), so nulls, empty strings, maps and lists are dropped, integral numbers
    /// become integers and resource quantities take their canonical form.
    public static func canonical(_ value: JSON) -> JSON {
        normalize(value, key: "")
    }

    private static let quantityMaps: Set<String> = ["limits", "requests", "overhead"]

    private static func normalize(_ value: JSON, key: String) -> JSON {
        switch value {
        case .object(let members):
            var out: JSONObject = [:]
            for (name, child) in members {
                var normalized = normalize(child, key: name)
                if quantityMaps.contains(key), let text = normalized.string ?? normalized.int.map(String.init),
                   let quantity = try? Quantity.parse(text) {
                    normalized = .string(quantity.description)
                }
                if !isVoid(normalized) { out[name] = normalized }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { normalize($0, key: "") })
        case .double(let number) where number.rounded() == number && abs(number) < 9.2e18:
            return .int(Int64(number))
        default:
            return value
        }
    }

    private static func isVoid(_ value: JSON) -> Bool {
        switch value {
        case .null: true
        case .string(let text): text.isEmpty
        case .object(let members): members.isEmpty
        case .array(let items): items.isEmpty
        default: false
        }
    }
}
