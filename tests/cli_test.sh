#!/usr/bin/env bash
# The rkgen command as a user runs it: exit statuses, messages, and that
# a rejected input writes nothing.  Usage: cli_test.sh RKGEN SOURCE_DIR
set -u
rkgen=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$src/tests/testlib.sh"

expect 0 "--help" -- "$rkgen" --help
grep -q "emit" "$work/out" && ok || bad "--help lists the commands"
expect 0 "--version" -- "$rkgen" --version
expect 2 "no arguments" -- "$rkgen"
expect 2 "unknown command" -- "$rkgen" frobnicate
for cmd in tableaux emit simulate; do
    expect 0 "$cmd --help" -- "$rkgen" "$cmd" --help
    expect 0 "help $cmd" -- "$rkgen" help "$cmd"
done
expect 2 "emit without --tableau" -- "$rkgen" emit "$src/examples/vanderpol.ode"
expect 2 "emit with an unknown option" -- "$rkgen" emit --frob "$src/examples/vanderpol.ode"
expect 2 "emit --real long" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk4 --real long
expect 2 "emit --name with a space" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk4 --name "a b"
expect 2 "unknown tableau" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk5
grep -q "rk4" "$work/err" && ok || bad "an unknown tableau lists the built-ins"

# tableaux: the list, and JSON that reads back to the same bytes
expect 0 "tableaux" -- "$rkgen" tableaux
[ "$(grep -c . "$work/out")" -eq 17 ] && ok || bad "tableaux lists 16 built-ins"
grep -qE '^fehlberg45 +6 +4 +5 +no ' "$work/out" && ok || bad "tableaux lists a pair's embedded order"
grep -qE '^dopri5 +7 +5 +4 +yes ' "$work/out" && ok || bad "tableaux lists FSAL"
"$rkgen" tableaux ralston4 >"$work/r4.json" && "$rkgen" tableaux "$work/r4.json" >"$work/r4b.json" &&
    cmp -s "$work/r4.json" "$work/r4b.json" && ok || bad "tableau JSON round trip"

# every bad family: exit 2, file:line:col in the message, nothing written
for f in "$src"/tests/bad/*.ode; do
    out="$work/out-$(basename "$f" .ode)"
    mkdir -p "$out"
    expect 2 "emit $(basename "$f")" -- "$rkgen" emit "$f" -t rk4 -o "$out"
    want="$f:$(head -n1 "${f%.ode}.expect" | cut -d: -f1-2):"
    grep -qF -- "$want" "$work/err" && ok || bad "$(basename "$f"): message lacks $want"
    empty_dir "$out" && ok || bad "$(basename "$f"): wrote $(ls -A "$out")"
done

# every bad tableau: exit 2, nothing written
for t in "$src"/tests/bad-tableau/*.json; do
    out="$work/tout-$(basename "$t" .json)"
    mkdir -p "$out"
    expect 2 "emit with $(basename "$t")" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t "$t" -o "$out"
    empty_dir "$out" && ok || bad "$(basename "$t"): wrote $(ls -A "$out")"
done

# a good emit: exactly the two files, double and float
mkdir -p "$work/good"
expect 0 "emit vanderpol rk4" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk4 --name vdp -o "$work/good"
[ "$(ls -A "$work/good" | tr '\n' ' ')" = "vdp.c vdp.h " ] && ok || bad "emit wrote $(ls -A "$work/good")"
grep -q "#define VDP_DIM 2" "$work/good/vdp.h" && ok || bad "header declares VDP_DIM"
grep -q "typedef double vdp_real;" "$work/good/vdp.h" && ok || bad "header declares vdp_real"
expect 0 "emit --real float" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk4 --name vdpf --real float -o "$work/good"
grep -q "typedef float vdpf_real;" "$work/good/vdpf.h" && ok || bad "float header"
expect 2 "emit into a directory whose parent is missing" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk4 -o "$work/nope/deeper"
grep -q "create its parent directory first" "$work/err" && ok || bad "the message says what to do: $(cat "$work/err")"
[ ! -e "$work/nope" ] && ok || bad "a failed emit left $work/nope"
# a missing output directory is created, and removed again by a failed run
expect 0 "emit into a new directory" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk4 --name vdp -o "$work/fresh"
[ "$(ls -A "$work/fresh" | tr '\n' ' ')" = "vdp.c vdp.h " ] && ok || bad "emit into a new directory wrote $(ls -A "$work/fresh")"
printf 'family f\nstate y\ninit y ~ uniform(1, 2)\nstep h ~ uniform(0.01, 0.1)\ny\x27 = 1/(y - y)\n' >"$work/div0.ode"
expect 2 "emit a family whose f is not finite" -- "$rkgen" emit "$work/div0.ode" -t rk4 -o "$work/fresh2"
[ ! -e "$work/fresh2" ] && ok || bad "a failed emit left the directory it created: $(ls -A "$work/fresh2")"
# a read-only directory (skipped as root, who may write anywhere)
if [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$work/ro" && chmod 555 "$work/ro"
    expect 2 "emit into a read-only directory" -- "$rkgen" emit "$src/examples/vanderpol.ode" -t rk4 -o "$work/ro"
fi

# simulate: CSV of steps+1 rows, reproducible, values given are used
expect 0 "simulate" -- "$rkgen" simulate "$src/examples/vanderpol.ode" -t rk4 --h 0.1 --steps 10 --param a=1.5 --init u=-3,v=1 -q
[ "$(head -n1 "$work/out")" = "t,u,v" ] && ok || bad "simulate header"
[ "$(grep -c . "$work/out")" -eq 12 ] && ok || bad "simulate rows"
[ "$(sed -n 2p "$work/out")" = "0,-3,1" ] && ok || bad "simulate first row"
"$rkgen" simulate "$src/examples/brusselator.ode" -t ralston3 --seed 5 -q >"$work/s1" &&
    "$rkgen" simulate "$src/examples/brusselator.ode" -t ralston3 --seed 5 -q >"$work/s2" &&
    cmp -s "$work/s1" "$work/s2" && ok || bad "simulate is reproducible"
expect 2 "simulate --param unknown" -- "$rkgen" simulate "$src/examples/vanderpol.ode" -t rk4 --param b=1
expect 2 "simulate --h 0" -- "$rkgen" simulate "$src/examples/vanderpol.ode" -t rk4 --h 0
expect 2 "simulate --steps -1" -- "$rkgen" simulate "$src/examples/vanderpol.ode" -t rk4 --steps -1
# simulate leaves nothing in TMPDIR
mkdir -p "$work/tmp"
TMPDIR="$work/tmp" "$rkgen" simulate "$src/examples/square.ode" -t heun -q >/dev/null && empty_dir "$work/tmp" &&
    ok || bad "simulate left files in TMPDIR"
# the square family at its exact solution: rk4 agrees to 1e-6 after 10 steps
"$rkgen" simulate "$src/examples/square.ode" -t rk4 --h 0.1 --steps 10 --param a=0.5 --init y=2 -q >"$work/sq"
awk -F, 'END { e = $2 - 1/(0.5*$1 + 0.5); if (e < 0) e = -e; exit !(e < 1e-6) }' "$work/sq" && ok ||
    bad "simulate square vs exact"

finish
