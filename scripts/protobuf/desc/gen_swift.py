# Writes the Swift descriptor tables from the descriptors embedded in kubectl 1.32 plus the
# presence facts learned from kubectl's own JSON printer (presence.json / inline.json).
import json, re, sys, collections
import pbdesc
D = pbdesc.load()
P = json.load(open('presence.json'))
INLINE = set(json.load(open('inline.json')))
OUT = sys.argv[1]
ROOTS = [
 ('v1', 'Namespace', 'k8s.io.api.core.v1.Namespace'), ('v1', 'ConfigMap', 'k8s.io.api.core.v1.ConfigMap'),
 ('v1', 'Secret', 'k8s.io.api.core.v1.Secret'), ('v1', 'Service', 'k8s.io.api.core.v1.Service'),
 ('v1', 'ServiceAccount', 'k8s.io.api.core.v1.ServiceAccount'), ('v1', 'ResourceQuota', 'k8s.io.api.core.v1.ResourceQuota'),
 ('v1', 'Pod', 'k8s.io.api.core.v1.Pod'),
 ('apps/v1', 'Deployment', 'k8s.io.api.apps.v1.Deployment'), ('apps/v1', 'StatefulSet', 'k8s.io.api.apps.v1.StatefulSet'),
 ('apps/v1', 'DaemonSet', 'k8s.io.api.apps.v1.DaemonSet'), ('apps/v1', 'ReplicaSet', 'k8s.io.api.apps.v1.ReplicaSet'),
 ('batch/v1', 'Job', 'k8s.io.api.batch.v1.Job'), ('batch/v1', 'CronJob', 'k8s.io.api.batch.v1.CronJob'),
 ('rbac.authorization.k8s.io/v1', 'Role', 'k8s.io.api.rbac.v1.Role'),
 ('rbac.authorization.k8s.io/v1', 'RoleBinding', 'k8s.io.api.rbac.v1.RoleBinding'),
 ('rbac.authorization.k8s.io/v1', 'ClusterRole', 'k8s.io.api.rbac.v1.ClusterRole'),
 ('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'k8s.io.api.rbac.v1.ClusterRoleBinding'),
 ('scheduling.k8s.io/v1', 'PriorityClass', 'k8s.io.api.scheduling.v1.PriorityClass'),
 ('policy/v1', 'PodDisruptionBudget', 'k8s.io.api.policy.v1.PodDisruptionBudget'),
 ('networking.k8s.io/v1', 'Ingress', 'k8s.io.api.networking.v1.Ingress'),
 ('authentication.k8s.io/v1', 'TokenRequest', 'k8s.io.api.authentication.v1.TokenRequest'),
]
SPECIAL = {
 'k8s.io.apimachinery.pkg.apis.meta.v1.Time': '.time',
 'k8s.io.apimachinery.pkg.api.resource.Quantity': '.quantity',
 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': '.intOrString',
 'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': '.embeddedJSON',
}
# Facts kubectl's printer could not show (it strips managedFields; no create command prints a TokenRequest),
# taken from the Go types: true = zero value kept (pointer or no omitempty).
MANUAL_KEEP = {
 'k8s.io.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry': {'manager': False, 'operation': False, 'apiVersion': False, 'fieldsType': False, 'subresource': False},
 'k8s.io.api.authentication.v1.TokenRequestSpec': {'expirationSeconds': True},
 'k8s.io.api.authentication.v1.TokenRequestStatus': {'token': True},
 'k8s.io.api.authentication.v1.BoundObjectReference': {'kind': False, 'apiVersion': False, 'name': False, 'uID': False},
}
JSON_NAME = {('k8s.io.api.authentication.v1.BoundObjectReference', 'uID'): 'uid'}
def short(n):
    return n.replace('k8s.io.api.', '').replace('k8s.io.apimachinery.pkg.apis.', '')
seen = []
def walk(n):
    if n in seen or n in SPECIAL: return
    seen.append(n)
    for f in D[n]['fields']:
        if f['type'] == 'message': walk(f['type_name'])
for _, _, r in ROOTS: walk(r)
def ftype(f):
    if f['type'] == 'message':
        t = f['type_name']
        if t in SPECIAL: return SPECIAL[t]
        if D[t]['map_entry']:
            k, v = D[t]['fields']
            assert k['type'] == 'string'
            return '.map(%s)' % ftype(v)
        return '.message("%s")' % short(t)
    return {'string': '.string', 'bytes': '.bytes', 'bool': '.bool', 'int32': '.int32', 'int64': '.int64'}[f['type']]
def is_map(f): return f['type'] == 'message' and f['type_name'] not in SPECIAL and D[f['type_name']]['map_entry']
def rule(n, f):
    if '%s#%s' % (n, f['name']) in INLINE: return '.inline'
    if f['label'] == 3 and not is_map(f): return '.repeated'
    if f['type'] in ('string', 'bytes', 'bool', 'int32', 'int64'):
        if n in MANUAL_KEEP and f['name'] in MANUAL_KEEP[n]: keep = MANUAL_KEEP[n][f['name']]
        else:
            obs = P.get('%s#%s' % (n, f['name']))
            if obs is None: raise Exception('no presence fact for %s.%s' % (n, f['name']))
            keep = obs == ['keep']
        return '.keepZero' if keep else None
    return None
# Which file each message goes to.
CONTAINER = set('Container EphemeralContainer EphemeralContainerCommon ContainerPort EnvVar EnvVarSource EnvFromSource ConfigMapEnvSource SecretEnvSource ConfigMapKeySelector SecretKeySelector ObjectFieldSelector ResourceFieldSelector ResourceRequirements ResourceClaim ContainerResizePolicy VolumeMount VolumeDevice Probe ProbeHandler ExecAction HTTPGetAction HTTPHeader TCPSocketAction GRPCAction Lifecycle LifecycleHandler SleepAction SecurityContext Capabilities SELinuxOptions SeccompProfile AppArmorProfile WindowsSecurityContextOptions'.split())
OBJECTS = set('Namespace NamespaceSpec NamespaceStatus NamespaceCondition ConfigMap Secret ServiceAccount ObjectReference LocalObjectReference ResourceQuota ResourceQuotaSpec ResourceQuotaStatus ScopeSelector ScopedResourceSelectorRequirement Service ServiceSpec ServicePort ServiceStatus SessionAffinityConfig ClientIPConfig LoadBalancerStatus LoadBalancerIngress PortStatus'.split())
def group(n):
    s = short(n); base = s.split('.')[-1]
    if s.startswith('meta.'): return 'MetaV1'
    if s.startswith('core.'):
        if base in CONTAINER: return 'CoreV1Container'
        if base in OBJECTS: return 'CoreV1Objects'
        if 'Volume' in base or 'Projection' in base or base in ('KeyToPath', 'DownwardAPIVolumeFile', 'TypedLocalObjectReference', 'TypedObjectReference', 'ModifyVolumeStatus') or base.startswith('PersistentVolumeClaim'): return 'CoreV1Volumes'
        return 'CoreV1Pod'
    return {'apps': 'AppsV1', 'batch': 'BatchV1', 'rbac': 'RBACV1', 'policy': 'PolicyV1', 'scheduling': 'SchedulingV1', 'networking': 'NetworkingV1', 'authentication': 'AuthenticationV1'}[s.split('.')[0]]
DOC = {
 'MetaV1': 'meta/v1: object metadata, owner references, managed fields, label selectors and conditions.',
 'CoreV1Objects': 'core/v1: Namespace, ConfigMap, Secret, ServiceAccount, ResourceQuota and Service.',
 'CoreV1Pod': 'core/v1: Pod, its template and spec, scheduling (affinity, tolerations, topology) and pod status.',
 'CoreV1Container': 'core/v1: Container and what it holds: ports, env, resources, probes, lifecycle, security context, mounts.',
 'CoreV1Volumes': 'core/v1: Volume and every volume source, projections, and the PersistentVolumeClaim parts they embed.',
 'AppsV1': 'apps/v1: Deployment, StatefulSet, DaemonSet and ReplicaSet.',
 'BatchV1': 'batch/v1: Job and CronJob.',
 'RBACV1': 'rbac.authorization.k8s.io/v1: Role, ClusterRole and their bindings.',
 'PolicyV1': 'policy/v1: PodDisruptionBudget.',
 'SchedulingV1': 'scheduling.k8s.io/v1: PriorityClass.',
 'NetworkingV1': 'networking.k8s.io/v1: Ingress.',
 'AuthenticationV1': 'authentication.k8s.io/v1: TokenRequest (the serviceaccounts/token subresource).',
}
files = collections.OrderedDict((g, []) for g in DOC)
for n in seen:
    if D[n]['map_entry']: continue
    files[group(n)].append(n)
for g, msgs in files.items():
    var = g[0].lower() + g[1:]
    var = {'rBACV1': 'rbacV1'}.get(var, var)
    lines = ['// %s' % DOC[g],
             '// Field numbers and names are those of the upstream generated.proto; `.keepZero` marks the fields',
             '// whose Go type is a pointer or has no `omitempty`, so a zero value there is meaningful.',
             'extension ProtobufSchema {', '    static let %s: [MessageDescriptor] = [' % var]
    for n in sorted(msgs, key=lambda m: short(m)):
        lines.append('        MessageDescriptor("%s", [' % short(n))
        for f in sorted(D[n]['fields'], key=lambda f: f['number']):
            name = JSON_NAME.get((n, f['name']), f['name'])
            r = rule(n, f)
            args = '%d, "%s", %s' % (f['number'], name, ftype(f)) + (', ' + r if r else '')
            lines.append('            Field(%s),' % args)
        lines.append('        ]),')
    lines += ['    ]', '}', '']
    open('%s/Schema%s.swift' % (OUT, g), 'w').write('\n'.join(lines))
    print(g, len(msgs), sum(len(D[m]['fields']) for m in msgs))
print('var names:', [ (g[0].lower() + g[1:]) for g in files])
kinds = ['        KindEntry(apiVersion: "%s", kind: "%s", message: "%s"),' % (a, k, short(m)) for a, k, m in ROOTS]
open('%s/kinds.txt' % OUT, 'w').write('\n'.join(kinds) + '\n')
