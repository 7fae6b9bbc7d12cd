#!/usr/bin/env bash
# Installs what is missing, builds, and runs `fleetloop up` (the whole loop on embedded defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node packages/cli/bin/fleetloop.js up "$@"
