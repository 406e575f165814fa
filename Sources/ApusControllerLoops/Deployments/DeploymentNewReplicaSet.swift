import ApusControllerKit
import ApusMachinery

extension DeploymentSync {
    /// The new ReplicaSet (nil when it does not exist and `create` is false) and all old ones, with
    /// the new one's revision and the Deployment's revision brought up to date.
    mutating func allReplicaSetsAndSyncRevision(create: Bool) async throws -> (new: JSON?, old: [JSON]) {
        let oldRSs = DeploymentReplicaSets.findOld(deployment, in: replicaSets)
        let newRS = try await newReplicaSet(old: oldRSs, create: create)
        return (newRS, oldRSs)
    }

    /// Finds the ReplicaSet whose template is the Deployment's (updating its annotations and
    /// minReadySeconds, then the Deployment's revision) or creates it with revision max+1.
    mutating func newReplicaSet(old oldRSs: [JSON], create: Bool) async throws -> JSON? {
        let newRevision = String(DeploymentRevisions.maxRevision(oldRSs) &+ 1)
        let minReadySeconds = DeploymentsFields.minReadySeconds(deployment)

        if var existing = DeploymentReplicaSets.findNew(deployment, in: replicaSets) {
            let annotationsUpdated = DeploymentRevisions.setNewReplicaSetAnnotations(deployment, &existing, newRevision: newRevision, exists: true)
            if annotationsUpdated || DeploymentsFields.minReadySeconds(existing) != minReadySeconds {
                existing[path: ["spec", "minReadySeconds"]] = minReadySeconds == 0 ? .null : .int(minReadySeconds)
                let updated = try await context.writer.update(.replicaSets, existing)
                remember(updated)
                return updated
            }
            var needsUpdate = DeploymentRevisions.setDeploymentRevision(&deployment, DeploymentsFields.annotation(existing, DeploymentRevisions.revisionAnnotation) ?? "")
            // A first Progressing condition for Deployments that had none (for instance, older ones).
            if DeploymentStrategy.progressDeadline(deployment) != nil,
               DeploymentConditions.get(deployment["status"], DeploymentConditions.progressing) == nil {
                setCondition(DeploymentConditions.make(DeploymentConditions.progressing, "True", reason: DeploymentConditions.foundNewReplicaSet,
                                                       message: "Found new replica set \"\(DeploymentsFields.name(existing))\"", now: now))
                needsUpdate = true
            }
            if needsUpdate { try await writeStatus() }
            return existing
        }
        guard create else { return nil }

        var rs = makeReplicaSet(minReadySeconds: minReadySeconds)
        let rsName = DeploymentsFields.name(rs)
        let newReplicas = try DeploymentStrategy.newReplicaSetReplicas(deployment, allReplicaSets: oldRSs + [rs], newReplicaSet: rs)
        DeploymentsFields.setSpecReplicas(&rs, newReplicas)
        _ = DeploymentRevisions.setNewReplicaSetAnnotations(deployment, &rs, newRevision: newRevision, exists: false)

        var alreadyExists = false
        let created: JSON
        do {
            created = try await context.writer.create(.replicaSets, rs)
        } catch {
            if DeploymentsErrors.isAlreadyExists(error) {
                // Either our own ReplicaSet (the cache lagged) or a hash collision.
                guard let found = await context.lister(.replicaSets).get(ObjectKey.of(rs)) else { throw error }
                guard OwnerReferences.isControlled(found, by: deployment),
                      DeploymentTemplateHash.equalIgnoringHash(deployment["spec"]["template"], found["spec"]["template"]) else {
                    let collisions = deployment["status"]["collisionCount"].int ?? 0
                    deployment[path: ["status", "collisionCount"]] = .int(collisions &+ 1)
                    try? await writeStatus()
                    throw error
                }
                alreadyExists = true
                created = found
            } else if DeploymentsErrors.isNamespaceTerminating(error) {
                throw error
            } else {
                let message = "Failed to create new replica set \"\(rsName)\": \(DeploymentsFields.message(error))"
                if DeploymentStrategy.progressDeadline(deployment) != nil {
                    setCondition(DeploymentConditions.make(DeploymentConditions.progressing, "False",
                                                           reason: DeploymentConditions.failedReplicaSetCreate, message: message, now: now))
                    try? await writeStatus()
                }
                await record("Warning", DeploymentConditions.failedReplicaSetCreate, message)
                throw error
            }
        }
        remember(created)
        if !alreadyExists, newReplicas > 0 {
            await record("Normal", "ScalingReplicaSet", "Scaled up replica set \(DeploymentsFields.name(created)) from 0 to \(newReplicas)")
        }

        var needsUpdate = DeploymentRevisions.setDeploymentRevision(&deployment, newRevision)
        if !alreadyExists, DeploymentStrategy.progressDeadline(deployment) != nil {
            setCondition(DeploymentConditions.make(DeploymentConditions.progressing, "True", reason: DeploymentConditions.newReplicaSetCreated,
                                                   message: "Created new replica set \"\(DeploymentsFields.name(created))\"", now: now))
            needsUpdate = true
        }
        if needsUpdate { try await writeStatus() }
        return created
    }

    /// The ReplicaSet for the current template: named `<deployment>-<hash>`, with the hash label on
    /// its template, labels and selector, controlled by the Deployment, at 0 replicas.
    func makeReplicaSet(minReadySeconds: Int64) -> JSON {
        let hashKey = DeploymentTemplateHash.labelKey
        var template = deployment["spec"]["template"]
        let hash = DeploymentTemplateHash.compute(template, collisionCount: deployment["status"]["collisionCount"].int)
        var labels = template["metadata"]["labels"].object ?? [:]
        labels[hashKey] = .string(hash)
        template[path: ["metadata", "labels"]] = .object(labels)
        var selector = deployment["spec"]["selector"]
        var matchLabels = selector["matchLabels"].object ?? [:]
        matchLabels[hashKey] = .string(hash)
        selector["matchLabels"] = .object(matchLabels)

        var spec: JSON = ["replicas": 0, "selector": selector, "template": template]
        if minReadySeconds != 0 { spec["minReadySeconds"] = .int(minReadySeconds) }
        let reference = OwnerReferences.controllerReference(to: deployment, apiVersion: DeploymentController.apiVersion, kind: DeploymentController.kind)
        let metadata: JSON = ["name": .string("\(name)-\(hash)"), "namespace": deployment["metadata"]["namespace"],
                              "ownerReferences": [reference], "labels": .object(labels)]
        return ["apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": metadata, "spec": spec]
    }

    /// Sets a condition on the working Deployment's status.
    mutating func setCondition(_ condition: JSON) {
        var status = deployment["status"]
        DeploymentConditions.set(&status, condition)
        deployment["status"] = status
    }
}
