#!/usr/bin/env bash
# Run by the `tests` service of docker-compose.yml before tools/itsm.sh test: gives the
# container a Chrome/Chromium that Odoo's browser tests (tours) can drive, on the PATH as
# `chromium`, where both tools/itsm.sh and Odoo look for it.
#
# The odoo:18.0 image is Ubuntu 24.04, whose chromium packages only install a wrapper around
# a snap, and snaps do not run in a container. So, unless a working browser is already there,
# this installs Playwright's build of Chromium (Playwright itself is a Python package), keeps both
# in $ITSM_BROWSER_CACHE (a named volume, so later runs download nothing), installs the system
# libraries Chromium needs (the container is new on every run) and links the browser.
set -euo pipefail

CACHE="${ITSM_BROWSER_CACHE:-/var/cache/itsm-browser}"
PLAYWRIGHT_SPEC="${ITSM_PLAYWRIGHT_SPEC:-playwright>=1.49,<2}"
PW_LIB="$CACHE/playwright"
export PLAYWRIGHT_BROWSERS_PATH="$CACHE/browsers"

works() {
    timeout 60 "$1" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --dump-dom about:blank >/dev/null 2>&1
}

for bin in google-chrome chromium chromium-browser google-chrome-stable; do
    if path="$(command -v "$bin")" && works "$path"; then
        echo "Browser for the tests: $path"
        exit 0
    fi
done

pw() { PYTHONPATH="$PW_LIB" python3 -m playwright "$@"; }

mkdir -p "$CACHE"
if ! PYTHONPATH="$PW_LIB" python3 -c 'import playwright' >/dev/null 2>&1; then
    echo "Installing Playwright into $PW_LIB..."
    # --target keeps it (and its pinned dependencies) out of the system's Python packages.
    python3 -m pip install --quiet --target "$PW_LIB" "$PLAYWRIGHT_SPEC"
fi
echo "Installing the system libraries Chromium needs..."
pw install-deps chromium >/dev/null
echo "Installing Chromium into $PLAYWRIGHT_BROWSERS_PATH (once per volume)..."
pw install chromium

chrome="$(PYTHONPATH="$PW_LIB" python3 -c '
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    print(p.chromium.executable_path)
')"
[ -x "$chrome" ] || { echo "error: Playwright gave no Chromium executable ($chrome)" >&2; exit 1; }
ln -sf "$chrome" /usr/local/bin/chromium
works /usr/local/bin/chromium || { echo "error: $chrome does not start" >&2; exit 1; }
echo "Browser for the tests: /usr/local/bin/chromium -> $chrome"
