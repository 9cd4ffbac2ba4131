#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of the wire protocol (fuzz/README.md).
#
#   fuzz/run.sh NAME SECONDS         build NAME, then fuzz it for SECONDS
#   fuzz/run.sh all SECONDS          each target in turn, SECONDS each
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
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
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

run_target() {
    local name=$1 seconds=$2
    build_target "$name"

    local corpus="$build/corpus/$name" seeds="$build/seeds/$name"
    local artifacts="$build/artifacts/$name"
    mkdir -p "$corpus" "$artifacts"
    python3 "$fuzz_dir/seeds.py" "$name" "$root/spec/vectors" "$seeds"
    local extra=()
    [ -d "$fuzz_dir/corpus/$name" ] && extra+=("$fuzz_dir/corpus/$name")

    echo "fuzz: running $name for $seconds s (corpus $corpus)"
    local status=0
    "$build/bin/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -max_len="$(max_len_of "$name")" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$corpus" "$seeds" "${extra[@]}" \
        >"$build/$name.log" 2>&1 || status=$?
    grep -E "^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" \
        "$build/$name.log" || true
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
