#!/usr/bin/env bash
# Installs what the tests need from Debian's packages, once: Chromium for the browser tests and
# redis-server for the scale-out test (tests/integration/scale-out.test.ts starts its own on
# loopback). A no-op when both are installed; fails loudly when they cannot be installed.
set -euo pipefail
packages=()
if [ ! -x /usr/bin/chromium ]; then packages+=(chromium fonts-noto-core); fi
if ! command -v redis-server >/dev/null 2>&1; then packages+=(redis-server); fi
if [ ${#packages[@]} -eq 0 ]; then exit 0; fi
echo "Installing ${packages[*]} from Debian's packages for the tests..."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
# The package may start a system-wide server (where an init system runs): the test does not use it.
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is still missing after the install"; exit 1; }
