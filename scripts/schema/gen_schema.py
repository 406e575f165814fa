#!/usr/bin/env python3
# Writes Sources/ApusSchema/Generated/*.swift: the JSON type model of every kind Apus serves.
#
# Inputs, all from the installed kubectl 1.32 binary (nothing is committed):
#   - the protobuf FileDescriptorProtos it embeds (scripts/protobuf/desc/extract.py + pbdesc.py):
#     messages, fields, scalar types, repeated fields, map entries;
#   - the Go struct tags it embeds (`json:"..." protobuf:"..."`, kept for reflection): which proto
#     fields are `json:",inline"` (their members sit in the parent JSON object) and which proto
#     field names differ from their JSON names.
# apiextensions.k8s.io/v1 is not linked into kubectl; apiextensions.py lists it by hand.
#
# Usage: python3 scripts/schema/gen_schema.py [OUTDIR]   (default: Sources/ApusSchema/Generated)
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
DESC = os.path.join(ROOT, 'scripts', 'protobuf', 'desc')
sys.path.insert(0, DESC)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep __pycache__ out of the work tree
import pbdesc  # noqa: E402
import apiextensions  # noqa: E402

KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32'
META = 'k8s.io.apimachinery.pkg.apis.meta.v1.'

# Group-versions Apus serves (package key in k8s.io.api.<key>.<version> -> API group name).
GROUPS = {
    'core': '', 'apps': 'apps', 'batch': 'batch', 'coordination': 'coordination.k8s.io',
    'discovery': 'discovery.k8s.io', 'events': 'events.k8s.io', 'networking': 'networking.k8s.io',
    'rbac': 'rbac.authorization.k8s.io', 'autoscaling': 'autoscaling', 'policy': 'policy',
    'scheduling': 'scheduling.k8s.io', 'storage': 'storage.k8s.io', 'authentication': 'authentication.k8s.io',
    'apiextensions': 'apiextensions.k8s.io',
}
SERVED = [('core', 'v1'), ('apps', 'v1'), ('batch', 'v1'), ('coordination', 'v1'), ('discovery', 'v1'),
          ('events', 'v1'), ('networking', 'v1'), ('rbac', 'v1'), ('autoscaling', 'v1'), ('autoscaling', 'v2'),
          ('policy', 'v1'), ('scheduling', 'v1'), ('storage', 'v1'), ('apiextensions', 'v1')]
# Kinds without a list kind that Apus still accepts as bodies (subresources).
EXTRA_KINDS = ['k8s.io.api.core.v1.Binding', 'k8s.io.api.autoscaling.v1.Scale', 'k8s.io.api.policy.v1.Eviction',
               'k8s.io.api.authentication.v1.TokenRequest']
# Registered kinds that can appear nested (their Go structs embed TypeMeta) but have no list kind.
EXTRA_TYPEMETA = [META + 'DeleteOptions', META + 'Status']

# Messages with their own JSON marshalers, and the JSON they take.
SPECIAL = {
    META + 'Time': ('dateTime', None), META + 'MicroTime': ('dateTime', None), META + 'Duration': ('duration', None),
    META + 'FieldsV1': ('anyObject', None), 'k8s.io.apimachinery.pkg.runtime.RawExtension': ('anyObject', None),
    'k8s.io.apimachinery.pkg.api.resource.Quantity': ('quantity', None),
    'k8s.io.apimachinery.pkg.util.intstr.IntOrString': ('intOrString', None),
}
SPECIAL.update(apiextensions.SPECIAL)
SCALARS = {'string': 'string', 'bool': 'bool', 'int32': 'int32', 'int64': 'int64', 'double': 'double', 'bytes': 'bytes'}

# Short names used in the Swift tables (Swift maps them back to OpenAPI names).
SHORT = [(META, 'meta.v1.'), ('k8s.io.apimachinery.pkg.api.resource.', 'api.resource.'),
         ('k8s.io.apimachinery.pkg.util.intstr.', 'util.intstr.'), ('k8s.io.apimachinery.pkg.runtime.', 'runtime.'),
         (apiextensions.PKG, 'apiextensions.v1.'), ('k8s.io.api.', '')]


def short(name):
    for long_prefix, s in SHORT:
        if name.startswith(long_prefix):
            return s + name[len(long_prefix):]
    raise Exception('no short name for ' + name)


def load_descriptors():
    work = os.environ.get('SCHEMA_WORKDIR')
    if not work:
        with tempfile.TemporaryDirectory(prefix='apus-schema-') as tmp:
            return load_descriptors_in(tmp)
    return load_descriptors_in(work)


