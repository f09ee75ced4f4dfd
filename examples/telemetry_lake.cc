// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Telemetry ETL at data-lake scale (examples/telemetry_lake.asl.json): a Distributed Map lists
// the event files of a local "lake" bucket (ItemReader s3:listObjectsV2), hands them four at a
// time to child executions (ItemBatcher), whose Task aggregates the events of its files on a
// thread pool, and exports the aggregates with a ResultWriter (manifest.json plus
// SUCCEEDED_n.json). Buckets are local directories (`LocalObjectStore`); the definition deploys
// to AWS unchanged with real buckets.
//
// Usage: example_telemetry_lake [--files N] [--events-per-file M] [--dir DIR]
// Without --dir, the lake and results go to a fresh directory under /tmp (printed).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>

#include "stepwise/local_object_store.h"
#include "stepwise/stepwise.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Writes `files` JSON Lines files of `events` player events each under <lake>/events/.
void generate(const fs::path& lake, int files, int events) {
  static const char* kTypes[] = {"login", "match_start", "match_end", "purchase", "logout"};
  std::mt19937 rng(42);
  fs::create_directories(lake / "events");
  for (int f = 0; f < files; ++f) {
    char name[64];
    std::snprintf(name, sizeof name, "events/day-%03d.jsonl", f);
    std::ofstream out(lake / name);
    for (int e = 0; e < events; ++e) {
      json ev = {{"player", "p" + std::to_string(rng() % 500)},
                 {"type", kTypes[rng() % 5]},
                 {"ms", static_cast<int>(rng() % 60000)}};
      out << ev.dump() << '\n';
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  int files = 40, events = 2500;
  fs::path dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--files")
      files = std::atoi(argv[i + 1]);
    else if (a == "--events-per-file")
      events = std::atoi(argv[i + 1]);
    else if (a == "--dir")
      dir = argv[i + 1];
  }
  if (dir.empty())
    dir = fs::temp_directory_path() / ("stepwise-lake-" + std::to_string(::getpid()));
  fs::path lake = dir / "lake", results = dir / "results";
  generate(lake, files, events);
  std::cout << "lake: " << files << " files x " << events << " events in " << lake << "\n";

  std::ifstream def_in(std::string(STEPWISE_EXAMPLES_DIR) + "/telemetry_lake.asl.json");
  std::string def((std::istreambuf_iterator<char>(def_in)), std::istreambuf_iterator<char>());
  stepwise::ParseResult parsed = stepwise::parse_state_machine(def);
  if (!parsed.ok()) {
    for (const auto& d : parsed.diagnostics()) std::cerr << d.to_string() << "\n";
    return 2;
  }

  auto store = std::make_shared<stepwise::LocalObjectStore>();
  store->add_bucket("lake", lake);
  store->add_bucket("results", results);
  // The Task: read this batch's files (from the lake directory) and count events by type.
  auto aggregate = [lake](const json& in) {
    std::map<std::string, std::int64_t> by_type;
    std::int64_t total_ms = 0, n = 0;
    for (const json& f : in["files"]) {
      std::ifstream file(lake / f["key"].get<std::string>());
      for (std::string line; std::getline(file, line);) {
        json ev = json::parse(line);
        ++by_type[ev["type"].get<std::string>()];
        total_ms += ev["ms"].get<std::int64_t>();
        ++n;
      }
    }
    return json{{"files", in["files"].size()},
                {"events", n},
                {"byType", by_type},
                {"avgMs", n > 0 ? total_ms / n : 0}};
  };
  stepwise::EngineOptions options;
  options.object_store = store;
  options.task_executor = std::make_shared<stepwise::ThreadPoolExecutor>(2, aggregate);
  stepwise::Engine engine(std::move(options));
  stepwise::StartOptions start;
  start.name = "lake-etl";
  auto id = engine.start(parsed.machine(), json{{"lake", "lake"}}, start);
  if (!id.ok()) return 2;
  auto result = engine.run(*id);
  std::cout << result->to_json().dump(2) << "\n";
  auto runs = engine.list_map_runs(*id);
  for (const auto& run : *runs) {
    std::cout << "map run: " << run.to_json().dump() << "\n";
  }
  if (result->status != stepwise::ExecutionStatus::kSucceeded) return 1;
  fs::path manifest = results / result->output["ResultWriterDetails"]["Key"].get<std::string>();
  std::ifstream mf(manifest);
  json m = json::parse(mf);
  std::int64_t events_total = 0;
  for (const json& f : m["ResultFiles"]["SUCCEEDED"]) {
    std::ifstream rf(results / f["Key"].get<std::string>());
    for (const json& agg : json::parse(rf)) events_total += agg["events"].get<std::int64_t>();
  }
  std::cout << "manifest: " << manifest << "\n"
            << "events aggregated: " << events_total << " (expected " << files * events << ")\n";
  return events_total == static_cast<std::int64_t>(files) * events ? 0 : 1;
}
