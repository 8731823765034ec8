#!/usr/bin/env bash
# rkgen as another project uses it: `cmake --install` into a temporary
# prefix puts the program, a man page per command, the docs, the bash
# completion and the CMake package there; the man pages say every option
# the program's --help says; the installed program runs from anywhere
# with no data files; examples/consumer builds against the installed
# package, regenerates its steppers when their family changes, and its
# golden test fails on a wrong golden file; rkgen_add_stepper's bad
# arguments stop configuration with a message.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; echo "FAIL: cmake --install"; exit 1; }
rkgen=$prefix/bin/rkgen

check "bin/rkgen is installed" '[ -x "$rkgen" ]'
check "the CMake package is installed" '[ -f "$prefix/lib/cmake/rkgen/rkgenConfig.cmake" ] &&
    [ -f "$prefix/lib/cmake/rkgen/rkgenConfigVersion.cmake" ] && [ -f "$prefix/lib/cmake/rkgen/rkgenFunctions.cmake" ]'
check "the docs are installed" '[ -f "$prefix/share/doc/rkgen/README.md" ] &&
    [ -f "$prefix/share/doc/rkgen/docs/family-format.md" ] && [ -f "$prefix/share/doc/rkgen/examples/vanderpol.ode" ]'
check "the bash completion is installed" '[ -f "$prefix/share/bash-completion/completions/rkgen" ]'
check "rkgen --version" '[ "$("$rkgen" --version)" = "$("$build/rkgen" --version)" ]'

# Every command has a page, and every option of its --help is in it.
commands=$("$rkgen" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p')
check "rkgen --help lists commands" '[ "$(echo "$commands" | wc -w)" -ge 8 ]'
man1=$prefix/share/man/man1
check "rkgen.1" '[ -f "$man1/rkgen.1" ]'
for c in $commands; do
    page=$man1/rkgen-$c.1
    if [ ! -f "$page" ]; then
        bad "no man page for rkgen $c"
        continue
    fi
    # roff escapes '-' as '\-'; undo it to compare with the help text.
    sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\,//g; s/\\\///g' "$page" >"$work/page.txt"
    missing=""
    for opt in $("$rkgen" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -q -- "$opt" "$work/page.txt" || missing="$missing $opt"
    done
    check "rkgen-$c.1 has every option of 'rkgen $c --help'${missing:+ (missing:$missing)}" '[ -z "$missing" ]'
    check "rkgen-$c.1 is titled RKGEN-${c^^}" 'grep -q "^\.TH RKGEN-${c^^} " "$page"'
done
if command -v man >/dev/null; then
    check "man renders rkgen-emit(1)" 'MANWIDTH=80 man -l "$man1/rkgen-emit.1" 2>/dev/null | grep -q -- "--tableau"'
fi

# The installed program carries its templates: it emits from an empty
# directory, away from the source and build trees.
mkdir "$work/elsewhere"
check "the installed rkgen emits with no data files" '(cd "$work/elsewhere" &&
    "$rkgen" emit "$src/examples/vanderpol.ode" --tableau rk4 --quiet && [ -s vanderpol_rk4.c ])'

# The bash completion, driven the way bash drives it.
complete_words() { # WORD... -> the candidates for the last word
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _rkgen
    printf '%s\n' "${COMPREPLY[@]}"
}
# shellcheck disable=SC1091
. "$prefix/share/bash-completion/completions/rkgen"
check "completion of a command" 'complete_words "$rkgen" em | grep -qx emit'
check "completion of an option" 'complete_words "$rkgen" emit --tab | grep -qx -- --tableau'
check "completion of a tableau" 'complete_words "$rkgen" emit x.ode --tableau dopr | grep -qx dopri5'
check "completion of --real" '[ "$(complete_words "$rkgen" emit --real f)" = float ]'
check "completion of export --to" '[ "$(complete_words "$rkgen" export rk4 --to la)" = latex ]'

# The consumer, against the installed package only.
cp -r "$src/examples/consumer" "$work/consumer"
cb=$work/consumer-build
if cmake -S "$work/consumer" -B "$cb" -DCMAKE_PREFIX_PATH="$prefix" >"$work/cfg.log" 2>&1 &&
    cmake --build "$cb" >"$work/build.log" 2>&1; then
    ok
else
    bad "examples/consumer configures and builds against the installed rkgen"
    tail -20 "$work/cfg.log" "$work/build.log"
fi
check "the consumer's ctest passes (regress against its golden file, then the run)" \
    'ctest --test-dir "$cb" --output-on-failure >"$work/ctest.log" 2>&1 || { cat "$work/ctest.log"; false; }'
check "an unchanged tree regenerates nothing" '! cmake --build "$cb" 2>&1 | grep -q "rkgen: "'
touch "$work/consumer/plant.ode"
check "a changed family regenerates its steppers" \
    '[ "$(cmake --build "$cb" 2>&1 | grep -c "rkgen: plant_")" -eq 3 ]'
# A wrong golden file must fail the user's CI.
sed -i '0,/^at 10 /s/^at 10 \(0x[0-9a-f.]*\)[0-9a-f]p/at 10 \1fp/' "$work/consumer/plant_rk4.golden"
check "a golden file that disagrees fails the consumer's regress test" \
    '! ctest --test-dir "$cb" -R rkgen_regress >/dev/null 2>&1'

# rkgen_add_stepper's bad arguments stop configuration and say why.
bad_config() { # WHAT PATTERN CALL
    mkdir -p "$work/bad"
    cp "$src/examples/consumer/plant.ode" "$work/bad/"
    printf 'cmake_minimum_required(VERSION 3.18)\nproject(b C)\nfind_package(rkgen REQUIRED)\nadd_executable(b b.c)\n%s\n' "$3" \
        >"$work/bad/CMakeLists.txt"
    echo 'int main(void) { return 0; }' >"$work/bad/b.c"
    rm -rf "$work/bad-build"
    if cmake -S "$work/bad" -B "$work/bad-build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/bad.log" 2>&1; then
        bad "$1: configured"
    elif grep -q "$2" "$work/bad.log"; then
        ok
    else
        bad "$1: no '$2' in"; tail -5 "$work/bad.log"
    fi
}
bad_config "no FAMILY" "FAMILY <file.ode> and TABLEAU" 'rkgen_add_stepper(b TABLEAU rk4)'
bad_config "a missing family file" "does not exist" 'rkgen_add_stepper(b FAMILY none.ode TABLEAU rk4)'
bad_config "a missing tableau file" "TABLEAU 'none.json' does not exist" 'rkgen_add_stepper(b FAMILY plant.ode TABLEAU none.json)'
bad_config "a bad REAL" "REAL is double or float" 'rkgen_add_stepper(b FAMILY plant.ode TABLEAU rk4 REAL half)'
bad_config "a bad NAME" "is not a C identifier" 'rkgen_add_stepper(b FAMILY plant.ode TABLEAU rk4 NAME 9x)'
bad_config "no such target" "is not a target" 'rkgen_add_stepper(c FAMILY plant.ode TABLEAU rk4)'
bad_config "ADAPTIVE with GOLDEN" "does not cover ADAPTIVE" 'rkgen_add_stepper(b FAMILY plant.ode TABLEAU dopri5 ADAPTIVE GOLDEN g)'
bad_config "a missing golden file" "write one with" 'rkgen_add_stepper(b FAMILY plant.ode TABLEAU rk4 GOLDEN none.golden)'
bad_config "an unknown argument" "unexpected arguments" 'rkgen_add_stepper(b FAMILY plant.ode TABLEAU rk4 FAST)'

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
