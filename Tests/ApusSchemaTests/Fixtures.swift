import ApusMachinery

/// Realistic objects with many fields set, as a client would send them (and a server return them).
enum Fixtures {
    static func parse(_ text: String) -> JSON {
        (try? JSON.parse(text)) ?? .null
    }

    static let podTemplate = """
    {
      "metadata": {"labels": {"app": "web", "tier": "front"}, "annotations": {"prometheus.io/scrape": "true"}},
      "spec": {
        "serviceAccountName": "web", "automountServiceAccountToken": false, "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst", "hostname": "web", "subdomain": "svc",
        "nodeSelector": {"kubernetes.io/os": "linux"}, "priorityClassName": "high", "schedulerName": "default-scheduler",
        "imagePullSecrets": [{"name": "registry"}], "shareProcessNamespace": true, "enableServiceLinks": false,
        "hostAliases": [{"ip": "10.0.0.1", "hostnames": ["db.local"]}],
        "dnsConfig": {"nameservers": ["1.1.1.1"], "searches": ["example.com"], "options": [{"name": "ndots", "value": "2"}]},
        "securityContext": {"runAsUser": 1000, "runAsGroup": 3000, "fsGroup": 2000, "runAsNonRoot": true,
          "seccompProfile": {"type": "RuntimeDefault"}, "sysctls": [{"name": "net.core.somaxconn", "value": "1024"}],
          "supplementalGroups": [4000], "fsGroupChangePolicy": "OnRootMismatch"},
        "affinity": {
          "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]}]}]},
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 10, "preference": {"matchFields": [
              {"key": "metadata.name", "operator": "NotIn", "values": ["n1"]}]}}]},
          "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": {
            "labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
            "topologyKey": "kubernetes.io/hostname", "namespaces": ["default"], "matchLabelKeys": ["pod-template-hash"]}}]}
        },
        "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
                        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
        "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
          "labelSelector": {"matchLabels": {"app": "web"}}, "minDomains": 2, "nodeAffinityPolicy": "Honor"}],
        "initContainers": [{"name": "init", "image": "busybox:1.36", "command": ["sh", "-c"], "args": ["echo hi"],
          "restartPolicy": "Always", "resources": {"requests": {"cpu": "10m"}}}],
        "containers": [{
          "name": "app", "image": "nginx:1.27", "imagePullPolicy": "IfNotPresent", "workingDir": "/srv",
          "command": ["nginx"], "args": ["-g", "daemon off;"], "stdin": false, "tty": false,
          "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090, "hostPort": 9090, "hostIP": "0.0.0.0"}],
          "env": [
            {"name": "MODE", "value": "prod"},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
            {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password", "optional": false}}},
            {"name": "COLOR", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "color"}}},
            {"name": "LIMIT", "valueFrom": {"resourceFieldRef": {"containerName": "app", "resource": "limits.memory", "divisor": "1Mi"}}}
          ],
          "envFrom": [{"prefix": "CFG_", "configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "extra", "optional": true}}],
          "resources": {"limits": {"cpu": 2, "memory": "512Mi", "nvidia.com/gpu": 1}, "requests": {"cpu": "250m", "memory": 268435456}},
          "resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}],
          "volumeMounts": [{"name": "config", "mountPath": "/etc/app", "readOnly": true, "subPath": "app.conf"},
                           {"name": "data", "mountPath": "/data", "mountPropagation": "HostToContainer", "subPathExpr": "$(POD_NAME)"}],
          "volumeDevices": [{"name": "raw", "devicePath": "/dev/xvda"}],
          "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP", "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
            "initialDelaySeconds": 5, "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
          "readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
          "startupProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "failureThreshold": 30, "terminationGracePeriodSeconds": 10},
          "lifecycle": {"postStart": {"exec": {"command": ["/bin/start"]}}, "preStop": {"sleep": {"seconds": 5}}},
          "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "privileged": false,
            "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}, "runAsNonRoot": true,
            "seLinuxOptions": {"level": "s0:c123,c456"}, "appArmorProfile": {"type": "RuntimeDefault"}},
          "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "FallbackToLogsOnError"
        }, {
          "name": "grpc", "image": "example/grpc:1", "ports": [{"containerPort": 50051}],
          "livenessProbe": {"grpc": {"port": 50051, "service": "health"}}
        }],
        "volumes": [
          {"name": "config", "configMap": {"name": "cfg", "items": [{"key": "app.conf", "path": "app.conf", "mode": 420}], "defaultMode": 420, "optional": false}},
          {"name": "secret", "secret": {"secretName": "tls", "defaultMode": 256}},
          {"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
          {"name": "data", "persistentVolumeClaim": {"claimName": "data", "readOnly": false}},
          {"name": "host", "hostPath": {"path": "/var/log", "type": "Directory"}},
          {"name": "raw", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"type": "scratch"}},
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast", "volumeMode": "Block",
              "resources": {"requests": {"storage": "1Gi"}}}}}},
          {"name": "projected", "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"audience": "api", "expirationSeconds": 3607, "path": "token"}},
            {"downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
              {"path": "cpu", "resourceFieldRef": {"containerName": "app", "resource": "requests.cpu", "divisor": 1}}]}},
            {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
            {"secret": {"name": "extra", "optional": true}},
            {"clusterTrustBundle": {"signerName": "example.com/signer", "path": "bundle.pem", "labelSelector": {"matchLabels": {"a": "b"}}}}
          ]}},
          {"name": "nfs", "nfs": {"server": "nfs.local", "path": "/exports", "readOnly": true}},
          {"name": "csi", "csi": {"driver": "csi.example.com", "volumeAttributes": {"size": "small"}, "nodePublishSecretRef": {"name": "csi"}}},
          {"name": "img", "image": {"reference": "example/data:1", "pullPolicy": "IfNotPresent"}}
        ]
      }
    }
    """

