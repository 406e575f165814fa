import zlib, sys
data = open('/usr/lib/google-cloud-sdk/bin/kubectl.1.32','rb').read()
sig = b'\x1f\x8b\x08\x00\x00\x00\x00\x00'
i = 0; n = 0
while True:
    i = data.find(sig, i)
    if i < 0: break
    try:
        d = zlib.decompressobj(16+zlib.MAX_WBITS)
        out = d.decompress(data[i:i+2000000])
        if b'generated.proto' in out[:200] or b'.proto' in out[:100]:
            name = out[2:2+out[1]].decode('latin1')
            n += 1
            open('fd_%03d.bin' % n,'wb').write(out)
            print(n, name, len(out))
    except Exception as e:
        pass
    i += 1
