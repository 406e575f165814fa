import ApusMachinery
import ApusPatch
@testable import ApusManagedFields

func json(_ text: String) throws -> JSON {
    try JSON.parse(text)
}

/// The FieldsV1 of the entry of `manager` (with `operation`) in an object's managedFields.
func fields(of object: JSON, manager: String, operation: String) -> JSON? {
    object["metadata"]["managedFields"].array?.first { $0["manager"].string == manager && $0["operation"].string == operation }?["fieldsV1"]
}

func deploymentManager(scope: FieldManager.Scope = .main(statusIsSubresource: true)) -> FieldManager {
    FieldManager(group: "apps", kind: "Deployment", apiVersion: "apps/v1", scope: scope)
}

/// Applies as the API server does: strategic merge by the kind's list keys.
func applying(_ manager: FieldManager, live: JSON?, config: JSON, as name: String, force: Bool = false,
              at now: String = "2026-11-22T10:00:00Z") throws(APIError) -> JSON {
    let schema = PatchSchema.forKind(group: "apps", kind: "Deployment")
    return try manager.apply(live: live, config: config, manager: name, force: force, now: now) { (live: JSON, config: JSON) throws(APIError) -> JSON in
        try StrategicMergePatch.apply(config, to: live, schema: schema)
    }
}

func applyError(_ body: () throws(APIError) -> JSON) -> APIError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

let deploymentConfig = #"""
{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
  "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[
   {"name":"nginx","image":"nginx:1.14","ports":[{"containerPort":80}]}]}}}}
"""#