    static var deployment: JSON {
        parse("""
        {
          "apiVersion": "apps/v1", "kind": "Deployment",
          "metadata": {
            "name": "web", "namespace": "default", "uid": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "resourceVersion": "1234",
            "generation": 3, "creationTimestamp": "2024-05-01T10:00:00Z", "labels": {"app": "web"},
            "annotations": {"deployment.kubernetes.io/revision": "3"}, "finalizers": ["example.com/cleanup"],
            "ownerReferences": [{"apiVersion": "example.com/v1", "kind": "App", "name": "web", "uid": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
              "controller": true, "blockOwnerDeletion": true}],
            "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "apps/v1",
              "time": "2024-05-01T10:00:00Z", "fieldsType": "FieldsV1",
              "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:spec": {"f:replicas": {}}}}]
          },
          "spec": {
            "replicas": 3, "minReadySeconds": 5, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600, "paused": false,
            "selector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "Exists"}]},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
            "template": \(podTemplate)
          },
          "status": {
            "observedGeneration": 3, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2,
            "unavailableReplicas": 1, "collisionCount": 0,
            "conditions": [{"type": "Available", "status": "True", "lastUpdateTime": "2024-05-01T10:01:00Z",
              "lastTransitionTime": "2024-05-01T10:01:00Z", "reason": "MinimumReplicasAvailable", "message": "ok"}]
          }
        }
        """)
    }

    static var pod: JSON {
        var pod = parse(podTemplate)
        pod["apiVersion"] = "v1"
        pod["kind"] = "Pod"
        pod[path: ["metadata", "name"]] = "web-1"
        pod[path: ["spec", "nodeName"]] = "node-1"
        pod[path: ["spec", "ephemeralContainers"]] = parse("""
        [{"name": "debugger", "image": "busybox", "targetContainerName": "app", "stdin": true, "tty": true,
          "command": ["sh"], "securityContext": {"capabilities": {"add": ["SYS_PTRACE"]}}}]
        """)
        pod["status"] = parse("""
        {"phase": "Running", "qosClass": "Burstable", "hostIP": "10.0.0.5", "hostIPs": [{"ip": "10.0.0.5"}],
         "podIP": "10.244.0.7", "podIPs": [{"ip": "10.244.0.7"}], "startTime": "2024-05-01T10:00:00Z",
         "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-01T10:00:05Z"}],
         "containerStatuses": [{"name": "app", "ready": true, "restartCount": 1, "image": "nginx:1.27", "imageID": "docker.io/nginx@sha256:abc",
           "containerID": "containerd://abc", "started": true,
           "state": {"running": {"startedAt": "2024-05-01T10:00:03Z"}},
           "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": "2024-05-01T09:00:00Z",
             "finishedAt": "2024-05-01T09:59:00Z", "signal": 9}},
           "allocatedResources": {"cpu": "250m"}, "resources": {"limits": {"memory": "512Mi"}},
           "volumeMounts": [{"name": "config", "mountPath": "/etc/app", "readOnly": true}],
           "user": {"linux": {"uid": 1000, "gid": 3000, "supplementalGroups": [4000]}}}]}
        """)
        return pod
    }

