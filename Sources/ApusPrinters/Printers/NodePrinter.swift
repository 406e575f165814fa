import ApusMachinery

/// Nodes: STATUS from the Ready condition (+ SchedulingDisabled), ROLES from node-role labels.
enum NodePrinter {
    static let printer = TablePrinter(
        columns: [
            Columns.name,
            Columns.string("Status", "The status of the node"),
            Columns.string("Roles", "The roles of the node"),
            Columns.age,
            Columns.string("Version", "Kubelet Version reported by the node."),
            Columns.string("Internal-IP", "List of addresses reachable to the node.", priority: 1),
            Columns.string("External-IP", "List of addresses reachable to the node.", priority: 1),
            Columns.string("OS-Image", "OS Image reported by the node from /etc/os-release.", priority: 1),
            Columns.string("Kernel-Version", "Kernel Version reported by the node from 'uname -r'.", priority: 1),
            Columns.string("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API.", priority: 1),
        ],
        cells: { node, now in
            let info = node["status"]["nodeInfo"]
            return [
                .string(Read.name(node)),
                .string(status(node)),
                .string(roles(node)),
                .string(Read.age(node, now: now)),
                .string(Read.string(info, "kubeletVersion")),
                .string(address(node, type: "InternalIP")),
                .string(address(node, type: "ExternalIP")),
                .string(orUnknown(Read.string(info, "osImage"))),
                .string(orUnknown(Read.string(info, "kernelVersion"))),
                .string(orUnknown(Read.string(info, "containerRuntimeVersion"))),
            ]
        })

    static func status(_ node: JSON) -> String {
        var parts: [String] = []
        // Kubernetes keeps the last condition of a type, so a duplicated Ready condition uses the final one.
        if let ready = Read.array(node, "status", "conditions").last(where: { Read.string($0, "type") == "Ready" }) {
            parts.append(Read.string(ready, "status") == "True" ? "Ready" : "NotReady")
        } else {
            parts.append("Unknown")
        }
        if Read.bool(node, "spec", "unschedulable") { parts.append("SchedulingDisabled") }
        return parts.joined(separator: ",")
    }

    /// Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` label value.
    static func roles(_ node: JSON) -> String {
        var roles = Set<String>()
        let prefix = "node-role.kubernetes.io/"
        for (key, value) in Read.stringMap(node, "metadata", "labels") {
            if key.hasPrefix(prefix) {
                let role = String(key.dropFirst(prefix.count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role", !value.isEmpty {
                roles.insert(value)
            }
        }
        return roles.isEmpty ? "<none>" : roles.sorted().joined(separator: ",")
    }

    private static func address(_ node: JSON, type: String) -> String {
        let match = Read.array(node, "status", "addresses").first { Read.string($0, "type") == type }
        return match.map { Read.string($0, "address") } ?? "<none>"
    }

    private static func orUnknown(_ text: String) -> String { text.isEmpty ? "<unknown>" : text }
}
