// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The API server's costs, as ratios within one run (bench/README.md):
// - StartSyncExecution of a one-state Express machine: over keep-alive HTTP on the loopback,
//   through `Server::call` (no HTTP), and the same execution through the C++ API
//   (`Engine::run`). Each reports p50 and p99 latency; the server's overhead per request is
//   the HTTP p50 minus the engine's.
// - Start-up: from `Server::create` on a SQLite store holding 1,000 state machines and
//   100,000 finished executions to the first answered request.
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "stepwise/engine.h"
#include "stepwise/parser.h"
#include "stepwise/server.h"
#include "stepwise/sqlite/checkpoint_store.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kDefinition =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"n.$":"$.n"},"End":true}}})";

void report(benchmark::State& state, std::vector<double>& micros) {
  if (micros.empty()) return;
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
  state.counters["req_per_s"] =
      benchmark::Counter(static_cast<double>(micros.size()), benchmark::Counter::kIsRate);
}

std::unique_ptr<stepwise::Server> make_server(const std::string& machine_type) {
  stepwise::ServerOptions options;
  options.port = 0;
  auto server = stepwise::Server::create(std::move(options));
  if (!server.ok()) return nullptr;
  (*server)->call("CreateStateMachine", {{"name", "bench"},
                                         {"roleArn", "arn:aws:iam::123456789012:role/r"},
                                         {"type", machine_type},
                                         {"definition", kDefinition}});
  return std::move(*server);
}

const std::string kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";

void BM_StartSyncOverHttp(benchmark::State& state) {
  std::unique_ptr<stepwise::Server> server = make_server("EXPRESS");
  if (!server || !server->start().ok()) return state.SkipWithError("server did not start");
  httplib::Client client("127.0.0.1", server->port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // as the AWS SDKs do
  httplib::Headers headers = {{"X-Amz-Target", "AWSStepFunctions.StartSyncExecution"}};
  std::string body = json{{"stateMachineArn", kMachineArn}, {"input", "{\"n\":1}"}}.dump();
  std::vector<double> micros;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto res = client.Post("/", headers, body, "application/x-amz-json-1.0");
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (!res || res->status != 200) return state.SkipWithError("request failed");
  }
  report(state, micros);
  server->stop();
}
BENCHMARK(BM_StartSyncOverHttp)->UseRealTime();

// The floor of any server on this machine: cpp-httplib answering a constant body for the same
// request over the same kind of connection (no parsing, no engine). The server's own cost is
// BM_StartSyncOverHttp minus this, minus BM_SameExecutionThroughEngine.
void BM_HttpFloor(benchmark::State& state) {
  httplib::Server floor;
  floor.set_tcp_nodelay(true);
  std::string answer = json{{"status", "SUCCEEDED"}, {"output", "{\"n\":1}"}}.dump();
  floor.Post("/", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(answer, "application/x-amz-json-1.0");
  });
  int port = floor.bind_to_any_port("127.0.0.1");
  std::thread listener([&] { floor.listen_after_bind(); });
  while (!floor.is_running()) std::this_thread::yield();
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  httplib::Headers headers = {{"X-Amz-Target", "AWSStepFunctions.StartSyncExecution"}};
  std::string body = json{{"stateMachineArn", kMachineArn}, {"input", "{\"n\":1}"}}.dump();
  std::vector<double> micros;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto res = client.Post("/", headers, body, "application/x-amz-json-1.0");
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (!res || res->status != 200) {
      state.SkipWithError("request failed");
      break;
    }
  }
  report(state, micros);
  floor.stop();
  listener.join();
}
BENCHMARK(BM_HttpFloor)->UseRealTime();