    static var service: JSON {
        parse("""
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
         "spec": {"type": "LoadBalancer", "selector": {"app": "web"}, "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
           "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "sessionAffinity": "ClientIP",
           "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}, "externalTrafficPolicy": "Local",
           "healthCheckNodePort": 30001, "internalTrafficPolicy": "Cluster", "loadBalancerSourceRanges": ["0.0.0.0/0"],
           "allocateLoadBalancerNodePorts": true, "publishNotReadyAddresses": false, "trafficDistribution": "PreferClose",
           "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP", "nodePort": 30080, "appProtocol": "http"},
                     {"name": "metrics", "port": 9090, "targetPort": 9090}]},
         "status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.10", "ipMode": "VIP",
           "ports": [{"port": 80, "protocol": "TCP", "error": "none"}]}]},
           "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-05-01T10:00:00Z", "reason": "Ok",
             "message": "", "observedGeneration": 1}]}}
        """)
    }

    static var cronJob: JSON {
        parse("""
        {"apiVersion": "batch/v1", "kind": "CronJob",
         "metadata": {"name": "report", "namespace": "default"},
         "spec": {"schedule": "*/5 * * * *", "timeZone": "Etc/UTC", "concurrencyPolicy": "Forbid", "suspend": false,
           "startingDeadlineSeconds": 100, "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
           "jobTemplate": {"metadata": {"labels": {"job": "report"}},
             "spec": {"parallelism": 2, "completions": 4, "backoffLimit": 6, "activeDeadlineSeconds": 3600,
               "ttlSecondsAfterFinished": 100, "completionMode": "Indexed", "suspend": false, "manualSelector": false,
               "backoffLimitPerIndex": 1, "maxFailedIndexes": 2, "podReplacementPolicy": "Failed",
               "podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
                 {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]},
               "successPolicy": {"rules": [{"succeededIndexes": "0-1", "succeededCount": 1}]},
               "template": {"spec": {"restartPolicy": "OnFailure",
                 "containers": [{"name": "main", "image": "report:1", "resources": {"limits": {"cpu": "1"}}}]}}}}},
         "status": {"active": [{"apiVersion": "batch/v1", "kind": "Job", "name": "report-1", "namespace": "default", "uid": "u1",
             "resourceVersion": "5"}],
           "lastScheduleTime": "2024-05-01T10:00:00Z", "lastSuccessfulTime": "2024-05-01T09:55:00Z"}}
        """)
    }

    static var ingress: JSON {
        parse("""
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
         "metadata": {"name": "web", "namespace": "default", "annotations": {"nginx.ingress.kubernetes.io/rewrite-target": "/"}},
         "spec": {"ingressClassName": "nginx",
           "defaultBackend": {"resource": {"apiGroup": "k8s.example.com", "kind": "StorageBucket", "name": "static"}},
           "tls": [{"hosts": ["www.example.com"], "secretName": "tls"}],
           "rules": [{"host": "www.example.com", "http": {"paths": [
             {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
             {"path": "/api", "pathType": "ImplementationSpecific", "backend": {"service": {"name": "api", "port": {"name": "http"}}}}]}}]},
         "status": {"loadBalancer": {"ingress": [{"hostname": "lb.example.com", "ports": [{"port": 443, "protocol": "TCP"}]}]}}}
        """)
    }

