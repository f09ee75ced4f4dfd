// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The server's catalog: state machines with their versions and aliases, activities, and the
// tags of both, kept in memory behind one mutex and written through to a
// `ServerCatalogStore` as one JSON document per resource ("machine/<name>",
// "activity/<name>"), plus the facts about an execution that the checkpoint store does not
// keep ("execution/<name>": the version or alias it was started through, its mock test case).
#ifndef STEPWISE_SERVER_CATALOG_H_
#define STEPWISE_SERVER_CATALOG_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/server.h"
#include "stepwise/state_machine.h"
#include "stepwise/status.h"

namespace stepwise::internal {

using Tags = std::map<std::string, std::string>;

struct MachineVersion {
  std::int64_t number = 0;
  std::string definition;
  std::string role_arn;
  std::string description;
  std::string revision_id;
  std::int64_t created = 0;  // ns since the epoch
};

struct MachineAlias {
  std::string name;
  std::string description;
  std::vector<std::pair<std::int64_t, int>> routing;  // version number, weight (percent)
  std::int64_t created = 0;
  std::int64_t updated = 0;
};

struct MachineRecord {
  std::string name;
  std::string type = "STANDARD";  // or "EXPRESS"
  std::string definition;
  std::string role_arn;
  std::string description;
  std::string revision_id;
  nlohmann::json logging;  // loggingConfiguration as given (or AWS's default)
  nlohmann::json tracing;  // tracingConfiguration
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::map<std::int64_t, MachineVersion> versions;
  std::int64_t next_version = 1;
  std::map<std::string, MachineAlias> aliases;
  Tags tags;

  // Publishes the current revision as the next version, created at `time`; its number.
  std::int64_t publish(std::string description, std::int64_t time);

  nlohmann::json to_document() const;
  static MachineRecord from_document(const nlohmann::json& doc);
};

struct ActivityRecord {
  std::string name;
  std::int64_t created = 0;
  Tags tags;

  nlohmann::json to_document() const;
  static ActivityRecord from_document(const nlohmann::json& doc);
};

// Facts about an execution beyond its checkpoint.
struct ExecutionNote {
  std::string version_arn;
  std::string alias_arn;
  std::string test_case;
};

class Catalog {
 public:
  explicit Catalog(std::shared_ptr<ServerCatalogStore> store) : store_(std::move(store)) {}

  // Reads every document of the store. An unreadable document is an error naming its key.
  Status load();

  // Everything below is guarded by `mu`; callers lock it around a read-modify-persist.
  std::mutex mu;
  std::map<std::string, MachineRecord> machines;
  std::map<std::string, ActivityRecord> activities;
  std::map<std::string, ExecutionNote> notes;

  // Write-through of one resource (call with `mu` held). Failures throw ApiError
  // InternalServerError (HTTP 500) so nothing is reported as done that was not stored.
  void save_machine(const MachineRecord& m);
  void erase_machine(const std::string& name);
  void save_activity(const ActivityRecord& a);
  void erase_activity(const std::string& name);
  void save_note(const std::string& execution, const ExecutionNote& note);

  // The compiled definition `text` (of a machine of `type`), cached by text.
  std::shared_ptr<const StateMachine> compiled(const std::string& text, bool express);

 private:
  void put(const std::string& key, const nlohmann::json& doc);
  void erase(const std::string& key);

  std::shared_ptr<ServerCatalogStore> store_;
  std::map<std::pair<std::string, bool>, std::shared_ptr<const StateMachine>> compiled_;
};

// A catalog store in memory (nothing survives the process).
std::shared_ptr<ServerCatalogStore> make_memory_catalog_store();
// A catalog store in the SQLite file `path` (table `stepwise_server_catalog`).
Result<std::shared_ptr<ServerCatalogStore>> make_sqlite_catalog_store(const std::string& path);

// A catalog store in PostgreSQL (table `stepwise_server_catalog`), when the server is built
// with the PostgreSQL store.
Result<std::shared_ptr<ServerCatalogStore>> make_postgres_catalog_store(
    const std::string& conninfo);

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_CATALOG_H_
