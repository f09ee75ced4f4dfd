// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// JSONata evaluation throughput, compared with jsonata-js by scripts/bench_jsonata (whose peer
// side is bench/jsonata_peer.mjs). Measures:
//
//   jsonata/<name>        one evaluation per iteration of a precompiled `Expression` from
//                         bench/jsonata_expressions.json on its input (a dataset from
//                         bench/jsonata_datasets/, parsed and converted to a `jsonata::Input`
//                         once, outside the loop, as jsonata-js gets a parsed JS object),
//                         reported as evaluations per second (`items_per_second`); the result
//                         is converted to nlohmann::json in every evaluation
//   jsonata_json/<name>   the same through `evaluate(const ordered_json*)`, which converts the
//                         input document on every call
//   workload/jsonata/<w>  the ASL workloads of bench/workloads/jsonata/ (JSONata in every
//                         state) run through `stepwise::Engine` with an in-process echo task
//                         executor, on a virtual clock, without history, reported as state
//                         transitions per second
//
// An expression that fails to compile or evaluates to an error is reported as a skipped
// benchmark. Set STEPWISE_JSONATA_BENCH_PRINT=1 to print every expression's result once (to
// compare with jsonata-js).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/jsonata.h"
#include "stepwise/stepwise.h"

namespace {

using nlohmann::json;
using nlohmann::ordered_json;
namespace jsonata = stepwise::jsonata;

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(STEPWISE_SOURCE_DIR) + "/" + relative);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Case {
  std::string name;
  std::string expr;
  bool has_input = false;
  ordered_json input;  // Pre-parsed, keeping document key order as jsonata-js does.
};

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  ordered_json list = ordered_json::parse(read_file("bench/jsonata_expressions.json"));
  for (const auto& e : list) {
    Case c;
    c.name = e.at("name").get<std::string>();
    c.expr = e.at("expr").get<std::string>();
    if (e.contains("data")) {
      c.has_input = true;
      c.input = e.at("data");
    } else if (e.contains("dataset") && e.at("dataset").is_string()) {
      c.has_input = true;
      c.input = ordered_json::parse(
          read_file("bench/jsonata_datasets/" + e.at("dataset").get<std::string>()));
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

void run_expression(benchmark::State& state, const Case& c, bool preconverted) {
  jsonata::CompileResult compiled = jsonata::Expression::compile(c.expr);
  if (!compiled.ok()) {
    state.SkipWithError(("compile: " + compiled.error().to_string()).c_str());
    return;
  }
  const jsonata::Expression& expr = compiled.expression();
  const ordered_json* input = c.has_input ? &c.input : nullptr;
  const jsonata::Input doc = c.has_input ? jsonata::Input(c.input) : jsonata::Input();
  {
    jsonata::Outcome first = expr.evaluate(doc);
    if (first.is_error()) {
      state.SkipWithError(("evaluate: " + first.error().to_string()).c_str());
      return;
    }
  }
  if (preconverted) {
    for (auto _ : state) {
      jsonata::Outcome out = expr.evaluate(doc);
      benchmark::DoNotOptimize(out);
    }
  } else {
    for (auto _ : state) {
      jsonata::Outcome out = expr.evaluate(input);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetItemsProcessed(state.iterations());
}

class EchoExecutor final : public stepwise::TaskExecutor {
 public:
  void start(const stepwise::TaskRequest& req, stepwise::TaskCompletion done) override {
    done.succeed(*req.input);
  }
};

void run_workload(benchmark::State& state, const std::string& name,
                  std::int64_t transitions_per_run) {
  stepwise::ParseResult parsed =
      stepwise::parse_state_machine(read_file("bench/workloads/jsonata/" + name + ".json"));
  if (!parsed.ok()) {
    state.SkipWithError("workload does not load");
    return;
  }
  json input = json::parse(read_file("bench/workloads/" + name + ".input.json"));
  stepwise::EngineOptions options;
  options.clock = std::make_shared<stepwise::ManualClock>();
  options.task_executor = std::make_shared<EchoExecutor>();
  options.max_history_events = 1000000;
  options.max_payload_bytes = 64 * 1024 * 1024;
  stepwise::Engine engine(std::move(options));
  for (auto _ : state) {
    stepwise::StartOptions start;
    start.record_history = false;
    stepwise::Result<stepwise::ExecutionId> id = engine.start(parsed.machine(), input, start);
    stepwise::Result<stepwise::ExecutionResult> r = engine.run(*id);
    if (!r.ok() || r->status != stepwise::ExecutionStatus::kSucceeded) {
      state.SkipWithError(("execution failed: " + (r.ok() ? r->cause.value_or("") : "")).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->output);
    (void)engine.release(*id);
  }
  state.SetItemsProcessed(state.iterations() * transitions_per_run);
}

void print_results(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    jsonata::CompileResult compiled = jsonata::Expression::compile(c.expr);
    std::string result;
    if (!compiled.ok()) {
      result = "compile error " + compiled.error().to_string();
    } else {
      jsonata::Outcome out = compiled.expression().evaluate(c.has_input ? &c.input : nullptr);
      if (out.is_error())
        result = "error " + out.error().to_string();
      else if (out.is_undefined())
        result = "undefined";
      else if (out.is_function())
        result = "function";
      else
        result = out.value().dump();
    }
    std::cout << c.name << "\t" << result << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  static const std::vector<Case> cases = load_cases();
  if (const char* p = std::getenv("STEPWISE_JSONATA_BENCH_PRINT"); p != nullptr && *p == '1') {
    print_results(cases);
    return 0;
  }
  for (const Case& c : cases) {
    benchmark::RegisterBenchmark(("jsonata/" + c.name).c_str(), [&c](benchmark::State& s) {
      run_expression(s, c, true);
    })->Unit(benchmark::kMicrosecond);
  }
  for (const Case& c : cases) {
    benchmark::RegisterBenchmark(("jsonata_json/" + c.name).c_str(), [&c](benchmark::State& s) {
      run_expression(s, c, false);
    })->Unit(benchmark::kMicrosecond);
  }
  const std::pair<const char*, std::int64_t> workloads[] = {
      {"pass_chain_100", 100}, {"choice_loop", 20001}, {"map_10k", 20001}, {"parallel_fanout", 81}};
  for (const auto& [name, transitions] : workloads) {
    std::string n = name;
    std::int64_t t = transitions;
    benchmark::RegisterBenchmark(("workload/jsonata/" + n).c_str(), [n, t](benchmark::State& s) {
      run_workload(s, n, t);
    })->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
