#!/usr/bin/env node
// Installed as the `fleetloop` command. It exists before the build so npm can link it at install
// time; the compiled CLI is in dist/ (run `npm run build` first).
import '../dist/bin.js';
