// Builds scripts/ferretdb/ferretdb: FerretDB v1.24.1 (embedded, SQLite handler) with one fix.
// Plain Node with no dependencies, called by scripts/bootstrap.js before node_modules matters.
//
// The fix: FerretDB 1.24.1's SQLite backend creates the `_id` index on the expression
// `_ferretdb_sjson->"_id"` but looks documents up by `_ferretdb_sjson->'$._id'`. SQLite only uses an
// expression index for the identical expression, so every find, update and delete by _id scanned the
// whole table (measured: an update by _id took 170 ms at 10,000 documents). The build copies the
// module from Go's module cache into .build/ (not committed), swaps that one constant for the index's
// own expression, and builds against the copy with a generated go.mod that `replace`s the module.
// No FerretDB source is kept in this repository, and the build stops if the line it replaces is not
// there (another FerretDB version: check whether the fix is still needed).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const dir = __dirname;
const MODULE = 'github.com/FerretDB/FerretDB';
const FILE = 'internal/backends/sqlite/metadata/metadata.go';
const SLOW = `IDColumn = DefaultColumn + "->'$._id'"`;
const INDEXED = 'IDColumn = DefaultColumn + `->"_id"`';

function go(args, env) {
  const r = spawnSync('go', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    process.stderr.write(r.stderr || '');
    throw new Error(`go ${args.join(' ')} failed with exit code ${r.status}`);
  }
  return r.stdout;
}

function build() {
  // The checksum database has no entry for FerretDB v1.24.1; go.sum (committed) pins its hash instead.
  const env = { GONOSUMDB: MODULE, GOFLAGS: '-mod=readonly' };
  go(['mod', 'download', MODULE], env);
  const moduleDir = go(['list', '-m', '-f', '{{.Dir}}', MODULE], env).trim();
  const original = path.join(moduleDir, FILE);
  const source = fs.readFileSync(original, 'utf8');
  if (!source.includes(SLOW)) {
    throw new Error(`${FILE} of ${MODULE} no longer has the line this build fixes (${SLOW}); check the fix is still needed`);
  }
  const work = path.join(dir, '.build');
  const copy = path.join(work, 'FerretDB');
  fs.rmSync(work, { recursive: true, force: true });
  fs.cpSync(moduleDir, copy, { recursive: true });
  makeWritable(copy); // the module cache is read-only, and so is a copy of it
  fs.writeFileSync(path.join(copy, FILE), source.replace(SLOW, INDEXED));
  const mod = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8') + `\nreplace ${MODULE} => ${copy}\n`;
  fs.writeFileSync(path.join(work, 'go.mod'), mod);
  fs.copyFileSync(path.join(dir, 'go.sum'), path.join(work, 'go.sum'));
  go(['build', `-modfile=${path.join(work, 'go.mod')}`, '-o', 'ferretdb', '.'], env);
}

function makeWritable(p) {
  fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
  if (fs.statSync(p).isDirectory()) for (const f of fs.readdirSync(p)) makeWritable(path.join(p, f));
}

if (require.main === module) {
  try {
    build();
  } catch (e) {
    console.error(`ferretdb build: ${e.message}`);
    process.exit(1);
  }
}

module.exports = { build };
