// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "durable_cmd.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#if STEPWISE_CLI_SQLITE
#include "stepwise/sqlite/checkpoint_store.h"
#endif
#if STEPWISE_CLI_POSTGRES
#include "stepwise/postgres/checkpoint_store.h"
#endif
#include "stepwise/fleet.h"
#include "stepwise/stepwise.h"

namespace stepwise_cli {

const char* const kExecutionsUsage =
    R"(Usage: stepwise executions --checkpoint-db DB [--status STATUS] [--json]

Lists the executions checkpointed in DB (written by `stepwise run --checkpoint-db`): name,
status, start and stop times (UTC), the state each is in and its redrive count; for a
PostgreSQL database also the node holding each execution's lease.
DB is a SQLite file (or sqlite:FILE), or a PostgreSQL database: a URI
(postgresql://user@host:port/db) or postgres:CONNINFO (postgres:host=/run/postgresql dbname=x).
  --status STATUS  only RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED executions
  --json           print a JSON array instead of a table
Exit status: 0, or 2 when DB cannot be read.
)";

bool is_postgres_db(const std::string& db) {
  for (const char* scheme : {"postgresql:", "postgres:"}) {
    if (db.rfind(scheme, 0) == 0) return true;
  }
  return false;
}

namespace {

// Opens the PostgreSQL store named by `db`: a URI as it is, or the conninfo after a
// "postgres:"/"postgresql:" prefix.
std::shared_ptr<stepwise::CheckpointStore> open_postgres_db(const std::string& db,
                                                            std::string& error) {
#if STEPWISE_CLI_POSTGRES
  std::string conninfo = db;
  if (db.find("://") == std::string::npos) conninfo = db.substr(db.find(':') + 1);
  auto store = stepwise::make_postgres_checkpoint_store(conninfo);
  if (!store.ok()) {
    error = store.status().to_string();
    return nullptr;
  }
  return *store;
#else
  (void)db;
  error = "this build has no PostgreSQL checkpoint store (STEPWISE_WITH_POSTGRES=OFF)";
  return nullptr;
#endif
}

}  // namespace

std::shared_ptr<stepwise::CheckpointStore> open_checkpoint_db(const std::string& db,
                                                              std::string& error) {
  if (is_postgres_db(db)) return open_postgres_db(db, error);
  const std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
#if STEPWISE_CLI_SQLITE
  stepwise::SqliteStoreOptions options;
  auto store = stepwise::open_sqlite_checkpoint_store(path, options);
  if (!store.ok()) {
    error = store.status().to_string();
    return nullptr;
  }
  return *store;
#else
  (void)path;
  error = "this build has no SQLite checkpoint store (STEPWISE_WITH_SQLITE=OFF)";
  return nullptr;
#endif
}

namespace {

std::string format_time(std::int64_t nanos) {
  if (nanos == 0) return "-";
  std::time_t secs = static_cast<std::time_t>(nanos / 1000000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The node holding a live lease on each execution, when `store` is a fleet's store; nullopt
// for other stores.
std::optional<std::map<std::string, std::string>> lease_owners(stepwise::CheckpointStore& store) {
  auto* fleet = dynamic_cast<stepwise::FleetStore*>(&store);
  if (fleet == nullptr) return std::nullopt;
  std::map<std::string, std::string> owners;
  auto leases = fleet->list_leases();
  if (leases.ok()) {
    for (const stepwise::Lease& l : *leases) {
      if (!l.expired) owners[l.execution] = l.node;
    }
  }
  return owners;
}

std::string file_of(const std::string& db) {
  return db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
}

}  // namespace

int cmd_executions(int argc, char** argv) {
  std::string db, status;
  bool as_json = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kExecutionsUsage;
      return 0;
    }
    if ((a == "--checkpoint-db" || a == "--status") && i + 1 < argc) {
      (a == "--status" ? status : db) = argv[++i];
    } else if (a == "--json") {
      as_json = true;
    } else {
      std::cerr << "stepwise executions: unexpected argument " << a << "\n" << kExecutionsUsage;
      return 2;
    }
  }
  if (db.empty()) {
    std::cerr << kExecutionsUsage;
    return 2;
  }
  if (!is_postgres_db(db) && !std::filesystem::exists(file_of(db))) {
    std::cerr << "stepwise executions: no such file: " << db << "\n";
    return 2;
  }
  std::string error;
  auto store = open_checkpoint_db(db, error);
  if (!store) {
    std::cerr << "stepwise executions: " << db << ": " << error << "\n";
    return 2;
  }
  stepwise::ExecutionFilter filter;
  filter.status = status;
  auto list = store->list(filter);
  if (!list.ok()) {
    std::cerr << "stepwise executions: " << list.status().to_string() << "\n";
    return 2;
  }
  const auto owners = lease_owners(*store);
  auto owner_of = [&](const std::string& name) -> std::string {
    auto it = owners->find(name);
    return it == owners->end() ? "-" : it->second;
  };
  if (as_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : *list) {
      out.push_back({{"name", s.name},
                     {"stateMachineName", s.state_machine_name},
                     {"status", s.status},
                     {"startDate", format_time(s.start_time)},
                     {"stopDate", s.stop_time == 0 ? nlohmann::json()
                                                   : nlohmann::json(format_time(s.stop_time))},
                     {"state", s.current_state},
                     {"redriveCount", s.redrive_count}});
      if (owners) {
        out.back()["owner"] = owners->count(s.name) ? nlohmann::json(owners->at(s.name)) : nullptr;
      }
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%-28s %-10s %-21s %-21s %-24s %s%s\n", "NAME", "STATUS", "START", "STOP", "STATE",
              owners ? "REDRIVES " : "REDRIVES", owners ? " OWNER" : "");
  for (const auto& s : *list) {
    std::printf("%-28s %-10s %-21s %-21s %-24s ", s.name.c_str(), s.status.c_str(),
                format_time(s.start_time).c_str(), format_time(s.stop_time).c_str(),
                s.current_state.c_str());
    if (owners) {
      std::printf("%-8lld  %s\n", static_cast<long long>(s.redrive_count),
                  owner_of(s.name).c_str());
    } else {
      std::printf("%lld\n", static_cast<long long>(s.redrive_count));
    }
  }
  return 0;
}

}  // namespace stepwise_cli
