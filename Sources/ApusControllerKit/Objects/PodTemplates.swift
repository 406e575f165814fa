import ApusMachinery

/// Pods made from a controller's pod template, as every workload controller makes them.
public enum PodTemplates {
    /// A pod for `template` (spec.template of a ReplicaSet, Job, DaemonSet …) in `namespace`,
    /// controlled by `owner`. Give `name` for a fixed name (StatefulSet), otherwise the pod gets
    /// `generateName` (`<owner>-`), as Kubernetes names ReplicaSet pods.
    public static func pod(from template: JSON, namespace: String, owner: JSON, ownerAPIVersion: String, ownerKind: String,
                           name: String? = nil, extraLabels: [String: String] = [:]) -> JSON {
        var metadata = JSON.emptyObject
        var labels = template["metadata"]["labels"].object ?? [:]
        for (key, value) in extraLabels { labels[key] = .string(value) }
        if !labels.isEmpty { metadata["labels"] = .object(labels) }
        if let annotations = template["metadata"]["annotations"].object, !annotations.isEmpty {
            metadata["annotations"] = .object(annotations)
        }
        if let finalizers = template["metadata"]["finalizers"].array, !finalizers.isEmpty { metadata["finalizers"] = .array(finalizers) }
        metadata["namespace"] = .string(namespace)
        if let name {
            metadata["name"] = .string(name)
        } else {
            metadata["generateName"] = .string(generateNamePrefix(for: owner["metadata"]["name"].string ?? "pod"))
        }
        metadata["ownerReferences"] = [OwnerReferences.controllerReference(to: owner, apiVersion: ownerAPIVersion, kind: ownerKind)]
        return ["apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template["spec"]]
    }

    /// `<name>-`, with the name cut so the generated name (5 random characters added) stays within
    /// 63 characters, as Kubernetes' name generator does.
    public static func generateNamePrefix(for ownerName: String) -> String {
        let prefix = ownerName + "-"
        return prefix.count > 58 ? String(prefix.prefix(58)) : prefix
    }
}