    static var horizontalPodAutoscalerV2: JSON {
        parse("""
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
         "metadata": {"name": "web", "namespace": "default"},
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
           "minReplicas": 2, "maxReplicas": 10,
           "metrics": [
             {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
             {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}},
             {"type": "Object", "object": {"describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "web"},
               "metric": {"name": "hits", "selector": {"matchLabels": {"verb": "GET"}}}, "target": {"type": "Value", "value": 10000}}},
             {"type": "External", "external": {"metric": {"name": "queue", "selector": {"matchExpressions": [{"key": "q", "operator": "In", "values": ["jobs"]}]}},
               "target": {"type": "AverageValue", "averageValue": 30}}},
             {"type": "ContainerResource", "containerResource": {"name": "memory", "container": "app", "target": {"type": "AverageValue", "averageValue": "200Mi"}}}],
           "behavior": {"scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
               "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}, {"type": "Pods", "value": 4, "periodSeconds": 15}]},
             "scaleDown": {"stabilizationWindowSeconds": 300, "policies": [{"type": "Percent", "value": 10, "periodSeconds": 60}]}}},
         "status": {"observedGeneration": 1, "lastScaleTime": "2024-05-01T10:00:00Z", "currentReplicas": 3, "desiredReplicas": 4,
           "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 75, "averageValue": "300m"}}}],
           "conditions": [{"type": "AbleToScale", "status": "True", "lastTransitionTime": "2024-05-01T10:00:00Z", "reason": "ReadyForNewScale", "message": "ok"}]}}
        """)
    }

    static var statefulSet: JSON {
        parse("""
        {"apiVersion": "apps/v1", "kind": "StatefulSet",
         "metadata": {"name": "db"},
         "spec": {"serviceName": "db", "replicas": 3, "podManagementPolicy": "Parallel",
           "selector": {"matchLabels": {"app": "db"}},
           "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": "50%"}},
           "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Delete"},
           "ordinals": {"start": 1},
           "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}},
           "volumeClaimTemplates": [{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
             "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}, "limits": {"storage": 20000000000}},
               "selector": {"matchLabels": {"disk": "ssd"}}, "dataSourceRef": {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "snap"}},
             "status": {"phase": "Pending"}}]}}
        """)
    }

    static var customResourceDefinition: JSON {
        parse("""
        {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": {"name": "widgets.example.com"},
         "spec": {"group": "example.com", "scope": "Namespaced",
           "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList", "shortNames": ["wd"], "categories": ["all"]},
           "versions": [{"name": "v1", "served": true, "storage": true,
             "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}},
             "additionalPrinterColumns": [{"name": "Size", "type": "integer", "jsonPath": ".spec.size", "priority": 0}],
             "selectableFields": [{"jsonPath": ".spec.color"}],
             "schema": {"openAPIV3Schema": {"type": "object", "description": "A widget.",
               "required": ["spec"],
               "properties": {
                 "spec": {"type": "object", "x-kubernetes-validations": [{"rule": "self.size >= 0", "message": "bad", "reason": "FieldValueInvalid"}],
                   "properties": {
                     "size": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 100, "default": 1},
                     "color": {"type": "string", "enum": ["red", "blue"], "pattern": "^[a-z]+$"},
                     "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set", "maxItems": 5},
                     "pairs": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
                     "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                     "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "additionalProperties": true},
                     "port": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                     "embedded": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true},
                     "deps": {"type": "object", "dependencies": {"a": ["b"], "c": {"required": ["d"]}}}
                   }},
                 "status": {"type": "object", "properties": {"replicas": {"type": "integer"}}}}}}}],
           "conversion": {"strategy": "Webhook", "webhook": {"conversionReviewVersions": ["v1"],
             "clientConfig": {"service": {"namespace": "default", "name": "conv", "path": "/convert", "port": 443}, "caBundle": "Y2E="}}},
           "preserveUnknownFields": false},
         "status": {"storedVersions": ["v1"], "acceptedNames": {"plural": "widgets", "kind": "Widget"},
           "conditions": [{"type": "Established", "status": "True", "lastTransitionTime": "2024-05-01T10:00:00Z", "reason": "InitialNamesAccepted", "message": "ok"}]}}
        """)
    }
}
