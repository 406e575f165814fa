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
}
