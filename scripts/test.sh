#!/usr/bin/env bash
# Installs what is missing, builds, and runs every check: type-check, lint, format, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
