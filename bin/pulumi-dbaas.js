#!/usr/bin/env node
// Command-line entry point: the compiled CLI lives in dist/, built by `npm ci` (prepare).
require("../dist/cli/main.js").main(process.argv.slice(2));
