# Minimal protobuf wire parser for FileDescriptorProto dumps.
import glob, json
def varint(b, i):
    r = 0; s = 0
    while True:
        c = b[i]; i += 1
        r |= (c & 0x7f) << s; s += 7
        if c < 0x80: return r, i
def fields(b):
    i = 0; out = []
    while i < len(b):
        k, i = varint(b, i); f, w = k >> 3, k & 7
        if w == 0: v, i = varint(b, i)
        elif w == 2:
            l, i = varint(b, i); v = b[i:i+l]; i += l
        elif w == 1: v = b[i:i+8]; i += 8
        elif w == 5: v = b[i:i+4]; i += 4
        else: raise Exception('wt %d' % w)
        out.append((f, v))
    return out
TYPES = {1:'double',2:'float',3:'int64',4:'uint64',5:'int32',6:'fixed64',7:'fixed32',8:'bool',9:'string',11:'message',12:'bytes',13:'uint32',15:'sfixed32',16:'sfixed64',17:'sint32',18:'sint64',14:'enum'}
def msg(b, prefix, out):
    name = None; flds = []; nested = []; mapentry = False
    for f, v in fields(b):
        if f == 1: name = v.decode()
        elif f == 2:
            d = {}
            for ff, vv in fields(v):
                if ff == 1: d['name'] = vv.decode()
                elif ff == 3: d['number'] = vv
                elif ff == 4: d['label'] = vv
                elif ff == 5: d['type'] = TYPES[vv]
                elif ff == 6: d['type_name'] = vv.decode().lstrip('.')
                elif ff == 10: d['json_name'] = vv.decode()
            flds.append(d)
        elif f == 3: nested.append(v)
        elif f == 7:
            for ff, vv in fields(v):
                if ff == 7 and vv: mapentry = True
    full = prefix + '.' + name
    out[full] = {'fields': flds, 'map_entry': mapentry}
    for n in nested: msg(n, full, out)
def load():
    out = {}
    for fn in sorted(glob.glob('fd_*.bin')):
        b = open(fn,'rb').read(); pkg = None; msgs = []
        for f, v in fields(b):
            if f == 2: pkg = v.decode()
            elif f == 4: msgs.append(v)
        for m in msgs: msg(m, pkg, out)
    return out
if __name__ == '__main__':
    d = load()
    json.dump(d, open('all.json','w'), indent=1)
    print(len(d))
    for k in ['k8s.io.api.apps.v1.DeploymentSpec', 'k8s.io.api.core.v1.Secret','k8s.io.apimachinery.pkg.apis.meta.v1.Time','k8s.io.apimachinery.pkg.runtime.Unknown']:
        print(k, d[k])
