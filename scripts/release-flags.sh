# Sourced by scripts/start-cluster.sh and Benchmarks/run.sh: the release link settings that keep an
# idle server small, in the array `release_flags`. An idle server's memory is mostly mapped code,
# and a page of code counts as soon as one byte of it runs (the kernel maps up to 64 KiB around each
# fault), so the aim is fewer, denser code pages:
# - the Swift runtime and Foundation linked in statically: only what is referenced is linked, and
#   the loader no longer binds thousands of symbols across a dozen shared libraries;
# - lld with packed relative relocations (DT_RELR, needs glibc >= 2.36 where the server runs):
#   the relocation table, read in full at every start, shrinks from 3 MB to 26 KB;
# - no dynamic export of every symbol (-static-stdlib asks for it; nothing here looks symbols up);
# - one section per function, Swift and C, so --gc-sections also drops unused internal functions.
release_flags=(--static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic
               -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [ "$(printf '%s\n' 2.36 "${glibc:-0}" | sort -V | head -n 1)" = 2.36 ]; then
  release_flags+=(-Xlinker -z -Xlinker pack-relative-relocs)
fi

# swiftc re-emits an object only when its IR changes, so release objects compiled before
# -function-sections would keep one .text section each: drop them once so they are compiled again.
# $1: the build directory.
drop_objects_without_function_sections() {
  if [ -d "$1" ] && [ "$(cat "$1/.function-sections" 2>/dev/null)" != 1 ]; then
    find "$1" -path '*/release/*' -name '*.swift.o' -delete
  fi
}

mark_function_sections() {
  mkdir -p "$1" && echo 1 > "$1/.function-sections"
}
