/// Field types of the built-in kinds that TypeCheck verifies (the commonly written fields, not every one).
enum TypeSchemas {
    static func schema(group: String, kind: String) -> GoStruct? {
        switch (group, kind) {
        case ("", "Pod"): return object("v1.Pod", ["spec": .object(podSpec)])
        case ("", "PodTemplate"): return object("v1.PodTemplate", ["template": .object(podTemplateSpec)])
        case ("", "ReplicationController"):
            return object("v1.ReplicationController", ["spec": .object(GoStruct("v1.ReplicationControllerSpec", [
                "replicas": .int32, "minReadySeconds": .int32, "selector": .stringMap, "template": .object(podTemplateSpec),
            ]))])
        case ("", "Service"): return object("v1.Service", ["spec": .object(serviceSpec)])
        case ("", "ConfigMap"):
            return object("v1.ConfigMap", ["data": .stringMap, "binaryData": .map(.base64), "immutable": .bool])
        case ("", "Secret"):
            return object("v1.Secret", ["data": .map(.base64), "stringData": .stringMap, "type": .string, "immutable": .bool])
        case ("", "Namespace"):
            return object("v1.Namespace", ["spec": .object(GoStruct("v1.NamespaceSpec", ["finalizers": .strings]))])
        case ("", "Node"):
            return object("v1.Node", ["spec": .object(GoStruct("v1.NodeSpec", [
                "podCIDR": .string, "podCIDRs": .strings, "providerID": .string, "unschedulable": .bool,
                "taints": .array(.object(GoStruct("v1.Taint", ["key": .string, "value": .string, "effect": .string]))),
            ]))])
        case ("", "ServiceAccount"):
            return object("v1.ServiceAccount", [
                "automountServiceAccountToken": .bool, "imagePullSecrets": .array(.object(localObjectReference)),
                "secrets": .array(.object(objectReference)),
            ])
        case ("", "Endpoints"):
            let address = GoStruct("v1.EndpointAddress", ["ip": .string, "hostname": .string, "nodeName": .string])
            let port = GoStruct("v1.EndpointPort", ["name": .string, "port": .int32, "protocol": .string, "appProtocol": .string])
            return object("v1.Endpoints", ["subsets": .array(.object(GoStruct("v1.EndpointSubset", [
                "addresses": .array(.object(address)), "notReadyAddresses": .array(.object(address)), "ports": .array(.object(port)),
            ])))])
        case ("", "Event"):
            return object("v1.Event", [
                "involvedObject": .object(objectReference), "reason": .string, "message": .string, "type": .string,
                "action": .string, "reportingComponent": .string, "reportingInstance": .string, "count": .int32,
                "firstTimestamp": .string, "lastTimestamp": .string, "eventTime": .string,
            ])
        case ("apps", "Deployment"): return object("v1.Deployment", ["spec": .object(deploymentSpec)])
        case ("apps", "ReplicaSet"):
            return object("v1.ReplicaSet", ["spec": .object(GoStruct("v1.ReplicaSetSpec", [
                "replicas": .int32, "minReadySeconds": .int32, "selector": .object(labelSelector), "template": .object(podTemplateSpec),
            ]))])
        case ("apps", "StatefulSet"): return object("v1.StatefulSet", ["spec": .object(statefulSetSpec)])
        case ("apps", "DaemonSet"): return object("v1.DaemonSet", ["spec": .object(daemonSetSpec)])
        case ("batch", "Job"): return object("v1.Job", ["spec": .object(jobSpec)])
        case ("batch", "CronJob"): return object("v1.CronJob", ["spec": .object(cronJobSpec)])
        case ("networking.k8s.io", "Ingress"): return object("v1.Ingress", ["spec": .object(ingressSpec)])
        case ("rbac.authorization.k8s.io", "Role"), ("rbac.authorization.k8s.io", "ClusterRole"):
            return object("v1.\(kind)", [
                "rules": .array(.object(policyRule)),
                "aggregationRule": .object(GoStruct("v1.AggregationRule", ["clusterRoleSelectors": .array(.object(labelSelector))])),
            ])
        case ("rbac.authorization.k8s.io", "RoleBinding"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"):
            return object("v1.\(kind)", [
                "subjects": .array(.object(GoStruct("v1.Subject", ["kind": .string, "apiGroup": .string, "name": .string, "namespace": .string]))),
                "roleRef": .object(GoStruct("v1.RoleRef", ["apiGroup": .string, "kind": .string, "name": .string])),
            ])
        case ("scheduling.k8s.io", "PriorityClass"):
            return object("v1.PriorityClass", ["value": .int32, "globalDefault": .bool, "description": .string, "preemptionPolicy": .string])
        case ("autoscaling", "HorizontalPodAutoscaler"):
            return object("v2.HorizontalPodAutoscaler", ["spec": .object(GoStruct("v2.HorizontalPodAutoscalerSpec", [
                "scaleTargetRef": .object(GoStruct("v2.CrossVersionObjectReference", ["kind": .string, "name": .string, "apiVersion": .string])),
                "minReplicas": .int32, "maxReplicas": .int32, "targetCPUUtilizationPercentage": .int32,
                "metrics": .array(.object(GoStruct("v2.MetricSpec", ["type": .string]))),
            ]))])
        case ("policy", "PodDisruptionBudget"):
            return object("v1.PodDisruptionBudget", ["spec": .object(GoStruct("v1.PodDisruptionBudgetSpec", [
                "minAvailable": .intOrString, "maxUnavailable": .intOrString, "selector": .object(labelSelector),
                "unhealthyPodEvictionPolicy": .string,
            ]))])
        case ("coordination.k8s.io", "Lease"):
            return object("v1.Lease", ["spec": .object(GoStruct("v1.LeaseSpec", [
                "holderIdentity": .string, "leaseDurationSeconds": .int32, "acquireTime": .string, "renewTime": .string,
                "leaseTransitions": .int32,
            ]))])
        default:
            return nil
        }
    }

    /// Every kind has `metadata`.
    static func object(_ goName: String, _ fields: [String: Shape]) -> GoStruct {
        GoStruct(goName, fields.merging(["metadata": .object(objectMeta)]) { a, _ in a })
    }

    // MARK: Shared structs

    static let objectMeta = GoStruct("v1.ObjectMeta", [
        "name": .string, "generateName": .string, "namespace": .string, "uid": .string, "resourceVersion": .string,
        "generation": .int64, "creationTimestamp": .string, "deletionTimestamp": .string, "deletionGracePeriodSeconds": .int64,
        "labels": .stringMap, "annotations": .stringMap, "finalizers": .strings,
        "ownerReferences": .array(.object(GoStruct("v1.OwnerReference", [
            "apiVersion": .string, "kind": .string, "name": .string, "uid": .string, "controller": .bool, "blockOwnerDeletion": .bool,
        ]))),
    ])

    static let labelSelector = GoStruct("v1.LabelSelector", [
        "matchLabels": .stringMap,
        "matchExpressions": .array(.object(GoStruct("v1.LabelSelectorRequirement", ["key": .string, "operator": .string, "values": .strings]))),
    ])

    static let localObjectReference = GoStruct("v1.LocalObjectReference", ["name": .string])

    static let objectReference = GoStruct("v1.ObjectReference", [
        "kind": .string, "namespace": .string, "name": .string, "uid": .string, "apiVersion": .string,
        "resourceVersion": .string, "fieldPath": .string,
    ])

    // MARK: Pods

    static let keyToPath = GoStruct("v1.KeyToPath", ["key": .string, "path": .string, "mode": .int32])

    static let volume = GoStruct("v1.Volume", [
        "name": .string,
        "configMap": .object(GoStruct("v1.ConfigMapVolumeSource", [
            "name": .string, "defaultMode": .int32, "optional": .bool, "items": .array(.object(keyToPath)),
        ])),
        "secret": .object(GoStruct("v1.SecretVolumeSource", [
            "secretName": .string, "defaultMode": .int32, "optional": .bool, "items": .array(.object(keyToPath)),
        ])),
        "emptyDir": .object(GoStruct("v1.EmptyDirVolumeSource", ["medium": .string, "sizeLimit": .quantity])),
        "hostPath": .object(GoStruct("v1.HostPathVolumeSource", ["path": .string, "type": .string])),
        "persistentVolumeClaim": .object(GoStruct("v1.PersistentVolumeClaimVolumeSource", ["claimName": .string, "readOnly": .bool])),
        "nfs": .object(GoStruct("v1.NFSVolumeSource", ["server": .string, "path": .string, "readOnly": .bool])),
    ])

    static let keySelector = GoStruct("v1.ConfigMapKeySelector", ["name": .string, "key": .string, "optional": .bool])

    static let envVar = GoStruct("v1.EnvVar", [
        "name": .string, "value": .string,
        "valueFrom": .object(GoStruct("v1.EnvVarSource", [
            "fieldRef": .object(GoStruct("v1.ObjectFieldSelector", ["apiVersion": .string, "fieldPath": .string])),
            "resourceFieldRef": .object(GoStruct("v1.ResourceFieldSelector", ["containerName": .string, "resource": .string, "divisor": .quantity])),
            "configMapKeyRef": .object(keySelector),
            "secretKeyRef": .object(GoStruct("v1.SecretKeySelector", ["name": .string, "key": .string, "optional": .bool])),
        ])),
    ])

    static let envFromSource = GoStruct("v1.EnvFromSource", [
        "prefix": .string,
        "configMapRef": .object(GoStruct("v1.ConfigMapEnvSource", ["name": .string, "optional": .bool])),
        "secretRef": .object(GoStruct("v1.SecretEnvSource", ["name": .string, "optional": .bool])),
    ])

    static let execAction = GoStruct("v1.ExecAction", ["command": .strings])
    static let httpGetAction = GoStruct("v1.HTTPGetAction", ["path": .string, "port": .intOrString, "host": .string, "scheme": .string])
    static let tcpSocketAction = GoStruct("v1.TCPSocketAction", ["port": .intOrString, "host": .string])

    static let probe = GoStruct("v1.Probe", [
        "exec": .object(execAction), "httpGet": .object(httpGetAction), "tcpSocket": .object(tcpSocketAction),
        "grpc": .object(GoStruct("v1.GRPCAction", ["port": .int32, "service": .string])),
        "initialDelaySeconds": .int32, "timeoutSeconds": .int32, "periodSeconds": .int32, "successThreshold": .int32,
        "failureThreshold": .int32, "terminationGracePeriodSeconds": .int64,
    ])

    static let lifecycleHandler = GoStruct("v1.LifecycleHandler", [
        "exec": .object(execAction), "httpGet": .object(httpGetAction), "tcpSocket": .object(tcpSocketAction),
        "sleep": .object(GoStruct("v1.SleepAction", ["seconds": .int64])),
    ])

    static let resourceRequirements = GoStruct("v1.ResourceRequirements", ["limits": .map(.quantity), "requests": .map(.quantity)])

    static let container = GoStruct("v1.Container", [
        "name": .string, "image": .string, "imagePullPolicy": .string, "workingDir": .string, "restartPolicy": .string,
        "terminationMessagePath": .string, "terminationMessagePolicy": .string, "command": .strings, "args": .strings,
        "stdin": .bool, "stdinOnce": .bool, "tty": .bool,
        "ports": .array(.object(GoStruct("v1.ContainerPort", [
            "name": .string, "containerPort": .int32, "hostPort": .int32, "protocol": .string, "hostIP": .string,
        ]))),
        "env": .array(.object(envVar)),
        "envFrom": .array(.object(envFromSource)),
        "resources": .object(resourceRequirements),
        "volumeMounts": .array(.object(GoStruct("v1.VolumeMount", [
            "name": .string, "mountPath": .string, "subPath": .string, "subPathExpr": .string, "mountPropagation": .string,
            "readOnly": .bool,
        ]))),
        "livenessProbe": .object(probe), "readinessProbe": .object(probe), "startupProbe": .object(probe),
        "lifecycle": .object(GoStruct("v1.Lifecycle", ["postStart": .object(lifecycleHandler), "preStop": .object(lifecycleHandler)])),
        "securityContext": .object(GoStruct("v1.SecurityContext", [
            "runAsUser": .int64, "runAsGroup": .int64, "runAsNonRoot": .bool, "privileged": .bool,
            "readOnlyRootFilesystem": .bool, "allowPrivilegeEscalation": .bool,
        ])),
    ])

    static let podSpec = GoStruct("v1.PodSpec", [
        "containers": .array(.object(container)), "initContainers": .array(.object(container)),
        "volumes": .array(.object(volume)),
        "restartPolicy": .string, "dnsPolicy": .string, "serviceAccountName": .string, "serviceAccount": .string,
        "nodeName": .string, "hostname": .string, "subdomain": .string, "schedulerName": .string, "priorityClassName": .string,
        "terminationGracePeriodSeconds": .int64, "activeDeadlineSeconds": .int64, "priority": .int32,
        "hostNetwork": .bool, "hostPID": .bool, "hostIPC": .bool, "automountServiceAccountToken": .bool,
        "shareProcessNamespace": .bool, "enableServiceLinks": .bool,
        "nodeSelector": .stringMap,
        "tolerations": .array(.object(GoStruct("v1.Toleration", [
            "key": .string, "operator": .string, "value": .string, "effect": .string, "tolerationSeconds": .int64,
        ]))),
        "imagePullSecrets": .array(.object(localObjectReference)),
        "securityContext": .object(GoStruct("v1.PodSecurityContext", [
            "runAsUser": .int64, "runAsGroup": .int64, "fsGroup": .int64, "runAsNonRoot": .bool, "supplementalGroups": .array(.int64),
        ])),
        "overhead": .map(.quantity),
    ])

    static let podTemplateSpec = GoStruct("v1.PodTemplateSpec", ["metadata": .object(objectMeta), "spec": .object(podSpec)])

    // MARK: Workloads

    static let deploymentSpec = GoStruct("v1.DeploymentSpec", [
        "replicas": .int32, "selector": .object(labelSelector), "template": .object(podTemplateSpec),
        "strategy": .object(GoStruct("v1.DeploymentStrategy", [
            "type": .string,
            "rollingUpdate": .object(GoStruct("v1.RollingUpdateDeployment", ["maxUnavailable": .intOrString, "maxSurge": .intOrString])),
        ])),
        "minReadySeconds": .int32, "revisionHistoryLimit": .int32, "paused": .bool, "progressDeadlineSeconds": .int32,
    ])

    static let statefulSetSpec = GoStruct("v1.StatefulSetSpec", [
        "replicas": .int32, "selector": .object(labelSelector), "template": .object(podTemplateSpec), "serviceName": .string,
        "podManagementPolicy": .string, "revisionHistoryLimit": .int32, "minReadySeconds": .int32,
        "updateStrategy": .object(GoStruct("v1.StatefulSetUpdateStrategy", [
            "type": .string,
            "rollingUpdate": .object(GoStruct("v1.RollingUpdateStatefulSetStrategy", ["partition": .int32, "maxUnavailable": .intOrString])),
        ])),
        "volumeClaimTemplates": .array(.object(GoStruct("v1.PersistentVolumeClaim", [
            "metadata": .object(objectMeta),
            "spec": .object(GoStruct("v1.PersistentVolumeClaimSpec", [
                "accessModes": .strings, "storageClassName": .string, "volumeMode": .string,
                "resources": .object(GoStruct("v1.VolumeResourceRequirements", ["limits": .map(.quantity), "requests": .map(.quantity)])),
            ])),
        ]))),
    ])

    static let daemonSetSpec = GoStruct("v1.DaemonSetSpec", [
        "selector": .object(labelSelector), "template": .object(podTemplateSpec), "minReadySeconds": .int32, "revisionHistoryLimit": .int32,
        "updateStrategy": .object(GoStruct("v1.DaemonSetUpdateStrategy", [
            "type": .string,
            "rollingUpdate": .object(GoStruct("v1.RollingUpdateDaemonSet", ["maxUnavailable": .intOrString, "maxSurge": .intOrString])),
        ])),
    ])

    static let jobSpec = GoStruct("v1.JobSpec", [
        "parallelism": .int32, "completions": .int32, "activeDeadlineSeconds": .int64, "backoffLimit": .int32,
        "selector": .object(labelSelector), "manualSelector": .bool, "template": .object(podTemplateSpec),
        "ttlSecondsAfterFinished": .int32, "completionMode": .string, "suspend": .bool, "backoffLimitPerIndex": .int32,
        "maxFailedIndexes": .int32, "podReplacementPolicy": .string,
    ])

    static let cronJobSpec = GoStruct("v1.CronJobSpec", [
        "schedule": .string, "timeZone": .string, "startingDeadlineSeconds": .int64, "concurrencyPolicy": .string, "suspend": .bool,
        "jobTemplate": .object(GoStruct("v1.JobTemplateSpec", ["metadata": .object(objectMeta), "spec": .object(jobSpec)])),
        "successfulJobsHistoryLimit": .int32, "failedJobsHistoryLimit": .int32,
    ])

    // MARK: Networking

    static let serviceSpec = GoStruct("v1.ServiceSpec", [
        "ports": .array(.object(GoStruct("v1.ServicePort", [
            "name": .string, "protocol": .string, "appProtocol": .string, "port": .int32, "targetPort": .intOrString, "nodePort": .int32,
        ]))),
        "selector": .stringMap, "clusterIP": .string, "clusterIPs": .strings, "type": .string, "externalIPs": .strings,
        "sessionAffinity": .string, "loadBalancerIP": .string, "loadBalancerSourceRanges": .strings, "externalName": .string,
        "externalTrafficPolicy": .string, "healthCheckNodePort": .int32, "publishNotReadyAddresses": .bool, "ipFamilies": .strings,
        "ipFamilyPolicy": .string, "allocateLoadBalancerNodePorts": .bool, "loadBalancerClass": .string, "internalTrafficPolicy": .string,
        "sessionAffinityConfig": .object(GoStruct("v1.SessionAffinityConfig", [
            "clientIP": .object(GoStruct("v1.ClientIPConfig", ["timeoutSeconds": .int32])),
        ])),
    ])

    static let ingressBackend = GoStruct("v1.IngressBackend", [
        "service": .object(GoStruct("v1.IngressServiceBackend", [
            "name": .string, "port": .object(GoStruct("v1.ServiceBackendPort", ["name": .string, "number": .int32])),
        ])),
        "resource": .object(GoStruct("v1.TypedLocalObjectReference", ["apiGroup": .string, "kind": .string, "name": .string])),
    ])

    static let ingressSpec = GoStruct("v1.IngressSpec", [
        "ingressClassName": .string, "defaultBackend": .object(ingressBackend),
        "tls": .array(.object(GoStruct("v1.IngressTLS", ["hosts": .strings, "secretName": .string]))),
        "rules": .array(.object(GoStruct("v1.IngressRule", [
            "host": .string,
            "http": .object(GoStruct("v1.HTTPIngressRuleValue", [
                "paths": .array(.object(GoStruct("v1.HTTPIngressPath", ["path": .string, "pathType": .string, "backend": .object(ingressBackend)]))),
            ])),
        ]))),
    ])

    static let policyRule = GoStruct("v1.PolicyRule", [
        "verbs": .strings, "apiGroups": .strings, "resources": .strings, "resourceNames": .strings, "nonResourceURLs": .strings,
    ])
}
