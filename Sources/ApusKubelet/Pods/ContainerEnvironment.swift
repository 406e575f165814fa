import ApusMachinery
import ApusValidation
import Foundation

/// A container's environment as the kubelet computes it: `envFrom` sources first, then `env` in
/// order, each value expanded against the variables before it; fieldRef, resourceFieldRef,
/// configMapKeyRef and secretKeyRef resolved from the pod, the node and the cluster.
struct ContainerEnvironment {
    /// Config maps and secrets by `namespace/name`, as the kubelet's caches hold them.
    var configMap: (String) async -> JSON?
    var secret: (String) async -> JSON?
    /// The node's allocatable, the default of a resourceFieldRef to a limit that is not set.
    var nodeAllocatable: JSON

    struct Failure: Error, Equatable {
        /// Kubernetes' reason for the container's waiting state.
        var reason = "CreateContainerConfigError"
        var message: String
    }

    func resolve(_ container: JSON, pod: JSON) async throws(Failure) -> [(String, String)] {
        let namespace = pod["metadata"]["namespace"].string ?? "default"
        var ordered: [(String, String)] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values[name] == nil { ordered.append((name, value)) } else if let index = ordered.firstIndex(where: { $0.0 == name }) { ordered[index].1 = value }
            values[name] = value
        }
        for source in container["envFrom"].array ?? [] {
            let prefix = source["prefix"].string ?? ""
            if !source["configMapRef"].isNull {
                let ref = source["configMapRef"]
                let name = ref["name"].string ?? ""
                guard let map = await configMap(namespace + "/" + name) else {
                    if ref["optional"].bool == true { continue }
                    throw Failure(message: "configmap \"\(name)\" not found")
                }
                for (key, value) in map["data"].object ?? [:] { set(prefix + key, value.string ?? "") }
            } else if !source["secretRef"].isNull {
                let ref = source["secretRef"]
                let name = ref["name"].string ?? ""
                guard let secret = await secret(namespace + "/" + name) else {
                    if ref["optional"].bool == true { continue }
                    throw Failure(message: "secret \"\(name)\" not found")
                }
                for (key, value) in secret["data"].object ?? [:] { set(prefix + key, Self.decodeSecret(value.string ?? "")) }
            }
        }
        for entry in container["env"].array ?? [] {
            let name = entry["name"].string ?? ""
            if let value = entry["value"].string {
                set(name, VariableExpansion.expand(value, values))
                continue
            }
            let source = entry["valueFrom"]
            if source.isNull {
                set(name, "")
            } else if !source["fieldRef"].isNull {
                set(name, try Self.field(source["fieldRef"]["fieldPath"].string ?? "", of: pod))
            } else if !source["resourceFieldRef"].isNull {
                set(name, try resourceField(source["resourceFieldRef"], container: container, pod: pod))
            } else if !source["configMapKeyRef"].isNull {
                let ref = source["configMapKeyRef"]
                let mapName = ref["name"].string ?? "", key = ref["key"].string ?? ""
                guard let map = await configMap(namespace + "/" + mapName) else {
                    if ref["optional"].bool == true { continue }
                    throw Failure(message: "configmap \"\(mapName)\" not found")
                }
                guard let value = map["data"][key].string else {
                    if ref["optional"].bool == true { continue }
                    throw Failure(message: "couldn't find key \(key) in ConfigMap \(namespace)/\(mapName)")
                }
                set(name, value)
            } else if !source["secretKeyRef"].isNull {
                let ref = source["secretKeyRef"]
                let secretName = ref["name"].string ?? "", key = ref["key"].string ?? ""
                guard let secret = await secret(namespace + "/" + secretName) else {
                    if ref["optional"].bool == true { continue }
                    throw Failure(message: "secret \"\(secretName)\" not found")
                }
                guard let value = secret["data"][key].string else {
                    if ref["optional"].bool == true { continue }
                    throw Failure(message: "couldn't find key \(key) in Secret \(namespace)/\(secretName)")
                }
                set(name, Self.decodeSecret(value))
            }
        }
        return ordered
    }

    /// The downward API's pod fields.
    static func field(_ path: String, of pod: JSON) throws(Failure) -> String {
        let metadata = pod["metadata"]
        switch path {
        case "metadata.name": return metadata["name"].string ?? ""
        case "metadata.namespace": return metadata["namespace"].string ?? ""
        case "metadata.uid": return metadata["uid"].string ?? ""
        case "spec.nodeName": return pod["spec"]["nodeName"].string ?? ""
        case "spec.serviceAccountName": return pod["spec"]["serviceAccountName"].string ?? ""
        case "status.hostIP": return pod["status"]["hostIP"].string ?? ""
        case "status.podIP": return pod["status"]["podIP"].string ?? ""
        case "status.hostIPs": return (pod["status"]["hostIPs"].array ?? []).compactMap { $0["ip"].string }.joined(separator: ",")
        case "status.podIPs": return (pod["status"]["podIPs"].array ?? []).compactMap { $0["ip"].string }.joined(separator: ",")
        case "metadata.labels": return formatMap(metadata["labels"])
        case "metadata.annotations": return formatMap(metadata["annotations"])
        default:
            for (prefix, map) in [("metadata.labels['", "labels"), ("metadata.annotations['", "annotations")] where path.hasPrefix(prefix) && path.hasSuffix("']") {
                let key = String(path.dropFirst(prefix.count).dropLast(2))
                return metadata[map][key].string ?? ""
            }
            throw Failure(message: "unsupported fieldPath: \(path)")
        }
    }

    /// `key="value"` lines, sorted, as the downward API writes labels and annotations.
    static func formatMap(_ map: JSON) -> String {
        (map.object ?? [:]).map { "\($0.key)=\"\($0.value.string ?? "")\"" }.sorted().joined(separator: "\n")
    }

    /// A container's request or limit, divided by the divisor and rounded up; a limit that is not
    /// set is the node's allocatable.
    func resourceField(_ ref: JSON, container: JSON, pod: JSON) throws(Failure) -> String {
        let resource = ref["resource"].string ?? ""
        var target = container
        if let name = ref["containerName"].string, !name.isEmpty {
            let all = (pod["spec"]["containers"].array ?? []) + (pod["spec"]["initContainers"].array ?? [])
            guard let named = all.first(where: { $0["name"].string == name }) else { throw Failure(message: "container \(name) not found") }
            target = named
        }
        let parts = resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0] == "limits" || parts[0] == "requests" else { throw Failure(message: "unsupported container resource: \(resource)") }
        var text = target["resources"][parts[0]][parts[1]].string
        if text == nil && parts[0] == "requests" { text = target["resources"]["limits"][parts[1]].string }
        if text == nil && parts[0] == "limits" { text = nodeAllocatable[parts[1]].string }
        let divisorText = ref["divisor"].string ?? "1"
        guard let quantity = try? Quantity.parse(text ?? "0"), let divisor = try? Quantity.parse(divisorText), !divisor.isZero else {
            throw Failure(message: "invalid quantity for \(resource)")
        }
        // Kubernetes rounds up: a 250m CPU limit is "1" with the default divisor.
        let value = quantity.milliValue, per = divisor.milliValue
        guard per > 0 else { return "0" }
        return String((value + per - 1) / per)
    }

    static func decodeSecret(_ base64: String) -> String {
        guard let bytes = Data(base64Encoded: base64) else { return "" }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Kubernetes' `$(VAR)` expansion in command, args and env values: a defined variable is replaced,
/// `$$` is a literal `$`, anything else is kept as written.
enum VariableExpansion {
    static func expand(_ text: String, _ values: [String: String]) -> String {
        guard text.contains("$") else { return text }
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "$", i + 1 < chars.count {
                if chars[i + 1] == "$" {
                    out.append("$")
                    i += 2
                    continue
                }
                if chars[i + 1] == "(", let close = chars[(i + 2)...].firstIndex(of: ")") {
                    let name = String(chars[(i + 2)..<close])
                    if let value = values[name] {
                        out += value
                    } else {
                        out += "$(" + name + ")"
                    }
                    i = close + 1
                    continue
                }
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}
