# testlib.sh - shared by the shell tests: counters, expectations and the
# closing "N passed, N failed" line.  Sourced; expects $work to be set.
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect STATUS DESCRIPTION -- COMMAND...: the command's stdout and
# stderr go to $work/out and $work/err.
expect() {
    local want=$1 what=$2
    shift 3
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, want $want"; sed 's/^/    /' "$work/err" | head -5; fi
}

empty_dir() { [ -z "$(ls -A "$1")" ]; }

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
