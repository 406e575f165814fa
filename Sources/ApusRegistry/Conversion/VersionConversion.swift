import ApusMachinery

/// A resource served at one version and stored at another (events.k8s.io/v1 Events are core/v1
/// Events, autoscaling/v1 HPAs are stored as autoscaling/v2): the store converts requests into the
/// storage version and answers in the served one, so every version sees the same objects.
public protocol VersionConversion: Sendable {
    /// The definition the objects are stored under; its strategy validates them.
    var storage: ResourceDefinition { get }
    /// A served-version object (kind and apiVersion already checked) in the storage version.
    func toStorage(_ object: JSON) throws(APIError) -> JSON
    /// A stored object in the served version.
    func fromStorage(_ object: JSON) -> JSON
}

extension VersionConversion {
    /// Serialized stored bytes as the served version's bytes (unreadable bytes pass through).
    func servedBytes(_ stored: [UInt8]) -> [UInt8] {
        guard let object = try? JSON.parse(stored) else { return stored }
        return fromStorage(object).serialized()
    }
}

extension CachedObject {
    /// The same object in the version `def` serves, when that is not the stored one.
    func served(by def: ResourceDefinition) -> CachedObject {
        guard let conversion = def.conversion else { return self }
        return CachedObject(key: key, bytes: conversion.servedBytes(bytes), revision: revision, namespace: namespace, name: name,
                            labelPairs: labelPairs, fieldNames: fieldNames, fieldValues: fieldValues)
    }
}

/// Moves members between two spellings of the same field.
func renamed(_ object: JSON, _ pairs: [(from: String, to: String)]) -> JSON {
    var result = object
    for (from, to) in pairs {
        let value = object[from]
        result[from] = .null
        result[to] = value
    }
    return result
}
