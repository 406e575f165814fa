# Builds "every field explicitly zero" objects so kubectl's Go JSON printer reveals which scalar
# fields keep a zero value (pointers / no omitempty) and which drop it (omitempty non-pointers).
import json, os, sys
import pbdesc
D = pbdesc.load()
META = 'k8s.io.apimachinery.pkg.apis.meta.v1.'
def vi(n):
    n &= (1 << 64) - 1; out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)
def tag(num, wt): return vi(num << 3 | wt)
def ld(num, b): return tag(num, 2) + vi(len(b)) + b
SPECIAL = {
 'k8s.io.apimachinery.pkg.api.resource.Quantity': ld(1, b'0'),
 META + 'Time': tag(1, 0) + vi(1700000000),
 META + 'MicroTime': tag(1, 0) + vi(1700000000) + tag(2, 0) + vi(5000),
 META + 'FieldsV1': ld(1, b'{"f:x":{}}'),
 'k8s.io.apimachinery.pkg.runtime.RawExtension': ld(1, b'{"a":1}'),
 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': tag(1, 0) + vi(0) + tag(2, 0) + vi(0) + ld(3, b''),
 META + 'Duration': tag(1, 0) + vi(0),
}
NAMED = False   # fill `name` strings so strategic-merge lists keep their merge keys
def scalar(f):
    t = f['type']; n = f['number']
    if NAMED and f['name'] == 'name' and t == 'string': return ld(n, b'n')
    if t in ('string', 'bytes'): return ld(n, b'')
    if t == 'double': return tag(n, 1) + b'\0' * 8
    if t == 'float': return tag(n, 5) + b'\0' * 4
    return tag(n, 0) + vi(0)
def full(name, depth=0):
    if name in SPECIAL: return SPECIAL[name]
    if depth > 40: raise Exception('too deep ' + name)
    out = b''
    for f in D[name]['fields']:
        if f['type'] == 'message':
            sub = D[f['type_name']]
            if sub['map_entry']:
                kf, vf = sub['fields']
                val = ld(2, full(vf['type_name'], depth + 1)) if vf['type'] == 'message' else scalar({**vf, 'number': 2})
                out += ld(f['number'], ld(1, b'k') + val)
            else:
                out += ld(f['number'], full(f['type_name'], depth + 1))
        else:
            out += scalar(f)
    return out
def envelope(api_version, kind, raw):
    return b'k8s\0' + ld(1, ld(1, api_version.encode()) + ld(2, kind.encode())) + ld(2, raw) + ld(3, b'') + ld(4, b'')
ROOTS = {
 'deployments': ('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment'),
 'namespaces': ('v1', 'Namespace', 'k8s.io.api.core.v1.Namespace'),
 'configmaps': ('v1', 'ConfigMap', 'k8s.io.api.core.v1.ConfigMap'),
 'secrets': ('v1', 'Secret', 'k8s.io.api.core.v1.Secret'),
 'services': ('v1', 'Service', 'k8s.io.api.core.v1.Service'),
 'serviceaccounts': ('v1', 'ServiceAccount', 'k8s.io.api.core.v1.ServiceAccount'),
 'resourcequotas': ('v1', 'ResourceQuota', 'k8s.io.api.core.v1.ResourceQuota'),
 'jobs': ('batch/v1', 'Job', 'k8s.io.api.batch.v1.Job'),
 'cronjobs': ('batch/v1', 'CronJob', 'k8s.io.api.batch.v1.CronJob'),
 'roles': ('rbac.authorization.k8s.io/v1', 'Role', 'k8s.io.api.rbac.v1.Role'),
 'rolebindings': ('rbac.authorization.k8s.io/v1', 'RoleBinding', 'k8s.io.api.rbac.v1.RoleBinding'),
 'clusterroles': ('rbac.authorization.k8s.io/v1', 'ClusterRole', 'k8s.io.api.rbac.v1.ClusterRole'),
 'clusterrolebindings': ('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'k8s.io.api.rbac.v1.ClusterRoleBinding'),
 'priorityclasses': ('scheduling.k8s.io/v1', 'PriorityClass', 'k8s.io.api.scheduling.v1.PriorityClass'),
 'poddisruptionbudgets': ('policy/v1', 'PodDisruptionBudget', 'k8s.io.api.policy.v1.PodDisruptionBudget'),
 'ingresses': ('networking.k8s.io/v1', 'Ingress', 'k8s.io.api.networking.v1.Ingress'),
 'pods': ('v1', 'Pod', 'k8s.io.api.core.v1.Pod'),
 'statefulsets': ('apps/v1', 'StatefulSet', 'k8s.io.api.apps.v1.StatefulSet'),
 'daemonsets': ('apps/v1', 'DaemonSet', 'k8s.io.api.apps.v1.DaemonSet'),
 'replicasets': ('apps/v1', 'ReplicaSet', 'k8s.io.api.apps.v1.ReplicaSet'),
}
if __name__ == '__main__':
    od = sys.argv[1]; os.makedirs(od, exist_ok=True)
    for r, (av, k, m) in ROOTS.items():
        NAMED = r in ('statefulsets', 'daemonsets', 'replicasets')
        open(os.path.join(od, r + '.pb'), 'wb').write(envelope(av, k, full(m)))
        print(r, len(full(m)))
