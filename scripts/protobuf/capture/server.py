# Fake API server for capturing kubectl's protobuf request bodies (loopback only).
import json, os, sys, struct
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs
HERE = os.path.dirname(os.path.abspath(__file__))
CAP = os.path.join(HERE, 'captures'); os.makedirs(CAP, exist_ok=True)
ORACLE = os.path.join(HERE, 'oracle')
GROUPS = {
 '': [('namespaces','Namespace',False),('configmaps','ConfigMap',True),('secrets','Secret',True),('services','Service',True),
      ('serviceaccounts','ServiceAccount',True),('resourcequotas','ResourceQuota',True),('pods','Pod',True),('nodes','Node',False)],
 'apps': [('deployments','Deployment',True),('statefulsets','StatefulSet',True),('daemonsets','DaemonSet',True),('replicasets','ReplicaSet',True)],
 'batch': [('jobs','Job',True),('cronjobs','CronJob',True)],
 'rbac.authorization.k8s.io': [('roles','Role',True),('rolebindings','RoleBinding',True),('clusterroles','ClusterRole',False),('clusterrolebindings','ClusterRoleBinding',False)],
 'scheduling.k8s.io': [('priorityclasses','PriorityClass',False)],
 'policy': [('poddisruptionbudgets','PodDisruptionBudget',True)],
 'networking.k8s.io': [('ingresses','Ingress',True),('ingressclasses','IngressClass',False)],
}
VERBS = ['create','delete','deletecollection','get','list','patch','update','watch']
def res(g, r, k, ns):
    return {'resource': r, 'responseKind': {'group': g, 'version': 'v1', 'kind': k}, 'scope': 'Namespaced' if ns else 'Cluster',
            'singularResource': k.lower(), 'verbs': VERBS}
def discovery(core):
    items = []
    for g, rs in GROUPS.items():
        if (g == '') != core: continue
        items.append({'metadata': {'name': g}, 'versions': [{'version': 'v1', 'freshness': 'Current', 'resources': [res(g, *x) for x in rs]}]})
    return {'kind': 'APIGroupDiscoveryList', 'apiVersion': 'apidiscovery.k8s.io/v2', 'metadata': {}, 'items': items}
def openapi_root():
    paths = {}
    for g in GROUPS:
        key = 'api/v1' if g == '' else 'apis/%s/v1' % g
        paths[key] = {'serverRelativeURL': '/openapi/v3/%s?hash=H%d' % (key, len(g))}
    return {'paths': paths}
def openapi_gv(path):
    g = '' if path == '/openapi/v3/api/v1' else path.split('/')[4]
    paths = {}
    for r, k, ns in GROUPS.get(g, []):
        prefix = '/api/v1' if g == '' else '/apis/%s/v1' % g
        p = prefix + ('/namespaces/{namespace}' if ns else '') + '/%s/{name}' % r
        paths[p] = {'patch': {'x-kubernetes-group-version-kind': {'group': g, 'version': 'v1', 'kind': k},
                              'parameters': [{'name': 'fieldValidation', 'in': 'query', 'schema': {'type': 'string'}}], 'responses': {}}}
    return {'openapi': '3.0.0', 'info': {'title': 'Kubernetes', 'version': 'v1.32.0'}, 'paths': paths, 'components': {'schemas': {}}}
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, fmt, *a):
        with open(os.path.join(HERE, 'server.log'), 'a') as f: f.write('%s %s\n' % (self.command, self.path))
    def send(self, code, body, ctype='application/json'):
        if not isinstance(body, bytes): body = json.dumps(body).encode()
        self.send_response(code); self.send_header('Content-Type', ctype); self.send_header('Content-Length', str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def oracle_for(self, u):
        parts = u.path.rstrip('/').split('/')
        for p in (parts[-1], parts[-2]):
            f = os.path.join(ORACLE, p + '.pb')
            if os.path.exists(f): return open(f, 'rb').read()
        return None
    def do_PATCH(self):
        n = int(self.headers.get('Content-Length', '0')); body = self.rfile.read(n)
        o = self.oracle_for(urlparse(self.path))
        if o: return self.send(200, o, 'application/vnd.kubernetes.protobuf')
        return self.send(404, {})
    def do_GET(self):
        u = urlparse(self.path)
        if u.path.count('/') >= 6 and self.oracle_for(u) and not u.path.startswith('/openapi'):
            return self.send(200, self.oracle_for(u), 'application/vnd.kubernetes.protobuf')
        if u.path == '/version':
            return self.send(200, {'major': '1', 'minor': '32', 'gitVersion': 'v1.32.0', 'gitCommit': 'x', 'gitTreeState': 'clean',
                                   'buildDate': '2024-12-11T00:00:00Z', 'goVersion': 'go1.23', 'compiler': 'gc', 'platform': 'linux/amd64'})
        if u.path in ('/api', '/apis'):
            return self.send(200, discovery(u.path == '/api'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
        if u.path == '/openapi/v3': return self.send(200, openapi_root())
        if u.path.startswith('/openapi/v3/'): return self.send(200, openapi_gv(u.path))
        return self.send(404, {'kind': 'Status', 'apiVersion': 'v1', 'metadata': {}, 'status': 'Failure', 'reason': 'NotFound', 'code': 404, 'message': 'not found'})
    def do_POST(self):
        n = int(self.headers.get('Content-Length', '0')); body = self.rfile.read(n)
        u = urlparse(self.path); resource = u.path.rstrip('/').split('/')[-1]
        with open(os.path.join(CAP, 'last.pb'), 'wb') as f: f.write(body)
        with open(os.path.join(CAP, 'last.meta'), 'w') as f: f.write('%s\n%s\n' % (self.path, self.headers.get('Content-Type')))
        oracle = os.path.join(ORACLE, resource + '.pb')
        if 'dryRun' in parse_qs(u.query) and os.path.exists(oracle):
            return self.send(201, open(oracle, 'rb').read(), 'application/vnd.kubernetes.protobuf')
        return self.send(201, {'apiVersion': 'v1', 'kind': 'Status', 'metadata': {}, 'status': 'Success'})
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
