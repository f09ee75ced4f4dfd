// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Prints Stepwise / peer throughput ratios from one `scripts/bench --peer` run.
import { readFileSync, existsSync } from 'node:fs';

const dir = process.argv[2];
const ours = JSON.parse(readFileSync(`${dir}/interpreter_bench.json`, 'utf8')).benchmarks;
// Names carry Google Benchmark's `/real_time` suffix (rates per wall-clock second) and, with
// repetitions, `_median`: the median of the repetitions is used when there is one.
const rate = (name) => {
  for (const n of [`${name}/real_time_median`, `${name}/real_time`, name]) {
    const b = ours.find((x) => x.name === n);
    if (b) return b.items_per_second;
  }
  return undefined;
};
const rss = (file) => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim().split('\n').pop()) : NaN);
const rows = [];
for (const w of ['pass_chain_100', 'choice_loop', 'map_10k', 'parallel_fanout', 'retry_catch']) {
  const peer = JSON.parse(readFileSync(`${dir}/peer_${w}.json`, 'utf8'));
  const std = rate(`workload/${w}`);
  const nohist = rate(`no_history/${w}`);
  rows.push({
    workload: w,
    peer_tps: Math.round(peer.transitionsPerSec),
    stepwise_tps: Math.round(std),
    ratio: +(std / peer.transitionsPerSec).toFixed(1),
    no_history_ratio: nohist ? +(nohist / peer.transitionsPerSec).toFixed(1) : null,
  });
}
console.table(rows);
const floor = rate('handcoded/pass_chain_100');
console.log(`pass_chain_100 vs hand-coded floor: ${(floor / rate('workload/pass_chain_100')).toFixed(2)}x slower with history, ` +
            `${(floor / rate('no_history/pass_chain_100')).toFixed(2)}x without`);
const ourRss = rss(`${dir}/map_10k.rss`), peerRss = rss(`${dir}/peer_map_10k.rss`);
console.log(`map_10k peak RSS: stepwise ${(ourRss / 1024).toFixed(1)} MiB, peer ${(peerRss / 1024).toFixed(1)} MiB (1/${(peerRss / ourRss).toFixed(1)})`);
