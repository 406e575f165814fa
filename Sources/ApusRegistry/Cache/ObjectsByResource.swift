/// The watch cache's objects, filed by resource (`/registry/<group>/<resource>/`), so a list, an
/// allocation or an admission lookup of one resource reads only that resource's objects instead of
/// every object in the cluster.
struct ObjectsByResource {
    private var buckets: [String: [String: CachedObject]] = [:]

    subscript(key: String) -> CachedObject? {
        get { buckets[Self.bucket(of: key) ?? ""]?[key] }
        set {
            let bucket = Self.bucket(of: key) ?? ""
            if let newValue {
                buckets[bucket, default: [:]][key] = newValue
            } else {
                buckets[bucket]?.removeValue(forKey: key)
                if buckets[bucket]?.isEmpty == true { buckets.removeValue(forKey: bucket) }
            }
        }
    }

    /// Every object whose key starts with `prefix`, unordered.
    func values(prefix: String) -> [CachedObject] {
        if let bucket = Self.bucket(of: prefix) {
            return (buckets[bucket] ?? [:]).values.filter { $0.key.hasPrefix(prefix) }
        }
        return buckets.values.flatMap { $0.values.filter { $0.key.hasPrefix(prefix) } }
    }

    /// The key up to and including its fourth `/` (`/registry/core/pods/`), nil when it has fewer.
    static func bucket(of key: String) -> String? {
        var slashes = 0
        for index in key.utf8.indices where key.utf8[index] == UInt8(ascii: "/") {
            slashes += 1
            if slashes == 4 { return String(key[...index]) }
        }
        return nil
    }
}
