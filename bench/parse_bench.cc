// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Loading a definition (STYLE.md section 11). Measures, for generated definitions of about
// 1,000 and 10,000 states:
//   BM_ParseText      parse_state_machine(text): JSON parse, read, validate, compile, fingerprint
//   BM_ParseJson      parse_state_machine(json): the same without the JSON text parse
//   BM_JsonTextOnly   nlohmann::json::parse alone, as the floor the loader builds on
// items_per_second is states loaded per second; time per state should not grow with size
// (linear growth: the 10k/1k time ratio stays near 10).
//
// The loader's work is linear (callgrind: read_machine runs 10.0x the instructions for 10x the
// states; a single cold load of 100k states takes 10.9x the time of 10k). Time per state in
// this loop still rises from 1k to 10k because the 1k working set (JSON document plus one
// `State` per state) stays cached between iterations and the 10k one does not;
// nlohmann::json::parse alone (BM_JsonTextOnly) shows the same rise.
//
// The generated machine is a chain of Pass states with Parameters and ResultPath; every tenth
// state is a Choice with a nested And rule, every tenth (offset) a Task with Retry and Catch,
// and every hundredth a Parallel with two four-state branches or a Map with a four-state
// processor.
//
// Run: cmake --preset release && cmake --build --preset release --target parse_bench &&
//      ./build/release/bench/parse_bench
#include <string>

#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>

#include "stepwise/parser.h"

namespace {

using stepwise::ParseOptions;
using stepwise::ParseResult;

std::string name(std::size_t i) {
  std::string out = std::to_string(i);
  out.insert(out.begin(), 'S');  // not "S" + ...: GCC 12 -Wrestrict false positive
  return out;
}

// `count` Pass states P<prefix>_0 .. _<count-1>, chained, the last one ending.
std::string pass_chain(const std::string& prefix, int count) {
  std::string out = R"({"StartAt":")" + prefix + R"(_0","States":{)";
  for (int j = 0; j < count; ++j) {
    if (j > 0) out += ',';
    out += '"' + prefix + '_' + std::to_string(j) +
           R"(":{"Type":"Pass","Parameters":{"item.$":"$","step":)" + std::to_string(j) + "},";
    out += j + 1 < count ? R"("Next":")" + prefix + '_' + std::to_string(j + 1) + "\"}"
                         : R"("End":true})";
  }
  return out + "}}";
}

// A definition of at least `target` states (nested states included).
std::string generate_definition(std::size_t target) {
  std::string out = R"({"Comment":"generated","StartAt":"S0","States":{)";
  std::size_t count = 0;
  std::size_t i = 0;
  for (; count + 1 < target; ++i) {
    std::string next = R"("Next":")" + name(i + 1) + '"';
    out += '"' + name(i) + "\":";
    if (i % 100 == 50) {
      out += R"({"Type":"Parallel","ResultPath":"$.branches","Branches":[)" +
             pass_chain(name(i) + "a", 4) + "," + pass_chain(name(i) + "b", 4) +
             R"(],"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],)" + next + "}";
      count += 9;
    } else if (i % 100 == 90) {
      out += R"({"Type":"Map","ItemsPath":"$.items","MaxConcurrency":4,)"
             R"("ItemSelector":{"value.$":"$$.Map.Item.Value"},"ResultPath":"$.mapped",)"
             R"("ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},)" +
             pass_chain(name(i) + "m", 4).substr(1) + "," + next + "}";
      count += 5;
    } else if (i % 10 == 3) {
      out += R"({"Type":"Choice","Choices":[)"
             R"({"Variable":"$.value","NumericGreaterThan":5,)" +
             next +
             "},"
             R"({"And":[{"Variable":"$.flag","IsPresent":true},)"
             R"({"Variable":"$.flag","StringEquals":"on"}],)" +
             next +
             "}],"
             R"("Default":")" +
             name(i + 1) + "\"}";
      count += 1;
    } else if (i % 10 == 7) {
      out += R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",)"
             R"("Parameters":{"FunctionName":"worker","Payload.$":"$"},)"
             R"("ResultSelector":{"body.$":"$.Payload"},"ResultPath":"$.task","TimeoutSeconds":30,)"
             R"("Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":1,"MaxAttempts":3,)"
             R"("BackoffRate":2,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],)"
             R"("Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error",)" +
             next + "}]," + next + "}";
      count += 1;
    } else {
      out += R"({"Type":"Pass","Parameters":{"value.$":"$.value","index":)" + std::to_string(i) +
             R"(},"ResultPath":"$.pass",)" + next + "}";
      count += 1;
    }
    out += ',';
  }
  out += '"' + name(i) + R"(":{"Type":"Succeed"}}})";
  return out;
}

ParseOptions options_for(const std::string& text) {
  ParseOptions options;
  options.max_definition_bytes = text.size();
  options.max_states = 1000000;
  return options;
}

void BM_ParseText(benchmark::State& state) {
  std::string text = generate_definition(static_cast<std::size_t>(state.range(0)));
  ParseOptions options = options_for(text);
  ParseResult first = parse_state_machine(text, options);
  if (!first.ok()) {
    state.SkipWithError(first.diagnostics().front().to_string().c_str());
    return;
  }
  std::size_t states = first.machine()->state_count();
  for (auto _ : state) {
    ParseResult result = parse_state_machine(text, options);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * states));
  state.counters["states"] = static_cast<double>(states);
  state.counters["bytes"] = static_cast<double>(text.size());
}

void BM_ParseJson(benchmark::State& state) {
  std::string text = generate_definition(static_cast<std::size_t>(state.range(0)));
  ParseOptions options = options_for(text);
  nlohmann::json doc = nlohmann::json::parse(text);
  ParseResult first = parse_state_machine(doc, options);
  if (!first.ok()) {
    state.SkipWithError(first.diagnostics().front().to_string().c_str());
    return;
  }
  std::size_t states = first.machine()->state_count();
  for (auto _ : state) {
    ParseResult result = parse_state_machine(doc, options);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * states));
  state.counters["states"] = static_cast<double>(states);
}

void BM_JsonTextOnly(benchmark::State& state) {
  std::string text = generate_definition(static_cast<std::size_t>(state.range(0)));
  std::size_t states = parse_state_machine(text, options_for(text)).machine()->state_count();
  for (auto _ : state) {
    nlohmann::json doc = nlohmann::json::parse(text);
    benchmark::DoNotOptimize(doc);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * states));
}

BENCHMARK(BM_ParseText)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseJson)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonTextOnly)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
