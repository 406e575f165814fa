#!/bin/bash
# Usage: capture.sh NAME kubectl-create-args...   -> out/NAME.pb (request body) and out/NAME.json (--dry-run=client -o json)
cd "$(dirname "$0")"
K="/usr/lib/google-cloud-sdk/bin/kubectl.1.32 --kubeconfig kc/config --cache-dir $PWD/kc/cache"
name=$1; shift
rm -f captures/last.pb
$K create "$@" >/dev/null 2>out/$name.err || { echo "FAIL $name"; cat out/$name.err; }
cp captures/last.pb out/$name.pb
$K create "$@" --dry-run=client -o json > out/$name.json 2>>out/$name.err || echo "FAILJSON $name"
echo "$name $(stat -c %s out/$name.pb) $(head -1 captures/last.meta)"
