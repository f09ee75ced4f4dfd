// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A host program that uses Stepwise as an outside project would: through the public headers
// and the stepwise::stepwise target only (and stepwise::sqlite when STEPWISE_CONSUMER_SQLITE
// is set, stepwise::postgres when STEPWISE_CONSUMER_POSTGRES is).
#include <iostream>

#include "stepwise/stepwise.h"
#if STEPWISE_CONSUMER_SQLITE
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include "stepwise/checkpoint.h"
#include "stepwise/sqlite/checkpoint_store.h"
#endif
#if STEPWISE_CONSUMER_POSTGRES
#include <string>

#include "stepwise/fleet.h"
#include "stepwise/postgres/checkpoint_store.h"
#endif

#if STEPWISE_CONSUMER_POSTGRES
// Links the PostgreSQL store: opening with a connection string libpq cannot parse is a clear
// kInvalidArgument (no server is needed for that).
static int use_postgres_store() {
  auto store = stepwise::make_postgres_checkpoint_store("postgresql://[::1");
  if (store.ok() || store.status().code() != stepwise::StatusCode::kInvalidArgument) {
    std::cerr << "postgres store: unexpected " << store.status().to_string() << '\n';
    return 1;
  }
  std::cout << "consumer: the PostgreSQL store says " << store.status().to_string() << '\n';
  return 0;
}
#endif

#if STEPWISE_CONSUMER_SQLITE
// Opens a SQLite checkpoint store in a temporary file, commits one batch and loads it back.
static int use_sqlite_store() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir =
      fs::temp_directory_path(ec) / ("stepwise-consumer-" + std::to_string(std::random_device{}()));
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  const std::string path = (dir / "checkpoints.db").string();
  int rc = 0;
  {
    auto store = stepwise::open_sqlite_checkpoint_store(path);
    if (!store.ok()) {
      std::cerr << store.status().to_string() << '\n';
      return 1;
    }
    stepwise::CheckpointBatch batch;
    batch.summary.name = "consumer-1";
    batch.summary.version = 1;
    batch.puts.push_back({"execution", "{}"});
    stepwise::Status s = (*store)->commit(batch);
    auto loaded = (*store)->load("consumer-1");
    if (!s.ok() || !loaded.ok() || loaded->records.size() != 1) {
      std::cerr << "sqlite store: " << s.to_string() << ' ' << loaded.status().to_string() << '\n';
      rc = 1;
    } else {
      std::cout << "consumer: committed and loaded a checkpoint in " << path << '\n';
    }
  }
  fs::remove_all(dir, ec);
  return rc;
}
#endif

int main() {
  stepwise::ParseResult parsed = stepwise::parse_state_machine(
      R"({"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":"world","End":true}}})");
  if (!parsed.ok()) {
    for (const auto& d : parsed.diagnostics()) std::cerr << d.to_string() << '\n';
    return 1;
  }
  std::cout << "consumer: loaded a machine of " << parsed.machine()->state_count() << " state(s)\n";
#if STEPWISE_CONSUMER_SQLITE
  if (use_sqlite_store() != 0) return 1;
#endif
#if STEPWISE_CONSUMER_POSTGRES
  if (use_postgres_store() != 0) return 1;
#endif
  return 0;
}
