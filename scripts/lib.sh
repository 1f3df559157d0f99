# Shared helpers for scripts/run and scripts/test. Source it; do not run it.

# ensure_apt PKG...: installs the Debian packages that are not installed yet (apt-get update once).
ensure_apt() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_pip MODULE=PACKAGE...: installs PyPI packages whose module cannot be imported.
ensure_pip() {
    local missing=()
    for spec in "$@"; do
        local mod=${spec%%=*} pkg=${spec#*=}
        python3 -c "import $mod" 2>/dev/null || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing PyPI packages: ${missing[*]}"
    # Debian's own python3 refuses pip installs outside a venv (PEP 668); the packages here are
    # test-only clients, so allow it there rather than fail.
    python3 -m pip install -q "${missing[@]}" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "${missing[@]}"
}

# The build and runtime libraries GovMail needs.
BUILD_PACKAGES=(libssl-dev libsqlite3-dev libcrypt-dev openssl pkg-config)
