#!/bin/sh
# size.sh [OUT] - code size and stack use of the generated Van der Pol
# steppers on a Cortex-M4 with FPU, float and double, at -O2 and -Os:
# text and data bytes of the object (arm-none-eabi-size) and the stack
# frame of each function (-fstack-usage).  The numbers in docs/embedded.md
# come from here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
gen=$here/../../generated
out=${1:-build}/size
mkdir -p "$out"
cpu="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
printf '%-16s %-4s %6s %6s  %s\n' stepper opt text data "stack bytes per function"
for prefix in vanderpol_rk4f vanderpol_rk4; do
    for opt in -O2 -Os; do
        obj=$out/$prefix$opt.o
        arm-none-eabi-gcc $cpu -std=c99 $opt -ffp-contract=off -fstack-usage \
            -c "$gen/$prefix.c" -o "$obj"
        set -- $(arm-none-eabi-size "$obj" | awk 'NR == 2 { print $1, $2 }')
        stack=$(awk -F'\t' '{ sub(/.*:/, "", $1); sub(/^'"$prefix"'_/, "", $1); printf "%s%s %s", sep, $1, $2; sep = ", " }' \
            "${obj%.o}.su")
        printf '%-16s %-4s %6s %6s  %s\n' "$prefix" "$opt" "$1" "$2" "$stack"
    done
done
