import ApusControllerKit
import ApusMachinery

/// The pods a Job creates from spec.template: its labels and annotations, the tracking finalizer,
/// a controller reference, `generateName: <job>-`; Indexed Jobs add the completion index as an
/// annotation and a label, `JOB_COMPLETION_INDEX` in every container, hostname `<job>-<index>` and
/// `generateName: <job>-<index>-`.
enum JobPodTemplate {
    /// Kubernetes' limit for a generateName prefix (63 less the 5 random characters).
    private static let maxGeneratedNameLength = 58

    static func pod(for job: JSON, index: Int?) -> JSON {
        let namespace = job["metadata"]["namespace"].string ?? ""
        let jobName = job["metadata"]["name"].string ?? ""
        var template = job["spec"]["template"]
        if index != nil { template = withCompletionIndexEnv(template) }
        var pod = PodTemplates.pod(from: template, namespace: namespace, owner: job, ownerAPIVersion: "batch/v1", ownerKind: "Job")
        var finalizers = pod["metadata"]["finalizers"].array ?? []
        if !finalizers.contains(where: { $0.string == BatchJobFields.trackingFinalizer }) {
            finalizers.append(.string(BatchJobFields.trackingFinalizer))
        }
        pod[path: ["metadata", "finalizers"]] = .array(finalizers)
        if let index {
            pod[path: ["metadata", "annotations", BatchJobFields.completionIndexKey]] = .string(String(index))
            pod[path: ["metadata", "labels", BatchJobFields.completionIndexKey]] = .string(String(index))
            pod[path: ["spec", "hostname"]] = .string("\(jobName)-\(index)")
            pod[path: ["metadata", "generateName"]] = .string(generateName(jobName: jobName, index: index))
        }
        return pod
    }

    /// `<job>-<index>-`, with the job name cut so the prefix stays within 58 characters.
    static func generateName(jobName: String, index: Int) -> String {
        let suffix = "-\(index)-"
        let prefix = jobName + suffix
        guard prefix.utf8.count > maxGeneratedNameLength else { return prefix }
        return String(decoding: jobName.utf8.prefix(maxGeneratedNameLength - suffix.utf8.count), as: UTF8.self) + suffix
    }

    /// Adds `JOB_COMPLETION_INDEX` (from the index label) to every container that lacks it.
    private static func withCompletionIndexEnv(_ template: JSON) -> JSON {
        var template = template
        let variable: JSON = ["name": .string(BatchJobFields.completionIndexEnv),
                              "valueFrom": ["fieldRef": ["fieldPath": .string("metadata.labels['\(BatchJobFields.completionIndexKey)']")]]]
        for list in ["initContainers", "containers"] {
            guard let containers = template["spec"][list].array else { continue }
            template[path: ["spec", list]] = .array(containers.map { container in
                var env = container["env"].array ?? []
                if env.contains(where: { $0["name"].string == BatchJobFields.completionIndexEnv }) { return container }
                env.append(variable)
                var container = container
                container["env"] = .array(env)
                return container
            })
        }
        return template
    }
}
