import Foundation
import Testing

/// Creating, reading, changing and deleting objects with the real kubectl.
@Suite struct KubectlObjectsTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx-deployment
          labels:
            app: nginx
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: nginx
          template:
            metadata:
              labels:
                app: nginx
            spec:
              containers:
              - name: nginx
                image: IMAGE
                ports:
                - containerPort: 80
        """

    static func manifest(image: String) -> String { deployment.replacingOccurrences(of: "IMAGE", with: image) }

    @Test func createApplyGetAndDescribe() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let file = apus.dataDir + "/deploy.yaml"
        try Self.manifest(image: "nginx:1.14.2").write(toFile: file, atomically: true, encoding: .utf8)

        #expect(try await apus.ok("create", "-f", file).contains("deployment.apps/nginx-deployment created"))
        let duplicate = try await apus.fails("create", "-f", file)
        #expect(duplicate.contains("Error from server (AlreadyExists)"))
        #expect(duplicate.contains("deployments.apps \"nginx-deployment\" already exists"))

        try await apus.ok("delete", "deployment", "nginx-deployment")
        #expect(try await apus.ok("apply", "-f", file).contains("deployment.apps/nginx-deployment created"))
        #expect(try await apus.ok("apply", "-f", file).contains("unchanged"))
        try Self.manifest(image: "nginx:1.16.1").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await apus.ok("apply", "-f", file).contains("configured"))
        let applied = try await apus.ok("get", "deployment", "nginx-deployment", "-o",
                                        "jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}")
        #expect(applied == "nginx:1.16.1 2")
        let lastApplied = try await apus.ok("get", "deployment", "nginx-deployment", "-o",
                                            "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}")
        #expect(lastApplied.contains("\"image\":\"nginx:1.16.1\""))

        let table = try await apus.ok("get", "deployments")
        #expect(table.contains("NAME") && table.contains("READY") && table.contains("UP-TO-DATE") && table.contains("AVAILABLE"))
        #expect(table.contains("nginx-deployment   0/3"))
        let wide = try await apus.ok("get", "deployments", "-o", "wide")
        #expect(wide.contains("CONTAINERS") && wide.contains("nginx:1.16.1") && wide.contains("app=nginx"))
        let yaml = try await apus.ok("get", "deployment", "nginx-deployment", "-o", "yaml")
        #expect(yaml.contains("revisionHistoryLimit: 10") && yaml.contains("maxSurge: 25%") && yaml.contains("protocol: TCP"))
        let json = try await apus.ok("get", "deployment", "nginx-deployment", "-o", "json")
        #expect(json.contains("\"kind\": \"Deployment\"") && json.contains("\"uid\""))
        #expect(try await apus.ok("get", "deployments", "-o", "name") == "deployment.apps/nginx-deployment\n")
        let columns = try await apus.ok("get", "deployments", "-o", "custom-columns=NAME:.metadata.name,REPLICAS:.spec.replicas")
        #expect(columns.contains("nginx-deployment   3"))
        #expect(try await apus.ok("get", "deployments", "--show-labels").contains("app=nginx"))
        #expect(try await apus.ok("get", "deployments", "-l", "app=nginx", "-o", "name").contains("nginx-deployment"))
        #expect(try await apus.ok("get", "deployments", "-l", "app notin (nginx)", "-o", "name").isEmpty)
        let all = try await apus.ok("get", "deployments", "-A")
        #expect(all.contains("NAMESPACE") && all.contains("default"))

        let describe = try await apus.ok("describe", "deployment", "nginx-deployment")
        #expect(describe.contains("Name:                   nginx-deployment"))
        #expect(describe.contains("RollingUpdateStrategy:  25% max unavailable, 25% max surge"))
        #expect(describe.contains("Port:          80/TCP"))
    }

    @Test func labelAnnotatePatchReplaceDelete() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        try await apus.ok("create", "configmap", "settings", "--from-literal=mode=fast")
        #expect(try await apus.ok("label", "configmap", "settings", "tier=backend").contains("labeled"))
        #expect(try await apus.ok("annotate", "configmap", "settings", "owner=team-a").contains("annotated"))
        #expect(try await apus.ok("get", "configmap", "settings", "-o", "jsonpath={.metadata.labels.tier} {.metadata.annotations.owner}")
                == "backend team-a")

        try await apus.ok("patch", "configmap", "settings", "-p", "{\"data\":{\"mode\":\"strategic\"}}")
        #expect(try await apus.ok("get", "cm", "settings", "-o", "jsonpath={.data.mode}") == "strategic")
        try await apus.ok("patch", "configmap", "settings", "--type=merge", "-p", "{\"data\":{\"extra\":\"1\",\"mode\":null}}")
        #expect(try await apus.ok("get", "cm", "settings", "-o", "jsonpath={.data}") == "{\"extra\":\"1\"}")
        try await apus.ok("patch", "configmap", "settings", "--type=json", "-p", "[{\"op\":\"add\",\"path\":\"/data/json\",\"value\":\"yes\"}]")
        #expect(try await apus.ok("get", "cm", "settings", "-o", "jsonpath={.data.json}") == "yes")

        // replace with the current resourceVersion succeeds; the same file again is stale: 409.
        let current = try await apus.ok("get", "cm", "settings", "-o", "yaml")
        let file = apus.dataDir + "/cm.yaml"
        try current.replacingOccurrences(of: "json: \"yes\"", with: "json: \"no\"").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await apus.ok("replace", "-f", file).contains("replaced"))
        let stale = try await apus.fails("replace", "-f", file)
        #expect(stale.contains("Error from server (Conflict)"))
        #expect(stale.contains("the object has been modified; please apply your changes to the latest version and try again"))

        #expect(try await apus.ok("delete", "configmap", "settings").contains("configmap \"settings\" deleted"))
        let missing = try await apus.fails("get", "configmap", "settings")
        #expect(missing.contains("Error from server (NotFound): configmaps \"settings\" not found"))
    }

    @Test func kubectlGeneratorsSendProtobuf() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        #expect(try await apus.ok("create", "deployment", "web", "--image=nginx:1.25", "--replicas=2").contains("deployment.apps/web created"))
        #expect(try await apus.ok("create", "namespace", "team").contains("namespace/team created"))
        #expect(try await apus.ok("create", "configmap", "cm", "--from-literal=a=1", "-n", "team").contains("configmap/cm created"))
        #expect(try await apus.ok("create", "secret", "generic", "s", "--from-literal=k=v").contains("secret/s created"))
        #expect(try await apus.ok("create", "service", "nodeport", "np", "--tcp=80:8080").contains("service/np created"))
        #expect(try await apus.ok("create", "job", "once", "--image=busybox", "--", "echo", "hi").contains("job.batch/once created"))
        #expect(try await apus.ok("create", "serviceaccount", "robot").contains("serviceaccount/robot created"))

        #expect(try await apus.ok("get", "deployment", "web", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}")
                == "2 nginx:1.25")
        #expect(try await apus.ok("get", "secret", "s", "-o", "jsonpath={.data.k} {.type}") == "dg== Opaque")
        let service = try await apus.ok("get", "service", "np", "-o", "jsonpath={.spec.type} {.spec.ports[0].nodePort} {.spec.clusterIP}")
        let parts = service.split(separator: " ")
        #expect(parts.count == 3 && parts[0] == "NodePort")
        if parts.count == 3 {
            #expect((30000...32767).contains(Int(parts[1]) ?? 0))
            #expect(parts[2].hasPrefix("10.43."))
        }
        let job = try await apus.ok("get", "job", "once", "-o", "jsonpath={.spec.template.spec.restartPolicy} {.spec.backoffLimit}")
        #expect(job == "Never 6")
        #expect(try await apus.ok("get", "cm", "-n", "team").contains("cm"))
    }

    @Test func validationErrorsReadLikeKubernetes() async throws {
        let apus = try await ApusProcess()
        defer { apus.stop() }
        let badPod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: Bad_Name
            spec:
              containers:
              - name: c
            """
        let invalid = try await apus.fails("create", "-f", "-", stdin: badPod)
        #expect(invalid.contains("The Pod \"Bad_Name\" is invalid"))
        #expect(invalid.contains("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"))
        #expect(invalid.contains("spec.containers[0].image: Required value"))

        let noName = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}"
        let missing = try await apus.fails("create", "-f", "-", "--validate=false", stdin: noName)
        #expect(missing.contains("metadata.name: Required value"))

        let wrongType = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: typed}
            spec:
              replicas: "three"
              selector: {matchLabels: {app: a}}
              template:
                metadata: {labels: {app: a}}
                spec: {containers: [{name: c, image: busybox}]}
            """
        let typeError = try await apus.fails("create", "-f", "-", "--validate=false", stdin: wrongType)
        #expect(typeError.contains("spec.replicas"))

        let mismatch = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: mismatch}
            spec:
              selector: {matchLabels: {app: a}}
              template:
                metadata: {labels: {app: b}}
                spec: {containers: [{name: c, image: busybox}]}
            """
        let selector = try await apus.fails("create", "-f", "-", stdin: mismatch)
        #expect(selector.contains("`selector` does not match template `labels`"))

        let noNamespace = try await apus.fails("create", "configmap", "x", "-n", "nowhere")
        #expect(noNamespace.contains("namespaces \"nowhere\" not found"))
    }
}
