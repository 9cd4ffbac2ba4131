#!/usr/bin/env bash
# Installs the Debian packages the build needs, when any is missing. Needs root (or sudo).
set -euo pipefail

packages=(libsecp256k1-dev libssl-dev liblmdb-dev libsodium-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift 6 is not on PATH" >&2; exit 1; }

# The independent Python implementation in spec/independent checks the protocol with coincurve.
if ! command -v python3 >/dev/null; then
    echo "setup: installing python3 and pip (Debian)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-pip >/dev/null
fi
if ! python3 -c "import coincurve" 2>/dev/null; then
    echo "setup: installing coincurve (PyPI) for spec/independent"
    # Debian's own python3 refuses pip outside a virtual environment (PEP 668); coincurve
    # is a self-contained wheel, so installing it for that python is harmless.
    python3 -m pip install --quiet coincurve 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages coincurve
fi
