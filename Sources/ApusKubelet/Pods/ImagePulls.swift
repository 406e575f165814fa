import ApusCRI
import ApusControllerKit
import ApusMachinery
import Foundation

/// What became of making a container's image available.
enum ImageAvailability {
    /// Present; the reference to create the container from.
    case ready(String)
    /// Not available: why the container waits, and when to look again.
    case waiting(PodWorkerState.Waiting, after: Double)
}

extension Kubelet {
    /// Kubernetes' default pull policy: Always for `:latest` or an untagged image, else IfNotPresent.
    static func pullPolicy(_ container: JSON) -> String {
        if let policy = container["imagePullPolicy"].string, !policy.isEmpty { return policy }
        let image = container["image"].string ?? ""
        if image.contains("@") { return "IfNotPresent" }
        let lastPart = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastPart.lastIndex(of: ":") else { return "Always" }
        return lastPart[lastPart.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    /// Makes the image available as the container's pull policy says, with the kubelet's events
    /// and its back-off after a failed pull (ErrImagePull, then ImagePullBackOff).
    func ensureImage(_ container: JSON, pod: JSON, sandboxConfig: Runtime_V1_PodSandboxConfig) async -> ImageAvailability {
        let image = container["image"].string ?? ""
        let uid = pod["metadata"]["uid"].string ?? ""
        let events = context.events("kubelet")
        let policy = Self.pullPolicy(container)
        // Always pulls without asking the runtime what it has.
        if policy != "Always", let present = try? await runtime.imageStatus(image) {
            await events.record(pod, type: "Normal", reason: "Pulled", message: "Container image \"\(image)\" already present on machine")
            return .ready(present.id)
        }
        if policy == "Never" {
            let message = "Container image \"\(image)\" is not present with pull policy of Never"
            await events.record(pod, type: "Warning", reason: "ErrImageNeverPull", message: message)
            return .waiting(.init(reason: "ErrImageNeverPull", message: message), after: 10)
        }
        let backOffKey = uid + "/" + image
        let now = context.clock.now()
        if let remaining = await state.pullBackOffRemaining(backOffKey, now: now) {
            let message = "Back-off pulling image \"\(image)\""
            await events.record(pod, type: "Normal", reason: "BackOff", message: message)
            await events.record(pod, type: "Warning", reason: "Failed", message: "Error: ImagePullBackOff")
            return .waiting(.init(reason: "ImagePullBackOff", message: message), after: remaining)
        }
        await events.record(pod, type: "Normal", reason: "Pulling", message: "Pulling image \"\(image)\"")
        let started = ContinuousClock.now
        do {
            let reference = try await runtime.pullImage(image, sandboxConfig: sandboxConfig)
            let took = ContinuousClock.now - started
            let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
            await state.pullSucceeded(backOffKey)
            await events.record(pod, type: "Normal", reason: "Pulled",
                                message: "Successfully pulled image \"\(image)\" in \(String(format: "%.3f", seconds))s")
            return .ready(reference)
        } catch {
            let delay = await state.pullFailed(backOffKey, now: now)
            let message = "Failed to pull image \"\(image)\": \(error.message)"
            await events.record(pod, type: "Warning", reason: "Failed", message: message)
            await events.record(pod, type: "Warning", reason: "Failed", message: "Error: ErrImagePull")
            return .waiting(.init(reason: "ErrImagePull", message: message), after: delay)
        }
    }
}
