// Installs what the project needs on a fresh machine, so `npm run demo` and `npm test` work
// with nothing typed beforehand: npm packages, Debian packages (redis-server, chromium,
// poppler-utils) and the FerretDB binary. Quick when everything is already there.
// Plain Node with no dependencies: it runs before node_modules exists.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const want = new Set(process.argv.slice(2)); // e.g. "browser" to include chromium

function run(cmd, opts = {}) {
  const r = spawnSync('bash', ['-c', cmd], { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`bootstrap: "${cmd}" failed with exit code ${r.status}`);
    process.exit(1);
  }
}

function has(cmd) {
  return spawnSync('bash', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// 1. npm packages: install when node_modules is missing or older than the lock file.
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.package-lock.json');
if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < fs.statSync(lock).mtimeMs) {
  // `npm install` honours package-lock.json. Not `npm ci`: with this registry's settings (no resolved
  // URLs in the lock file), npm 11's ci rejects a lock without other platforms' optional binaries.
  console.log('bootstrap: installing npm packages (npm install, as locked)…');
  run('npm install --no-audit --no-fund');
}

// 2. Debian packages the project runs or tests with.
const debs = [];
if (!process.env.REDIS_URL && !has('redis-server')) debs.push('redis-server');
if (!has('pdftotext')) debs.push('poppler-utils');
if (want.has('browser') && !fs.existsSync('/usr/bin/chromium')) debs.push('chromium');
if (debs.length) {
  console.log(`bootstrap: installing ${debs.join(', ')} with apt-get…`);
  const sudo = process.getuid && process.getuid() === 0 ? '' : 'sudo ';
  run(`${sudo}apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo}apt-get install -y -qq ${debs.join(' ')}`);
}

// 3. FerretDB (only when no MONGO_URL points at a real MongoDB).
if (!process.env.MONGO_URL) {
  const dir = path.join(root, 'scripts', 'ferretdb');
  const bin = path.join(dir, 'ferretdb');
  const newest = Math.max(...['main.go', 'go.mod', 'go.sum', 'build.js'].map((f) => fs.statSync(path.join(dir, f)).mtimeMs));
  if (!fs.existsSync(bin) || fs.statSync(bin).mtimeMs < newest) {
    if (!has('go')) {
      console.error('bootstrap: Go is needed to build FerretDB (scripts/ferretdb); install Go 1.24+ or set MONGO_URL.');
      process.exit(1);
    }
    console.log('bootstrap: building FerretDB (first time takes a minute or two)…');
    run('node build.js', { cwd: dir });
  }
}
