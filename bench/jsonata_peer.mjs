// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The reference side of scripts/bench_jsonata: evaluates every expression of
// bench/jsonata_expressions.json with jsonata-js (compiled once, inputs parsed once), after a
// warm-up, in a timed loop of about 0.5 s, and prints one JSON line per expression:
//   {"name": "...", "evals_per_sec": 123456.7}
//
// Usage: node bench/jsonata_peer.mjs [--peer-dir DIR] [--filter REGEX] [--seconds S]
// DIR holds node_modules/jsonata (default $STEPWISE_PEER_DIR or /tmp/peers).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
function opt(name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
}
const peerDir = opt('--peer-dir', process.env.STEPWISE_PEER_DIR || '/tmp/peers');
const filter = new RegExp(opt('--filter', '.*'));
const seconds = Number(opt('--seconds', '0.5'));

const require = createRequire(path.join(peerDir, 'package.json'));
const jsonata = require('jsonata');

const exprs = JSON.parse(readFileSync(path.join(here, 'jsonata_expressions.json'), 'utf8'));

function loadInput(e) {
  if (e.data !== undefined) return e.data;
  if (e.dataset === null || e.dataset === undefined) return undefined;
  return JSON.parse(readFileSync(path.join(here, 'jsonata_datasets', e.dataset), 'utf8'));
}

for (const e of exprs) {
  if (!filter.test(e.name)) continue;
  const compiled = jsonata(e.expr);
  const input = loadInput(e);
  // jsonata-js 2.x evaluate() is async; await each call, as a host would.
  let sink;
  const warmEnd = performance.now() + 200;
  while (performance.now() < warmEnd) sink = await compiled.evaluate(input);
  let n = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < batch; ++i) sink = await compiled.evaluate(input);
    n += batch;
    elapsed = performance.now() - start;
    if (batch < 4096) batch *= 2;
  }
  if (sink === Symbol.for('never')) console.error('unreachable');
  console.log(JSON.stringify({ name: e.name, evals_per_sec: n / (elapsed / 1000) }));
}
