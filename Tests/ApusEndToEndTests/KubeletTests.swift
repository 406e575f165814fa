import Foundation
import Testing

/// The server's own node: a kubelet on a real containerd and runc, driven by the real kubectl.
/// Serialized: the node's pod bridge and addresses are the host's, one agent at a time.
@Suite(.serialized)
struct KubeletTests {
    @Test func podsRunRestartAndGoAway() async throws {
        let apus = try await ApusProcess(withAgent: true)
        do {
            try await podLifecycle(apus)
        } catch {
            Issue.record("server log tail: \(apus.serverLog().suffix(4000))")
            await apus.stopDeletingPods()
            throw error
        }
        await apus.stopDeletingPods()
    }

    /// A server stopped with SIGTERM while pods run exits in time, and the next one adopts its
    /// containers: same container, no restart.
    @Test func restartedAgentAdoptsRunningContainers() async throws {
        let apus = try await ApusProcess(withAgent: true)
        do {
            _ = try await apus.kubectl(["run", "sleeper", "--image=busybox", "--image-pull-policy=IfNotPresent", "--", "sleep", "100000"])
            let running = "jsonpath={.status.phase} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].containerID}"
            try await apus.eventually("pod sleeper Running", timeout: 90) {
                try await apus.kubectl(["get", "pod", "sleeper", "-o", running]).stdout.hasPrefix("Running 0 containerd://")
            }
            let before = try await apus.kubectl(["get", "pod", "sleeper", "-o", running]).stdout
            try await apus.restartGracefully()
            // The new kubelet has synced the pod once its node heartbeats again.
            try await apus.eventually("the node is Ready again", timeout: 60) {
                try await apus.kubectl(["get", "nodes", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}"]).stdout == "True"
            }
            try await Task.sleep(for: .seconds(3))
            #expect(try await apus.kubectl(["get", "pod", "sleeper", "-o", running]).stdout == before)
        } catch {
            Issue.record("server log tail: \(apus.serverLog().suffix(4000))")
            await apus.stopDeletingPods()
            throw error
        }
        await apus.stopDeletingPods()
    }

    private func podLifecycle(_ apus: ApusProcess) async throws {
        try await apus.eventually("the node is Ready with a pod CIDR", timeout: 90) {
            let out = try await apus.kubectl(["get", "nodes", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status} {.items[0].spec.podCIDR} {.items[0].metadata.labels}"])
            return out.stdout.hasPrefix("True 10.42.") && out.stdout.contains("node-role.kubernetes.io/control-plane")
        }
        let manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          terminationGracePeriodSeconds: 3
          containers:
          - name: httpd
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "mkdir -p /www && echo hello from $(POD_NAME) on $(NODE) > /www/index.html && exec httpd -f -p 8080 -h /www"]
            env:
            - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
        """
        _ = try await apus.kubectl(["apply", "-f", "-"], stdin: manifest)
        try await apus.eventually("pod web Running and Ready with an IP") {
            let out = try await apus.kubectl(["get", "pod", "web", "-o", "jsonpath={.status.phase} {.status.conditions[?(@.type==\"Ready\")].status} {.status.podIP}"])
            return out.stdout.hasPrefix("Running True 10.42.")
        }
        let ip = try await apus.kubectl(["get", "pod", "web", "-o", "jsonpath={.status.podIP}"]).stdout
        let node = try await apus.kubectl(["get", "nodes", "-o", "jsonpath={.items[0].metadata.name}"]).stdout
        // The pod answers on its own address, from the host over the node's bridge (once httpd
        // listens: without a readiness probe, Ready means only that the container runs).
        try await apus.eventually("the pod answers HTTP on \(ip)", timeout: 30) {
            let page = try ApusProcess.run("/usr/bin/curl", ["-s", "--max-time", "5", "http://\(ip):8080/"], stdin: nil, timeout: 10)
            return page.stdout == "hello from web on \(node)\n"
        }
        let status = try await apus.kubectl(["get", "pod", "web", "-o", "jsonpath={.status.containerStatuses[0].containerID} {.status.containerStatuses[0].imageID} {.status.qosClass} {.status.hostIP}"]).stdout
        #expect(status.hasPrefix("containerd://"))
        #expect(status.contains("BestEffort"))
        let events = try await apus.kubectl(["get", "events", "--field-selector", "involvedObject.name=web", "-o", "jsonpath={.items[*].reason}"]).stdout
        for reason in ["Scheduled", "Pulled", "Created", "Started"] { #expect(events.contains(reason), "events: \(events)") }

        // Killing the container's main process (from the host: SIGKILL) makes the kubelet restart it.
        let pids = try ApusProcess.run("/usr/bin/pgrep", ["-f", "^httpd -f -p 8080"], stdin: nil, timeout: 10).stdout
        for pid in pids.split(separator: "\n") { kill(pid_t(pid) ?? 0, SIGKILL) }
        try await apus.eventually("RESTARTS counts up and the pod is Running again") {
            let out = try await apus.kubectl(["get", "pod", "web", "-o", "jsonpath={.status.containerStatuses[0].restartCount} {.status.phase} {.status.containerStatuses[0].lastState.terminated.exitCode}"])
            return out.stdout == "1 Running 137"
        }

        // A pod that exits 3 with restartPolicy Never fails for good.
        _ = try await apus.kubectl(["run", "fail", "--image=busybox", "--image-pull-policy=IfNotPresent", "--restart=Never", "--command", "--", "sh", "-c", "exit 3"])
        try await apus.eventually("pod fail is Failed with exit code 3") {
            let out = try await apus.kubectl(["get", "pod", "fail", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason}"])
            return out.stdout == "Failed 3 Error"
        }

        // An image no registry has: ErrImagePull, then ImagePullBackOff, with events saying so.
        _ = try await apus.kubectl(["run", "nope", "--image=example.invalid/nothing:1.0"])
        try await apus.eventually("pod nope waits in ImagePullBackOff") {
            let out = try await apus.kubectl(["get", "pod", "nope", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"])
            return out.stdout == "ImagePullBackOff" || out.stdout == "ErrImagePull"
        }
        let pullEvents = try await apus.kubectl(["get", "events", "--field-selector", "involvedObject.name=nope", "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"]).stdout
        #expect(pullEvents.contains("Failed: Failed to pull image \"example.invalid/nothing:1.0\""), "events: \(pullEvents)")
        #expect(pullEvents.contains("Error: ErrImagePull"))

        // Deleting the pod stops its container within the grace period and removes its sandbox and address.
        let started = Date()
        _ = try await apus.kubectl(["delete", "pod", "web", "--wait=true"], timeout: 60)
        #expect(Date().timeIntervalSince(started) < 15)
        let leftover = try ApusProcess.run("/usr/bin/curl", ["-s", "--max-time", "2", "http://\(ip):8080/"], stdin: nil, timeout: 10)
        #expect(leftover.status != 0)
        let ipam = apus.dataDir + "/agent/cni-ipam/apus/" + ip
        #expect(!FileManager.default.fileExists(atPath: ipam), "the address \(ip) is still allocated")
    }
}
