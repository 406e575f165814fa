# Walks kubectl's JSON print of the all-zero objects against the descriptors and records, per
# (message, field), whether the zero value survived (keep) or vanished (omit).
import json, sys, collections
import pbdesc, oracle
D = pbdesc.load()
SPECIAL = set(oracle.SPECIAL)
obs = collections.defaultdict(set)   # (msg, field) -> {'keep','omit'}
extra = set(); missing_msgs = set(); inline = set()
def walk(name, obj, path):
    if not isinstance(obj, dict):
        print('not object at', path, name); return
    known = set()
    for f in D[name]['fields']:
        j = f['name']; known.add(j)
        v = obj.get(j, None)
        if f['type'] == 'message':
            sub = D[f['type_name']]
            if f['type_name'] in SPECIAL:
                obs[(name, j)].add('keep' if j in obj else 'omit'); continue
            if sub['map_entry']:
                if v is None: missing_msgs.add((name, j, path)); continue
                vf = sub['fields'][1]
                if vf['type'] == 'message' and vf['type_name'] not in SPECIAL: walk(vf['type_name'], v['k'], path + '.' + j + '.k')
                continue
            if v is None and j != 'managedFields':
                # An embedded Go struct (json ",inline"): its members sit in this object.
                inline.add((name, j)); walk(f['type_name'], obj, path + '(' + j + ')')
                for sf in D[f['type_name']]['fields']: known.add(sf['name'])
                continue
            if v is None: continue
            obs[(name, j)].add('keep')
            if f['label'] == 3: walk(f['type_name'], v[0], path + '.' + j + '[0]')
            else: walk(f['type_name'], v, path + '.' + j)
        else:
            if f['label'] == 3:
                if v is None: missing_msgs.add((name, j, path))
                continue
            if not (NAMED and j == 'name'): obs[(name, j)].add('keep' if j in obj else 'omit')
    if '(' in path.rsplit('.',1)[-1]: return
    for k in obj:
        if k not in known and k not in ('kind', 'apiVersion'): extra.add((name, k, path))
NAMED = False
for r, (av, k, m) in oracle.ROOTS.items():
    NAMED = r in ('statefulsets', 'daemonsets', 'replicasets')
    walk(m, json.load(open('../capture/oracle-out/%s.json' % r)), r)
json.dump({'%s#%s' % k: sorted(v) for k, v in obs.items()}, open('presence.json', 'w'), indent=0)
print('extra keys:', sorted(extra))
print('missing:', sorted(missing_msgs))
print('conflicts:', [k for k, v in obs.items() if len(v) > 1])
c = collections.Counter(tuple(sorted(v)) for v in obs.values()); print(c)
print('inline:', sorted(inline))
json.dump(sorted('%s#%s' % x for x in inline), open('inline.json','w'))
