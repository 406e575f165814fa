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

    /// Probes, memory limits and workloads on the real node: a failing liveness probe restarts, a
    /// failing readiness probe keeps the pod out of Ready, a memory hog is OOMKilled, a failing
    /// Job's pods are retried up to backoffLimit, a Deployment's replicas answer HTTP, and
    /// `kubectl top` shows their usage.
    @Test func probesLimitsAndWorkloads() async throws {
        let apus = try await ApusProcess(withAgent: true)
        do {
            try await probesAndLimits(apus)
            try await workloads(apus)
        } catch {
            Issue.record("server log tail: \(apus.serverLog().suffix(4000))")
            await apus.stopDeletingPods()
            throw error
        }
        await apus.stopDeletingPods()
    }

    /// The seeds' two-container pod sharing an emptyDir, and the streams through the API server and
    /// the kubelet's port: `kubectl logs` (container choice, tail, timestamps, previous, follow,
    /// deployment/x), `kubectl exec` (WebSocket v5: output, stdin, exit codes) and `kubectl cp`.
    @Test func logsExecAndCopyThroughTheKubelet() async throws {
        let apus = try await ApusProcess(withAgent: true)
        do {
            try await podLogs(apus)
            try await podExec(apus)
        } catch {
            Issue.record("server log tail: \(apus.serverLog().suffix(4000))")
            await apus.stopDeletingPods()
            throw error
        }
        await apus.stopDeletingPods()
    }

    private func podLogs(_ apus: ApusProcess) async throws {
        let manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: two-containers}
        spec:
          terminationGracePeriodSeconds: 1
          volumes:
          - name: html
            emptyDir: {}
          containers:
          - name: server
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "echo serving /html; exec httpd -f -v -p 8080 -h /html"]
            volumeMounts: [{name: html, mountPath: /html}]
          - name: writer
            image: busybox
            imagePullPolicy: IfNotPresent
            volumeMounts: [{name: html, mountPath: /html}]
            command: ["sh", "-c", "while true; do date > /html/index.html; echo wrote $(cat /html/index.html); sleep 1; done"]
        """
        _ = try await apus.kubectl(["apply", "-f", "-"], stdin: manifest)
        try await apus.eventually("pod two-containers Running", timeout: 90) {
            try await apus.kubectl(["get", "pod", "two-containers", "-o", "jsonpath={.status.phase} {.status.conditions[?(@.type==\"Ready\")].status}"]).stdout == "Running True"
        }
        try await apus.eventually("the writer logs lines") {
            try await apus.kubectl(["logs", "two-containers", "-c", "writer"]).stdout.split(separator: "\n").count >= 3
        }
        // What the writer wrote is what the server serves.
        let ip = try await apus.kubectl(["get", "pod", "two-containers", "-o", "jsonpath={.status.podIP}"]).stdout
        let page = try ApusProcess.run("/usr/bin/curl", ["-s", "--max-time", "5", "http://\(ip):8080/index.html"], stdin: nil, timeout: 10).stdout
        let written = try await apus.kubectl(["logs", "two-containers", "-c", "writer"]).stdout
        #expect(!page.isEmpty && written.contains("wrote " + page.trimmingCharacters(in: .whitespacesAndNewlines)), "page \(page), logs \(written)")
        #expect(try await apus.kubectl(["logs", "two-containers", "-c", "server"]).stdout.hasPrefix("serving /html\n"))

        // The API without a container, for a pod of two, is an error naming them (kubectl itself
        // defaults to the first).
        let ambiguous = try await apus.kubectl(["get", "--raw", "/api/v1/namespaces/default/pods/two-containers/log"])
        #expect(ambiguous.status != 0)
        #expect(ambiguous.stderr.contains("a container name must be specified for pod two-containers, choose one of: [server writer]"), "\(ambiguous.stderr)")

        let tail = try await apus.kubectl(["logs", "two-containers", "-c", "writer", "--tail=1", "--timestamps"]).stdout
        #expect(tail.split(separator: "\n").count == 1)
        #expect(tail.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z wrote "#, options: .regularExpression) != nil, "\(tail)")

        // Follow streams new lines until the client stops.
        let followed = try await apus.kubectl(["logs", "-f", "two-containers", "-c", "writer", "--tail=0", "--request-timeout=3s"], timeout: 20)
        #expect(followed.stdout.split(separator: "\n").count >= 2, "followed: \(followed.stdout)")

        // --previous shows the instance before a restart.
        let pids = try ApusProcess.run("/usr/bin/pgrep", ["-f", "^httpd -f -v -p 8080"], stdin: nil, timeout: 10).stdout
        for pid in pids.split(separator: "\n") { kill(pid_t(pid) ?? 0, SIGKILL) }
        try await apus.eventually("the server container restarted") {
            try await apus.kubectl(["get", "pod", "two-containers", "-o", "jsonpath={.status.containerStatuses[?(@.name==\"server\")].restartCount}"]).stdout == "1"
        }
        #expect(try await apus.kubectl(["logs", "two-containers", "-c", "server", "--previous"]).stdout.hasPrefix("serving /html\n"))
        let noPrevious = try await apus.kubectl(["logs", "two-containers", "-c", "writer", "--previous"])
        #expect(noPrevious.stderr.contains("previous terminated container \"writer\" in pod \"two-containers\" not found"), "\(noPrevious.stderr)")

        // deployment/x reads a pod of the deployment.
        _ = try await apus.kubectl(["create", "deployment", "hello", "--image=busybox", "--", "sh", "-c", "echo hello from the deployment; sleep 600"])
        _ = try await apus.kubectl(["patch", "deployment", "hello", "--type=json", "-p",
                                    #"[{"op":"add","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"IfNotPresent"}]"#])
        try await apus.eventually("kubectl logs deployment/hello", timeout: 60) {
            try await apus.kubectl(["logs", "deployment/hello"]).stdout == "hello from the deployment\n"
        }

        // The kubelet's port answers only clients with a certificate of the cluster CA.
        let anonymous = try ApusProcess.run("/usr/bin/curl", ["-sk", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                                                              "https://127.0.0.1:10250/containerLogs/default/two-containers/writer"], stdin: nil, timeout: 10)
        #expect(anonymous.stdout != "200")
    }

    private func podExec(_ apus: ApusProcess) async throws {
        // The seeds' check: the file one container writes, read in the other.
        let served = try await apus.kubectl(["exec", "two-containers", "-c", "server", "--", "cat", "/html/index.html"])
        #expect(served.status == 0, "\(served.stderr)")
        #expect(served.stdout.range(of: #"^\w{3} \w{3} +\d+ \d\d:\d\d:\d\d UTC \d{4}\n$"#, options: .regularExpression) != nil, "\(served.stdout)")

        let failed = try await apus.kubectl(["exec", "two-containers", "-c", "writer", "--", "sh", "-c", "echo to stderr >&2; exit 3"])
        #expect(failed.status == 3)
        #expect(failed.stderr.contains("to stderr"))
        #expect(failed.stderr.contains("command terminated with exit code 3"))

        let piped = try await apus.kubectl(["exec", "-i", "two-containers", "-c", "writer", "--", "sh", "-c", "tr a-z A-Z; echo done"], stdin: "piped in\n")
        #expect(piped.stdout == "PIPED IN\ndone\n", "\(piped.stdout) \(piped.stderr)")

        let missing = try await apus.kubectl(["exec", "two-containers", "-c", "nope", "--", "true"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("container nope is not valid for pod two-containers"), "\(missing.stderr)")

        // kubectl cp: tar through exec, both ways.
        let local = apus.dataDir + "/cp-source.txt"
        try "copied through exec\n".write(toFile: local, atomically: true, encoding: .utf8)
        let copyIn = try await apus.kubectl(["cp", local, "two-containers:/tmp/copied.txt", "-c", "writer"])
        #expect(copyIn.status == 0, "\(copyIn.stderr)")
        #expect(try await apus.kubectl(["exec", "two-containers", "-c", "writer", "--", "cat", "/tmp/copied.txt"]).stdout == "copied through exec\n")
        let back = apus.dataDir + "/cp-back.txt"
        let copyOut = try await apus.kubectl(["cp", "two-containers:/tmp/copied.txt", back, "-c", "writer"])
        #expect(copyOut.status == 0, "\(copyOut.stderr)")
        #expect((try? String(contentsOfFile: back, encoding: .utf8)) == "copied through exec\n")
    }

    private func probesAndLimits(_ apus: ApusProcess) async throws {
        let manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: liveness}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "touch /tmp/healthy; sleep 4; rm /tmp/healthy; sleep 600"]
            livenessProbe:
              exec: {command: ["cat", "/tmp/healthy"]}
              periodSeconds: 1
              failureThreshold: 2
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: unready}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www"]
            ports: [{name: http, containerPort: 8080}]
            readinessProbe:
              httpGet: {path: /missing.html, port: http}
              periodSeconds: 1
            livenessProbe:
              tcpSocket: {port: 8080}
              periodSeconds: 1
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: hog}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
            imagePullPolicy: IfNotPresent
            command: ["sh", "-c", "dd if=/dev/zero of=/dev/null bs=96M count=1"]
            resources:
              limits: {memory: 32Mi}
        """
        _ = try await apus.kubectl(["apply", "-f", "-"], stdin: manifest)
        try await apus.eventually("the liveness probe restarts the container", timeout: 60) {
            let out = try await apus.kubectl(["get", "pod", "liveness", "-o", "jsonpath={.status.containerStatuses[0].restartCount}"])
            return (Int(out.stdout) ?? 0) >= 1
        }
        let liveEvents = try await apus.kubectl(["get", "events", "--field-selector", "involvedObject.name=liveness", "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}"]).stdout
        #expect(liveEvents.contains("Unhealthy: Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"), "events: \(liveEvents)")
        #expect(liveEvents.contains("Killing: Container main failed liveness probe, will be restarted"), "events: \(liveEvents)")

        // Running, alive by its TCP probe, but never Ready: its readiness URL answers 404.
        try await apus.eventually("pod unready runs and is not Ready") {
            let out = try await apus.kubectl(["get", "pod", "unready", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].started} {.status.containerStatuses[0].ready} {.status.conditions[?(@.type==\"Ready\")].status}"])
            return out.stdout == "Running true false False"
        }
        try await Task.sleep(for: .seconds(3))
        let unready = try await apus.kubectl(["get", "pod", "unready", "-o", "jsonpath={.status.containerStatuses[0].ready} {.status.containerStatuses[0].restartCount}"]).stdout
        let readyEvents = try await apus.kubectl(["get", "events", "--field-selector", "involvedObject.name=unready", "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}"]).stdout
        #expect(unready == "false 0", "events: \(readyEvents)")
        #expect(readyEvents.contains("Readiness probe failed: HTTP probe failed with statuscode: 404"), "events: \(readyEvents)")

        try await apus.eventually("pod hog is OOMKilled") {
            let out = try await apus.kubectl(["get", "pod", "hog", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.reason} {.status.containerStatuses[0].state.terminated.exitCode}"])
            return out.stdout == "Failed OOMKilled 137"
        }
    }

    private func workloads(_ apus: ApusProcess) async throws {
        let manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: httpd
                image: busybox
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"]
                readinessProbe:
                  httpGet: {path: /, port: 8080}
                  periodSeconds: 1
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: flaky}
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: busybox
                imagePullPolicy: IfNotPresent
                command: ["sh", "-c", "exit 1"]
        """
        _ = try await apus.kubectl(["apply", "-f", "-"], stdin: manifest)
        try await apus.eventually("3 replicas Ready", timeout: 90) {
            try await apus.kubectl(["get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}"]).stdout == "3"
        }
        let pods = try await apus.kubectl(["get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}"]).stdout
        let lines = pods.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.count == 3)
        for line in lines where line.count == 2 {
            let page = try ApusProcess.run("/usr/bin/curl", ["-s", "--max-time", "5", "http://\(line[1]):8080/"], stdin: nil, timeout: 10)
            #expect(page.stdout == line[0] + "\n", "pod \(line[0]) at \(line[1]) answered \(page.stdout)")
        }

        // kubectl top: metrics.k8s.io from the kubelet's summary (CPU needs two samples, 10 s apart).
        try await apus.eventually("kubectl top pods lists the replicas", timeout: 60) {
            let top = try await apus.kubectl(["top", "pods", "-l", "app=web", "--no-headers"])
            return top.status == 0 && top.stdout.split(separator: "\n").count == 3
        }
        let nodeTop = try await apus.kubectl(["top", "nodes", "--no-headers"])
        #expect(nodeTop.stdout.range(of: #"^\S+ +\d+m +\d+% +\d+Mi +\d+%"#, options: .regularExpression) != nil, "\(nodeTop.stdout) \(nodeTop.stderr)")
        let podTop = try await apus.kubectl(["top", "pods", "-l", "app=web", "--containers", "--no-headers"]).stdout
        #expect(podTop.range(of: #"web-\S+ +httpd +\d+m +\d+Mi"#, options: .regularExpression) != nil, "\(podTop)")

        // Each failed pod is replaced until backoffLimit failures: then the Job fails.
        try await apus.eventually("job flaky fails after its backoffLimit", timeout: 90) {
            let out = try await apus.kubectl(["get", "job", "flaky", "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}"])
            return out.stdout == "BackoffLimitExceeded"
        }
        let failed = try await apus.kubectl(["get", "pods", "-l", "job-name=flaky", "-o", "jsonpath={.items[*].status.phase}"]).stdout
        #expect(failed.split(separator: " ") == ["Failed", "Failed"], "pods: \(failed)")
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
