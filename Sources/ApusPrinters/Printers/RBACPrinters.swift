import ApusMachinery

/// rbac.authorization.k8s.io bindings. Roles and ClusterRoles have no printer in Kubernetes and use
/// the default "Created At" table.
enum RBACPrinters {
    static func binding(scope: String) -> TablePrinter {
        TablePrinter(
            columns: [
                Columns.name,
                Columns.string("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
                Columns.age,
                Columns.string("Users", "Users in the \(scope)", priority: 1),
                Columns.string("Groups", "Groups in the \(scope)", priority: 1),
                Columns.string("ServiceAccounts", "ServiceAccounts in the \(scope)", priority: 1),
            ],
            cells: { object, now in
                var users: [String] = [], groups: [String] = [], serviceAccounts: [String] = []
                for subject in Read.array(object, "subjects") {
                    let name = Read.string(subject, "name")
                    switch Read.string(subject, "kind") {
                    case "ServiceAccount": serviceAccounts.append(Read.string(subject, "namespace") + "/" + name)
                    case "User": users.append(name)
                    case "Group": groups.append(name)
                    default: break
                    }
                }
                return [
                    .string(Read.name(object)),
                    .string(Read.string(object, "roleRef", "kind") + "/" + Read.string(object, "roleRef", "name")),
                    .string(Read.age(object, now: now)),
                    .string(users.joined(separator: ", ")),
                    .string(groups.joined(separator: ", ")),
                    .string(serviceAccounts.joined(separator: ", ")),
                ]
            })
    }
}
