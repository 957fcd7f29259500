#!/usr/bin/env bash
# Fuzzes the parsers and mappings that read what the APIs answer, with libFuzzer, for a bounded time.
#
#   scripts/fuzz.sh [seconds-per-target] [target...]     (default: 60 seconds; json pages csv http)
#
# Builds the harness (Sources/SessionSyncFuzz) with -sanitize=fuzzer,address in .build-fuzz,
# writes a fresh seed corpus from the simulators' answers into .fuzz/seeds, then runs each target
# for the given time, growing its corpus in .fuzz/corpus/<target>. Exits non-zero when any target
# crashed (or hung); the input is kept in .fuzz/crashes/<target>/ with a command that replays it.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(json pages csv http)
case "$seconds" in '' | *[!0-9]*) echo "fuzz: seconds-per-target must be a whole number, not '$seconds'" >&2; exit 2 ;; esac

work=.fuzz
build=(swift build --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address --product sessionsync-fuzz)
export SESSIONSYNC_FUZZ=1
# Swift's own crash reporter would take a trap over from libFuzzer, which then neither writes the
# input nor exits; libFuzzer and AddressSanitizer print the stack themselves.
export SWIFT_BACKTRACE=enable=no

echo "fuzz: building the harness (${build[*]})"
# The gold linker warns once per AddressSanitizer helper symbol ("Cannot export local symbol"): noise.
"${build[@]}" 2>&1 | { grep -v "Cannot export local symbol" || true; }
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: the harness did not build"; exit 1; }
binary="$("${build[@]}" --show-bin-path)/sessionsync-fuzz"

rm -rf "$work/seeds"
"$binary" --write-seeds "$work/seeds" || { echo "fuzz: writing the seed corpus failed"; exit 1; }

failed=0
summary=()
for target in "${targets[@]}"; do
    corpus="$work/corpus/$target"
    crashes="$work/crashes/$target"
    log="$work/logs/$target.log"
    mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
    before=$(find "$crashes" -type f | wc -l)
    echo "fuzz: $target for ${seconds}s (log: $log)"
    # -timeout: an input that takes this long is reported as a hang (a loop on hostile input).
    SESSIONSYNC_FUZZ_TARGET="$target" "$binary" "$corpus" "$work/seeds/$target" \
        -max_total_time="$seconds" -print_final_stats=1 -timeout=25 -artifact_prefix="$crashes/" >"$log" 2>&1
    status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    inputs=$(find "$corpus" -type f | wc -l)
    new=$(( $(find "$crashes" -type f | wc -l) - before ))
    summary+=("fuzz: $target: ${executions:-0} executions, corpus ${inputs} inputs, ${new} crash(es), exit status $status")
    if [ "$status" -ne 0 ]; then
        failed=1
        echo "fuzz: $target FAILED (exit status $status); what libFuzzer reported:"
        grep -v "^#[0-9]" "$log" | grep -E -A 40 "==[0-9]+==|Fatal error|deadly signal|ALARM|out-of-memory" | head -n 80
        sed -n 's/.*Test unit written to //p' "$log" | while read -r artifact; do
            echo "fuzz: input: $artifact ($(wc -c <"$artifact") bytes)"
            echo "fuzz: replay: SWIFT_BACKTRACE=enable=no SESSIONSYNC_FUZZ_TARGET=$target $binary $artifact"
        done
    fi
done

printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
    echo "fuzz: a target crashed or hung; see above"
    exit 1
fi
echo "fuzz: no crash in ${#targets[@]} target(s) x ${seconds}s"
