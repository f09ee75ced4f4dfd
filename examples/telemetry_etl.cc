// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Game-telemetry ETL, run in-process with C++ task executors (the definition is
// examples/telemetry_etl.asl.json; the same file deploys to AWS Step Functions unchanged).
//
//   ListBatches ──► ProcessBatches (Map, 4 at a time) ──► Summarize
//                     │
//                     └─ Validate ──► Aggregate (Parallel) ──────────────► Load ──► (end)
//                          │            ├─ CountEvents                     ▲  │
//                          │            ├─ SumPlaytime                     └──┘ Retry on
//                          │            └─ TopPlayer                          Warehouse.Busy
//                          └─ Catch Telemetry.PoisonBatch ──► DeadLetter ──► (end)
//
// The executors work on generated sample data: a seeded generator makes each batch of player
// events, one batch in seven is corrupt ("poison"), and the warehouse answers "busy" on the
// first attempt for every third batch. A virtual clock makes the retry backoff instant.
//
// Usage: example_telemetry_etl [DEFINITION] [--batches N]
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>

#include "stepwise/stepwise.h"

namespace {

using nlohmann::json;
using namespace stepwise;

// Deterministic sample data: batch `id` of a day's telemetry.
json make_batch_events(int id) {
  std::mt19937 rng(static_cast<unsigned>(id) * 7919u + 17u);
  std::uniform_int_distribution<int> player(1, 40), seconds(30, 3600), count(20, 60);
  json events = json::array();
  int n = count(rng);
  for (int i = 0; i < n; ++i) {
    events.push_back({{"player", "player-" + std::to_string(player(rng))},
                      {"type", i % 5 == 0 ? "match_end" : "heartbeat"},
                      {"playtime", seconds(rng)}});
  }
  return events;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<ExecutorRouter> make_executors() {
  auto router = std::make_shared<ExecutorRouter>();
  router->route("arn:aws:states:::telemetry:listBatches",
                std::make_shared<FunctionExecutor>([](const json& in) {
                  json batches = json::array();
                  for (int i = 0; i < in.at("batchCount").get<int>(); ++i) {
                    batches.push_back({{"id", "batch-" + std::to_string(i)},
                                       {"events", make_batch_events(i)},
                                       {"corrupt", i % 7 == 3}});
                  }
                  return batches;
                }));
  router->route("arn:aws:states:::telemetry:validate",
                std::make_shared<FunctionExecutor>([](const json& in) -> json {
                  const json& batch = in.at("batch");
                  if (batch.value("corrupt", false)) {
                    throw TaskError("Telemetry.PoisonBatch", batch.at("id").get<std::string>() +
                                                                 " has events without a player id");
                  }
                  return {{"valid", true}, {"events", batch.at("events").size()}};
                }));
  router->route("arn:aws:states:::telemetry:countEvents",
                std::make_shared<FunctionExecutor>([](const json& in) {
                  return json{{"events", in.at("batch").at("events").size()}};
                }));
  router->route("arn:aws:states:::telemetry:sumPlaytime",
                std::make_shared<FunctionExecutor>([](const json& in) {
                  long total = 0;
                  for (const json& e : in.at("batch").at("events"))
                    total += e.at("playtime").get<long>();
                  return json{{"playtimeSeconds", total}};
                }));
  router->route("arn:aws:states:::telemetry:topPlayer",
                std::make_shared<FunctionExecutor>([](const json& in) {
                  std::map<std::string, long> per_player;
                  for (const json& e : in.at("batch").at("events")) {
                    per_player[e.at("player").get<std::string>()] += e.at("playtime").get<long>();
                  }
                  auto best = per_player.begin();
                  for (auto it = per_player.begin(); it != per_player.end(); ++it) {
                    if (it->second > best->second) best = it;
                  }
                  return json{{"topPlayer", {{"player", best->first}, {"playtime", best->second}}}};
                }));
  // The warehouse is busy on the first attempt for every third batch.
  auto attempts = std::make_shared<std::map<std::string, int>>();
  router->route("arn:aws:states:::warehouse:load",
                std::make_shared<FunctionExecutor>([attempts](const json& in) -> json {
                  std::string id = in.at("batchId").get<std::string>();
                  int n = (*attempts)[id]++;
                  int index = std::stoi(id.substr(id.find('-') + 1));
                  if (index % 3 == 0 && n == 0) {
                    throw TaskError("Warehouse.Busy", "the warehouse is compacting, try again");
                  }
                  return {{"batchId", id}, {"rows", in.at("aggregates").at("events")}};
                }));
  return router;
}

}  // namespace

int main(int argc, char** argv) {
  std::string definition_path = std::string(STEPWISE_EXAMPLES_DIR) + "/telemetry_etl.asl.json";
  int batches = 12;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--batches" && i + 1 < argc) {
      batches = std::atoi(argv[++i]);
    } else {
      definition_path = a;
    }
  }

  ParseResult parsed = parse_state_machine(read_file(definition_path));
  if (!parsed.ok()) {
    for (const Diagnostic& d : parsed.diagnostics()) {
      std::cerr << definition_path << ":" << d.to_string() << "\n";
    }
    return 2;
  }
  std::cout << "Loaded " << definition_path << ": " << parsed.machine()->state_count()
            << " states\n";

  auto clock = std::make_shared<ManualClock>();
  std::int64_t started = clock->now();
  EngineOptions options;
  options.clock = clock;  // virtual time: the retry backoff costs no real time
  options.task_executor = make_executors();
  Engine engine(std::move(options));

  StartOptions start;
  start.name = "telemetry-2026-11-26";
  start.state_machine_name = "TelemetryEtl";
  Result<ExecutionId> id =
      engine.start(parsed.machine(), {{"day", "2026-11-26"}, {"batchCount", batches}}, start);
  if (!id.ok()) {
    std::cerr << id.status().to_string() << "\n";
    return 2;
  }
  Result<ExecutionResult> result = engine.run(*id);
  if (!result.ok()) {
    std::cerr << result.status().to_string() << "\n";
    return 2;
  }

  // What ran, from the history.
  const History& history = **engine.history(*id);
  std::map<std::string, int> entered;
  int retries = 0, caught = 0;
  for (const HistoryEvent& e : history) {
    std::string type(e.type);
    if (type.size() > 12 && type.compare(type.size() - 12, 12, "StateEntered") == 0) {
      ++entered[e.details.value("name", "")];
    }
    if (type == "TaskFailed" && e.details.value("error", "") == "Warehouse.Busy") ++retries;
    if (type == "TaskFailed" && e.details.value("error", "") == "Telemetry.PoisonBatch") ++caught;
  }

  std::cout << "Execution " << start.name << ": " << execution_status_name(result->status)
            << " after " << history.size() << " history events, "
            << (clock->now() - started) / 1000000000 << " s of virtual time\n";
  std::cout << "States entered:";
  for (const auto& [name, n] : entered) std::cout << " " << name << "x" << n;
  std::cout << "\nRetries of Load after Warehouse.Busy: " << retries
            << "; poison batches routed to DeadLetter: " << caught << "\n";
  if (result->status != ExecutionStatus::kSucceeded) {
    std::cout << "Error: " << result->error.value_or("") << ": " << result->cause.value_or("")
              << "\n";
    return 1;
  }
  std::cout << "Per batch:\n";
  long rows = 0;
  for (const json& r : result->output.at("results")) {
    std::string status = r.value("status", "");
    std::printf("  %-9s %-11s", r.value("batchId", "").c_str(), status.c_str());
    if (status == "loaded") {
      rows += r.value("rows", 0L);
      std::printf(" %3ld events\n", r.value("rows", 0L));
    } else {
      std::printf(" %s\n", r.value("reason", "").c_str());
    }
  }
  std::cout << "Loaded " << rows << " events from " << result->output.at("batches")
            << " batches.\n";
  return 0;
}
