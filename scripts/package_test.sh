#!/usr/bin/env bash
# Builds the Debian package from BUILD (cpack -G DEB), installs it with
# dpkg -i, checks that the installed /usr/bin/rkgen runs and finds its
# man page, and removes the package again.  Needs root or sudo.
#   bash scripts/package_test.sh BUILD
set -euo pipefail
build=$(cd "${1:?usage: package_test.sh BUILD}" && pwd)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if dpkg-query -W -f='${Status}' rkgen 2>/dev/null | grep -q "install ok installed"; then
    echo "package_test: rkgen is already installed as a package; remove it first (dpkg -r rkgen)" >&2
    exit 2
fi
(cd "$build" && cpack -G DEB >"$build/cpack.log" 2>&1) || { cat "$build/cpack.log"; exit 1; }
deb=$(ls "$build"/rkgen_*.deb | head -n 1)
echo "built $(basename "$deb"):"
dpkg-deb -f "$deb" Package Version Architecture Depends | sed 's/^/  /'
$sudo dpkg -i "$deb" >/dev/null
status=0
want="rkgen $(sed -n 's/^project(rkgen VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../CMakeLists.txt")"
got=$(/usr/bin/rkgen --version) || status=1
[ "$got" = "$want" ] || { echo "FAIL: /usr/bin/rkgen --version says '$got', want '$want'"; status=1; }
[ -f /usr/share/man/man1/rkgen-emit.1.gz ] || [ -f /usr/share/man/man1/rkgen-emit.1 ] ||
    { echo "FAIL: no rkgen-emit(1) in /usr/share/man/man1"; status=1; }
[ -f /usr/lib/cmake/rkgen/rkgenConfig.cmake ] || [ -n "$(ls /usr/lib/*/cmake/rkgen/rkgenConfig.cmake 2>/dev/null)" ] ||
    { echo "FAIL: no CMake package under /usr/lib"; status=1; }
$sudo dpkg -r rkgen >/dev/null
[ ! -e /usr/bin/rkgen ] || { echo "FAIL: /usr/bin/rkgen remains after dpkg -r"; status=1; }
[ "$status" -eq 0 ] && echo "package: installed, ran '$got', removed"
exit "$status"
