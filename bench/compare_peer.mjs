// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Prints Stepwise / peer throughput ratios from a `scripts/bench --peer` run.
// Usage: node compare_peer.mjs ROUND_DIR...
// Each folder holds one round: interpreter_bench.json, peer_<workload>.json and the peak RSS
// files. The rounds alternated the two engines on a shared machine whose slow spells can
// halve either side's speed for a while, so each side's best round is compared (a slow spell
// only ever slows a run down), and the spread of the per-round ratios is shown beside it.
import { readFileSync, existsSync } from 'node:fs';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node compare_peer.mjs ROUND_DIR...');
  process.exit(2);
}
const rounds = dirs.map((dir) => ({
  dir,
  ours: JSON.parse(readFileSync(`${dir}/interpreter_bench.json`, 'utf8')).benchmarks,
}));
// Names carry Google Benchmark's `/real_time` suffix (rates per wall-clock second) and, with
// repetitions, `_median`: the median of the repetitions is used when there is one.
const rateIn = (round, name) => {
  for (const n of [`${name}/real_time_median`, `${name}/real_time`, name]) {
    const b = round.ours.find((x) => x.name === n);
    if (b) return b.items_per_second;
  }
  return undefined;
};
const peerIn = (round, w) => JSON.parse(readFileSync(`${round.dir}/peer_${w}.json`, 'utf8')).transitionsPerSec;
const best = (values) => Math.max(...values.filter((v) => v !== undefined));
const rate = (name) => best(rounds.map((r) => rateIn(r, name)));
const rss = (file) => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim().split('\n').pop()) : NaN);

const rows = [];
for (const w of ['pass_chain_100', 'choice_loop', 'map_10k', 'parallel_fanout', 'retry_catch']) {
  const peer = best(rounds.map((r) => peerIn(r, w)));
  const std = rate(`workload/${w}`);
  const nohist = rate(`no_history/${w}`);
  const perRound = rounds.map((r) => rateIn(r, `workload/${w}`) / peerIn(r, w));
  rows.push({
    workload: w,
    peer_tps: Math.round(peer),
    stepwise_tps: Math.round(std),
    ratio: +(std / peer).toFixed(1),
    no_history_ratio: nohist ? +(nohist / peer).toFixed(1) : null,
    round_ratios: perRound.map((x) => x.toFixed(1)).join(' '),
  });
}
console.log(`${rounds.length} round(s); best round of each side:`);
console.table(rows);
const floor = rate('handcoded/pass_chain_100');
console.log(`pass_chain_100 vs hand-coded floor: ${(floor / rate('workload/pass_chain_100')).toFixed(2)}x slower with history, ` +
            `${(floor / rate('no_history/pass_chain_100')).toFixed(2)}x without`);
const ourRss = Math.max(...rounds.map((r) => rss(`${r.dir}/map_10k.rss`)));
const peerRss = Math.min(...rounds.map((r) => rss(`${r.dir}/peer_map_10k.rss`)));
console.log(`map_10k peak RSS: stepwise ${(ourRss / 1024).toFixed(1)} MiB (highest round), ` +
            `peer ${(peerRss / 1024).toFixed(1)} MiB (lowest round): 1/${(peerRss / ourRss).toFixed(1)}`);