def load_descriptors_in(work):
    if not glob.glob(os.path.join(work, 'fd_*.bin')):
        subprocess.run([sys.executable, os.path.join(DESC, 'extract.py')], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        return pbdesc.load()
    finally:
        os.chdir(cwd)


def lower_camel(go_name):
    return go_name[0].lower() + go_name[1:]


def scan_struct_tags(path):
    """(proto name, number) of every inline field, and proto name -> JSON name where they differ."""
    data = open(path, 'rb').read()
    inline, renames = set(), {}
    for m in re.finditer(rb'json:"([^"]*)" protobuf:"([^"]*)"', data):
        json_tag, pb_tag = m.group(1).decode(), m.group(2).decode()
        parts = pb_tag.split(',')
        named = [p[5:] for p in parts if p.startswith('name=')]
        json_name = json_tag.split(',')[0]
        if json_tag.startswith(',inline'):
            if named:
                proto_name = named[0]
            else:
                # Unnamed: the proto name is the Go field name, which precedes the tag in the
                # reflection name record (..., len, GoName, taglen, tag).
                end = m.start() - 1
                start = end
                while start > 0 and chr(data[start - 1]).isalnum():
                    start -= 1
                go_name = data[start:end].decode()
                if data[start - 1] != len(go_name) or data[end] != m.end() - m.start():
                    raise Exception('cannot read the Go name before ' + json_tag + ' ' + pb_tag)
                proto_name = lower_camel(go_name)
            inline.add((proto_name, int(parts[1])))
        elif named and json_name not in ('', '-') and json_name != named[0]:
            if renames.get(named[0], json_name) != json_name:
                raise Exception('conflicting JSON names for proto field ' + named[0])
            renames[named[0]] = json_name
    return inline, renames


class Model:
    def __init__(self):
        self.D = load_descriptors()
        self.inline, self.renames = scan_struct_tags(KUBECTL)
        self.kinds = self.find_kinds()
        self.types = {}   # message -> ('object', [(json, type)]) | (special shape, ref)

    def package(self, name):
        return name.rsplit('.', 1)[0]

    def find_kinds(self):
        """Messages whose Go struct embeds TypeMeta: each X with an XList of X items, the lists, and extras."""
        kinds = set(EXTRA_KINDS) | set(EXTRA_TYPEMETA)
        names = set(self.D) | set(apiextensions.MESSAGES)
        for n in names:
            lst = n + 'List'
            items = [t for j, t in self.plain_fields(lst) if j == 'items'] if lst in names else []
            if items == [('repeated', n)]:
                kinds.add(n)
                kinds.add(lst)
        return kinds

    def plain_fields(self, name):
        if name in apiextensions.MESSAGES:
            return apiextensions.MESSAGES[name]
        return [(f['name'], self.field_type(f)) for f in self.D[name]['fields']]

    def is_named_slice(self, name):
        # go-to-protobuf turns a named Go slice of strings (`type ExtraValue []string`, `Verbs`) into
        # a message with one repeated `items` field; its JSON is the plain array. (A struct with one
        # `items` list of messages, like DownwardAPIProjection, stays an object.)
        fs = self.D.get(name, {}).get('fields', [])
        return (not name.endswith('List') and len(fs) == 1 and fs[0]['name'] == 'items' and fs[0]['label'] == 3
                and fs[0]['type'] == 'string')

    def field_type(self, f):
        if f['type'] == 'message':
            t = f['type_name']
            if self.D[t]['map_entry']:
                key, value = self.D[t]['fields']
                assert key['type'] == 'string', t
                return ('map', self.field_type(value))
            base = t
            if self.is_named_slice(t):
                base = self.field_type(self.D[t]['fields'][0])
        else:
            if f['type'] not in SCALARS:
                raise Exception('unexpected scalar %s' % f['type'])
            base = SCALARS[f['type']]
        return ('repeated', base) if f['label'] == 3 else base

    def object_fields(self, name):
        if name in apiextensions.MESSAGES:
            fields = list(apiextensions.MESSAGES[name])
        else:
            fields = []
            for f in sorted(self.D[name]['fields'], key=lambda f: f['number']):
                if f['type'] == 'message' and (f['name'], f['number']) in self.inline:
                    fields += self.object_fields(f['type_name'])
                    continue
                fields.append((self.renames.get(f['name'], f['name']), self.field_type(f)))
        if name in self.kinds and not any(j == 'kind' for j, _ in fields):
            fields = [('apiVersion', 'string'), ('kind', 'string')] + fields
        names = [j for j, _ in fields]
        assert len(names) == len(set(names)), 'duplicate JSON names in ' + name
        return fields

    def add(self, name):
        if name in self.types:
            return
        if name in SPECIAL:
            shape, ref = SPECIAL[name]
            self.types[name] = (shape, ref)
            if ref:
                self.add(ref)
            return
        fields = self.object_fields(name)
        self.types[name] = ('object', fields)
        for _, t in fields:
            for ref in refs(t):
                self.add(ref)


def refs(t):
    if isinstance(t, tuple):
        return refs(t[1])
    return [] if t in SCALARS else [t]


def swift_type(t):
    if isinstance(t, tuple):
        return '.%s(%s)' % ({'repeated': 'array', 'map': 'map'}[t[0]], swift_type(t[1]))
    if t in SCALARS:
        return '.' + t
    return '.ref("%s")' % short(t)


def file_key(name):
    s = short(name)
    if s.startswith(('meta.', 'api.', 'util.', 'runtime.')):
        return 'MetaV1'
    pkg, version, base = s.split('.')
    if pkg == 'core':
        if 'Volume' in base or 'Projection' in base or base in ('KeyToPath', 'DownwardAPIVolumeFile'):
            return 'CoreV1Volumes'
        if base.startswith(('Pod', 'Container', 'Ephemeral', 'Probe', 'Lifecycle', 'Node', 'Env', 'Resource')):
            return 'CoreV1Pods'
        return 'CoreV1Objects'
    return pkg[0].upper() + pkg[1:] + version.upper()


def swift_var(key):
    return key[0].lower() + key[1:]


def emit(model, roots, outdir):
    os.makedirs(outdir, exist_ok=True)
    files = collections.defaultdict(list)
    for name in model.types:
        files[file_key(name)].append(name)
    header = ['// Generated by scripts/schema/gen_schema.py from the type descriptors kubectl 1.32 embeds.',
              '// Do not edit: change the generator and run it again.']
    sizes = {}
    for key in sorted(files):
        lines = header + ['extension SchemaTables {', '    static let %s: [TypeDescriptor] = [' % swift_var(key)]
        for name in sorted(files[key], key=short):
            shape, body = model.types[name]
            if shape == 'object':
                if not body:
                    lines.append('        TypeDescriptor("%s", fields: []),' % short(name))
                    continue
                lines.append('        TypeDescriptor("%s", fields: [' % short(name))
                for j, t in body:
                    lines.append('            Field("%s", %s),' % (j, swift_type(t)))
                lines.append('        ]),')
            elif body:
                lines.append('        TypeDescriptor("%s", shape: .%s("%s")),' % (short(name), shape, short(body)))
            else:
                lines.append('        TypeDescriptor("%s", shape: .%s),' % (short(name), shape))
        lines += ['    ]', '}', '']
        path = os.path.join(outdir, 'Types%s.swift' % key)
        open(path, 'w').write('\n'.join(lines))
        sizes[path] = os.path.getsize(path)
    lines = header + ['extension SchemaTables {',
                      '    /// Every table above, for the name index.',
                      '    static let allTables: [[TypeDescriptor]] = [%s]' % ', '.join(swift_var(k) for k in sorted(files)),
                      '',
                      '    /// The kinds, by group/version/kind, and the type of their objects.',
                      '    static let kinds: [KindEntry] = [']
    for group, version, kind, name in roots:
        lines.append('        KindEntry("%s", "%s", "%s", "%s"),' % (group, version, kind, short(name)))
    lines += ['    ]', '}', '']
    path = os.path.join(outdir, 'Kinds.swift')
    open(path, 'w').write('\n'.join(lines))
    sizes[path] = os.path.getsize(path)
    for p, s in sorted(sizes.items()):
        print('%7d %s' % (s, os.path.relpath(p, ROOT)))
    print('types: %d, kinds: %d, total bytes: %d' % (len(model.types), len(roots), sum(sizes.values())))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'Sources', 'ApusSchema', 'Generated')
    model = Model()
    roots = []
    all_names = set(model.D) | set(apiextensions.MESSAGES)
    for key, version in SERVED:
        prefix = apiextensions.PKG if key == 'apiextensions' else 'k8s.io.api.%s.%s.' % (key, version)
        for name in sorted(n for n in all_names if model.package(n) + '.' == prefix and n in model.kinds):
            roots.append((GROUPS[key], version, name[len(prefix):], name))
    for name in EXTRA_KINDS:
        key, version = name.split('.')[3:5]
        roots.append((GROUPS[key], version, name.rsplit('.', 1)[1], name))
    roots = sorted(set(roots))
    for _, _, _, name in roots:
        model.add(name)
    emit(model, roots, outdir)


if __name__ == '__main__':
    main()
