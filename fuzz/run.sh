#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of the wire protocol (fuzz/README.md).
#
#   fuzz/run.sh NAME SECONDS         build NAME, then fuzz it for SECONDS
#   fuzz/run.sh all SECONDS          each target in turn, SECONDS each
#   fuzz/run.sh check                build all, run each once on its seeds, its kept corpus
#                                    and spec/vectors/regressions (quick, no mutation: for CI)
#   fuzz/run.sh build [NAME...]      only build (all targets when none is named)
#   fuzz/run.sh replay NAME FILE...  run NAME once on each FILE (a crash input, say)
#
# Exits non-zero when a target crashes, hangs, breaks an invariant or fails to build.
# Everything it makes goes to fuzz/.build/ (ignored by git).
set -euo pipefail

fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz_dir")"
build="$fuzz_dir/.build"
targets=(frame message connection)

usage() {
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# The Swift file of a target, and the sources compiled in with it.
sources_of() {
    local name=$1
    case "$name" in
        frame) echo "$fuzz_dir/FrameFuzz.swift" ;;
        message) echo "$fuzz_dir/MessageFuzz.swift" ;;
        connection)
            echo "$fuzz_dir/ConnectionFuzz.swift"
            # The reactor's frame splitter depends on the standard library alone.
            echo "$root/Sources/Server/Reactor/FrameDecoder.swift"
            ;;
        *) echo "run.sh: unknown target '$name' (known: ${targets[*]})" >&2; exit 2 ;;
    esac
    find "$root/Sources/Wire" -name '*.swift' | sort
}

# Compiles a target with libFuzzer and AddressSanitizer, unless it is newer than its sources.
build_target() {
    local name=$1 binary="$build/bin/$1"
    local sources
    mapfile -t sources < <(sources_of "$name")
    mkdir -p "$build/bin"

    local stale=1
    if [ -x "$binary" ]; then
        stale=0
        for s in "${sources[@]}" "$0"; do
            [ "$s" -nt "$binary" ] && stale=1 && break
        done
    fi
    [ "$stale" -eq 0 ] && return 0

    echo "fuzz: building $name"
    local started=$SECONDS
    # One module, whole-module optimised: the sanitizers instrument Wire too, and the
    # harness may use Wire's internal types.
    if ! swiftc -module-name "Fuzz_$name" -parse-as-library -swift-version 6 \
        -O -wmo -sanitize=fuzzer,address \
        -I "$root/Sources/CSecp256k1" -I "$root/Sources/CLibCrypto" -I "$root/Sources/CSodium" \
        -lsecp256k1 -lcrypto -lsodium \
        "${sources[@]}" -o "$binary.tmp" 2>"$build/$name.build.log"; then
        cat "$build/$name.build.log" >&2
        echo "fuzz: build of $name failed" >&2
        return 1
    fi
    # gold warns about every ASan helper symbol; anything else is worth showing.
    grep -v "Cannot export local symbol '__asan" "$build/$name.build.log" >&2 || true
    mv "$binary.tmp" "$binary"
    echo "fuzz: built $name in $((SECONDS - started)) s"
}

# The options every run shares. A Swift trap is reported by libFuzzer and ASan; the Swift
# runtime's own backtracer would wait on the crashed process, so it is off.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"

max_len_of() {
    case "$1" in
        connection) echo 16384 ;;
        *) echo 8192 ;;
    esac
}

# Writes the target's seeds from spec/vectors/ and lists its input directories.
input_dirs_of() {
    local name=$1 seeds="$build/seeds/$1"
    python3 "$fuzz_dir/seeds.py" "$name" "$root/spec/vectors" "$seeds" >&2
    echo "$seeds"
    [ -d "$fuzz_dir/corpus/$name" ] && echo "$fuzz_dir/corpus/$name"
    return 0
}

# Runs a target once on every input it has, without mutating them.
check_target() {
    local name=$1 inputs scratch
    build_target "$name"
    mapfile -t inputs < <(input_dirs_of "$name")
    scratch="$(mktemp -d)"
    local status=0
    "$build/bin/$name" -runs=0 -timeout=10 -rss_limit_mb=4096 "$scratch" "${inputs[@]}" \
        >"$build/$name.check.log" 2>&1 || status=$?
    rm -rf "$scratch"
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$build/$name.check.log" >&2
        echo "fuzz: $name FAILED on a kept input (exit $status)" >&2
        return 1
    fi
    local count
    count=$(grep -oE '^#[0-9]+' "$build/$name.check.log" | tail -n 1 | tr -d '#')
    echo "fuzz: $name ran ${count:-0} inputs, no failure"
}

run_target() {
    local name=$1 seconds=$2
    build_target "$name"

    local corpus="$build/corpus/$name"
    local artifacts="$build/artifacts/$name"
    mkdir -p "$corpus" "$artifacts"
    local inputs
    mapfile -t inputs < <(input_dirs_of "$name")

    echo "fuzz: running $name for $seconds s (corpus $corpus)"
    local status=0
    "$build/bin/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -max_len="$(max_len_of "$name")" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$corpus" "${inputs[@]}" \
        >"$build/$name.log" 2>&1 || status=$?
    local summary="^#[0-9]+[[:space:]]+DONE"
    summary+="|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)"
    grep -E "$summary" "$build/$name.log" || true
    echo "fuzz: $name corpus now $(find "$corpus" -type f | wc -l) files"
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$build/$name.log" >&2
        echo "fuzz: $name FAILED (exit $status); inputs in $artifacts, log $build/$name.log" >&2
        return 1
    fi
    echo "fuzz: $name passed"
}

[ $# -ge 1 ] || usage
case "$1" in
    build)
        shift
        [ $# -gt 0 ] || set -- "${targets[@]}"
        for name in "$@"; do build_target "$name"; done
        ;;
    check)
        [ $# -eq 1 ] || usage
        failed=()
        for name in "${targets[@]}"; do
            check_target "$name" || failed+=("$name")
        done
        if [ ${#failed[@]} -gt 0 ]; then
            echo "fuzz: failed: ${failed[*]}" >&2
            exit 1
        fi
        ;;
    replay)
        [ $# -ge 3 ] || usage
        name=$2
        shift 2
        build_target "$name"
        "$build/bin/$name" -runs=1 "$@"
        ;;
    all)
        [ $# -eq 2 ] || usage
        failed=()
        for name in "${targets[@]}"; do
            run_target "$name" "$2" || failed+=("$name")
        done
        if [ ${#failed[@]} -gt 0 ]; then
            echo "fuzz: failed: ${failed[*]}" >&2
            exit 1
        fi
        ;;
    *)
        [ $# -eq 2 ] || usage
        run_target "$1" "$2"
        ;;
esac