void BM_StartSyncThroughCall(benchmark::State& state) {
  std::unique_ptr<stepwise::Server> server = make_server("EXPRESS");
  if (!server || !server->start().ok()) return state.SkipWithError("server did not start");
  json body = {{"stateMachineArn", kMachineArn}, {"input", "{\"n\":1}"}};
  std::vector<double> micros;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto [status, out] = server->call("StartSyncExecution", body);
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (status != 200) return state.SkipWithError(out.dump().c_str());
  }
  report(state, micros);
  server->stop();
}
BENCHMARK(BM_StartSyncThroughCall)->UseRealTime();

void BM_SameExecutionThroughEngine(benchmark::State& state) {
  stepwise::Engine engine;
  auto machine = stepwise::parse_state_machine(kDefinition).machine();
  stepwise::StartOptions so;
  so.express = true;
  so.synchronous = true;
  so.record_history = false;
  so.state_machine_name = "bench";
  std::vector<double> micros;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto r = engine.run(machine, json{{"n", 1}}, so);
    std::string output = r->output.dump();  // the API answers the output as text
    benchmark::DoNotOptimize(output);
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  report(state, micros);
}
BENCHMARK(BM_SameExecutionThroughEngine)->UseRealTime();

// A SQLite file with 1,000 state machines and 100,000 finished executions, made once.
std::string populated_store() {
  std::string path = (std::filesystem::temp_directory_path() / "stepwise_server_bench.db");
  if (std::filesystem::exists(path)) return path;
  auto stores = stepwise::make_server_store("sqlite:" + path + ".tmp");
  if (!stores.ok()) return "";
  stepwise::ServerOptions options;
  options.port = 0;
  options.checkpoint_store = stores->checkpoints;
  options.catalog_store = stores->catalog;
  auto server = stepwise::Server::create(std::move(options));
  if (!server.ok()) return "";
  for (int i = 0; i < 1000; ++i) {
    (*server)->call("CreateStateMachine", {{"name", "m" + std::to_string(i)},
                                           {"roleArn", "arn:aws:iam::123456789012:role/r"},
                                           {"definition", kDefinition}});
  }
  (void)(*server)->start();
  for (int i = 0; i < 100000; ++i) {
    (*server)->call("StartExecution",
                    {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:m" +
                                             std::to_string(i % 1000)},
                     {"name", "e" + std::to_string(i)},
                     {"input", "{\"n\":1}"}});
  }
  // Let the last executions finish before the store is closed.
  for (int tries = 0; tries < 1000; ++tries) {
    auto [status, d] = (*server)->call(
        "DescribeExecution",
        {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:m999:e99999"}});
    if (d.value("status", "") == "SUCCEEDED") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  (*server)->stop();
  server->reset();
  stores->checkpoints.reset();
  stores->catalog.reset();
  std::filesystem::rename(path + ".tmp", path);
  for (const char* ext : {"-wal", "-shm"}) {
    if (std::filesystem::exists(path + ".tmp" + ext)) {
      std::filesystem::rename(path + ".tmp" + ext, path + ext);
    }
  }
  return path;
}

void BM_StartupToFirstAnswer(benchmark::State& state) {
  std::string path = populated_store();
  if (path.empty()) return state.SkipWithError("cannot build the store");
  std::vector<double> micros;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto stores = stepwise::make_server_store("sqlite:" + path);
    stepwise::ServerOptions options;
    options.port = 0;
    options.checkpoint_store = stores->checkpoints;
    options.catalog_store = stores->catalog;
    auto server = stepwise::Server::create(std::move(options));
    if (!server.ok() || !(*server)->start().ok()) return state.SkipWithError("no start");
    httplib::Client client("127.0.0.1", (*server)->port());
    auto res = client.Post("/", {{"X-Amz-Target", "AWSStepFunctions.ListStateMachines"}},
                           "{\"maxResults\":1}", "application/x-amz-json-1.0");
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (!res || res->status != 200) return state.SkipWithError("no answer");
    state.PauseTiming();
    (*server)->stop();
    state.ResumeTiming();
  }
  report(state, micros);
}
BENCHMARK(BM_StartupToFirstAnswer)->UseRealTime()->Iterations(5)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
