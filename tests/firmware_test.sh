#!/usr/bin/env bash
# The Van der Pol firmware (examples/firmware) built for a Cortex-M4 with
# FPU and run under QEMU must print the same trajectory, bit for bit, as
# the same program built for the host with -ffp-contract=off, and as
# generated/vanderpol_rk4f.golden; and the same counts and dense outputs
# of the float adaptive solver generated/vanderpol_dopri5f.c, whose
# controller computes its powers itself (newlib's powf is not glibc's).  Installs nothing: without the cross
# toolchain, newlib or QEMU the test exits 77, which ctest reports as
# skipped.  Usage: firmware_test.sh SOURCE_DIR [WORK_DIR]
set -u
src=$1
work=${2:-$(mktemp -d)}
skip() { echo "SKIP: $*"; exit 77; }

command -v arm-none-eabi-gcc >/dev/null 2>&1 || skip "arm-none-eabi-gcc not installed (Debian: gcc-arm-none-eabi)"
command -v qemu-system-arm >/dev/null 2>&1 || skip "qemu-system-arm not installed (Debian: qemu-system-arm)"
case "$(arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 \
        --specs=nano.specs -print-file-name=librdimon_nano.a)" in
    /*) ;;
    *) skip "newlib for arm-none-eabi not installed (Debian: libnewlib-arm-none-eabi)" ;;
esac

rm -rf "$work/firmware"
mkdir -p "$work/firmware"
if ! make -s -C "$src/examples/firmware" OUT="$work/firmware" check; then
    echo "FAIL: firmware and host (or golden file) disagree, or the build failed"
    for f in arm host golden; do
        [ -f "$work/firmware/$f.txt" ] && { echo "--- $f.txt (head)"; head -4 "$work/firmware/$f.txt"; }
    done
    exit 1
fi
# the comparison must have compared something
n=$(grep -c '^at ' "$work/firmware/arm.txt")
[ "$n" -gt 0 ] || { echo "FAIL: the firmware printed no states"; exit 1; }
nd=$(grep -c '^dense ' "$work/firmware/arm.txt")
[ "$nd" -gt 0 ] || { echo "FAIL: the firmware printed no adaptive dense outputs"; exit 1; }
grep '^adaptive ' "$work/firmware/arm.txt" | awk '$4 != 0 { exit 1 }' ||
    { echo "FAIL: an adaptive run did not reach its end"; exit 1; }
if arm-none-eabi-nm "$work/firmware/firmware.elf" | grep -qw 'powf'; then
    echo "FAIL: the adaptive solver links powf"; exit 1
fi
# and the code really ran on the FPU: single-precision instructions, no
# calls into the soft-float double library
arm-none-eabi-objdump -d "$work/firmware/firmware.elf" | grep -q 'vmul.f32' ||
    { echo "FAIL: no vmul.f32 in the firmware"; exit 1; }
if arm-none-eabi-nm "$work/firmware/firmware.elf" | grep -q '__aeabi_d'; then
    echo "FAIL: the float firmware links double-precision arithmetic"; exit 1
fi
echo "PASS: $n states and $nd adaptive dense outputs bit for bit on Cortex-M4 (QEMU) and host, states as the golden file"
