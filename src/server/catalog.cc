// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The server's catalog (catalog.h), its documents, and the memory and SQLite catalog stores.
#include "server/catalog.h"

#include <sqlite3.h>

#include "server/api_error.h"
#include "stepwise/parser.h"
#include "stepwise/sqlite/checkpoint_store.h"

namespace stepwise::internal {

using nlohmann::json;

namespace {

json tags_to_json(const Tags& tags) {
  json out = json::object();
  for (const auto& [k, v] : tags) out[k] = v;
  return out;
}

Tags tags_from_json(const json& j) {
  Tags out;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

}  // namespace

std::int64_t MachineRecord::publish(std::string description, std::int64_t time) {
  std::int64_t number = next_version++;
  versions[number] =
      MachineVersion{number, definition, role_arn, std::move(description), revision_id, time};
  return number;
}

json MachineRecord::to_document() const {
  json versions_doc = json::array();
  for (const auto& [n, v] : versions) {
    versions_doc.push_back({{"number", n},
                            {"definition", v.definition},
                            {"roleArn", v.role_arn},
                            {"description", v.description},
                            {"revisionId", v.revision_id},
                            {"created", v.created}});
  }
  json aliases_doc = json::array();
  for (const auto& [n, a] : aliases) {
    json routing = json::array();
    for (const auto& [version, weight] : a.routing) routing.push_back({version, weight});
    aliases_doc.push_back({{"name", a.name},
                           {"description", a.description},
                           {"routing", routing},
                           {"created", a.created},
                           {"updated", a.updated}});
  }
  return {{"name", name},
          {"type", type},
          {"definition", definition},
          {"roleArn", role_arn},
          {"description", description},
          {"revisionId", revision_id},
          {"logging", logging},
          {"tracing", tracing},
          {"created", created},
          {"updated", updated},
          {"versions", versions_doc},
          {"nextVersion", next_version},
          {"aliases", aliases_doc},
          {"tags", tags_to_json(tags)}};
}

MachineRecord MachineRecord::from_document(const json& doc) {
  MachineRecord m;
  m.name = doc.at("name").get<std::string>();
  m.type = doc.at("type").get<std::string>();
  m.definition = doc.at("definition").get<std::string>();
  m.role_arn = doc.at("roleArn").get<std::string>();
  m.description = doc.value("description", "");
  m.revision_id = doc.value("revisionId", "");
  m.logging = doc.value("logging", json());
  m.tracing = doc.value("tracing", json());
  m.created = doc.at("created").get<std::int64_t>();
  m.updated = doc.at("updated").get<std::int64_t>();
  for (const json& v : doc.at("versions")) {
    MachineVersion ver;
    ver.number = v.at("number").get<std::int64_t>();
    ver.definition = v.at("definition").get<std::string>();
    ver.role_arn = v.at("roleArn").get<std::string>();
    ver.description = v.value("description", "");
    ver.revision_id = v.value("revisionId", "");
    ver.created = v.at("created").get<std::int64_t>();
    m.versions[ver.number] = std::move(ver);
  }
  m.next_version = doc.at("nextVersion").get<std::int64_t>();
  for (const json& a : doc.at("aliases")) {
    MachineAlias al;
    al.name = a.at("name").get<std::string>();
    al.description = a.value("description", "");
    for (const json& r : a.at("routing")) {
      al.routing.emplace_back(r.at(0).get<std::int64_t>(), r.at(1).get<int>());
    }
    al.created = a.at("created").get<std::int64_t>();
    al.updated = a.at("updated").get<std::int64_t>();
    m.aliases[al.name] = std::move(al);
  }
  m.tags = tags_from_json(doc.value("tags", json::object()));
  return m;
}

json ActivityRecord::to_document() const {
  return {{"name", name}, {"created", created}, {"tags", tags_to_json(tags)}};
}

ActivityRecord ActivityRecord::from_document(const json& doc) {
  ActivityRecord a;
  a.name = doc.at("name").get<std::string>();
  a.created = doc.at("created").get<std::int64_t>();
  a.tags = tags_from_json(doc.value("tags", json::object()));
  return a;
}

Status Catalog::load() {
  Result<std::map<std::string, std::string>> docs = store_->load_all();
  if (!docs.ok()) return docs.status();
  std::lock_guard<std::mutex> lock(mu);
  for (const auto& [key, text] : *docs) {
    try {
      json doc = json::parse(text);
      if (key.rfind("machine/", 0) == 0) {
        MachineRecord m = MachineRecord::from_document(doc);
        machines[m.name] = std::move(m);
      } else if (key.rfind("activity/", 0) == 0) {
        ActivityRecord a = ActivityRecord::from_document(doc);
        activities[a.name] = std::move(a);
      } else if (key.rfind("execution/", 0) == 0) {
        notes[key.substr(10)] = ExecutionNote{doc.value("versionArn", ""),
                                              doc.value("aliasArn", ""), doc.value("testCase", "")};
      }
    } catch (const json::exception& e) {
      return data_loss_error("the server catalog's document '" + key +
                             "' is unreadable: " + e.what());
    }
  }
  return {};
}

void Catalog::put(const std::string& key, const json& doc) {
  Status s = store_->put(key, doc.dump());
  if (!s.ok()) {
    throw ApiError("InternalServerError", "The catalog could not be written: " + s.message(), 500);
  }
}

void Catalog::erase(const std::string& key) {
  Status s = store_->erase(key);
  if (!s.ok()) {
    throw ApiError("InternalServerError", "The catalog could not be written: " + s.message(), 500);
  }
}

void Catalog::save_machine(const MachineRecord& m) { put("machine/" + m.name, m.to_document()); }
void Catalog::erase_machine(const std::string& name) { erase("machine/" + name); }
void Catalog::save_activity(const ActivityRecord& a) { put("activity/" + a.name, a.to_document()); }
void Catalog::erase_activity(const std::string& name) { erase("activity/" + name); }

void Catalog::save_note(const std::string& execution, const ExecutionNote& note) {
  put("execution/" + execution, {{"versionArn", note.version_arn},
                                 {"aliasArn", note.alias_arn},
                                 {"testCase", note.test_case}});
  notes[execution] = note;
}

std::shared_ptr<const StateMachine> Catalog::compiled(const std::string& text, bool express) {
  auto key = std::make_pair(text, express);
  auto it = compiled_.find(key);
  if (it != compiled_.end()) return it->second;
  ParseOptions options;
  options.express = express;
  ParseResult r = parse_state_machine(text, options);
  if (!r.ok()) return nullptr;
  if (compiled_.size() >= 4096) compiled_.clear();  // bound the cache; entries recompile
  compiled_.emplace(std::move(key), r.machine());
  return r.machine();
}

namespace {

class MemoryCatalogStore final : public ServerCatalogStore {
 public:
  Result<std::map<std::string, std::string>> load_all() override {
    std::lock_guard<std::mutex> lock(mu_);
    return docs_;
  }
  Status put(const std::string& key, const std::string& document) override {
    std::lock_guard<std::mutex> lock(mu_);
    docs_[key] = document;
    return {};
  }
  Status erase(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    docs_.erase(key);
    return {};
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> docs_;
};

class SqliteCatalogStore final : public ServerCatalogStore {
 public:
  explicit SqliteCatalogStore(sqlite3* db) : db_(db) {}
  ~SqliteCatalogStore() override { sqlite3_close_v2(db_); }

  Result<std::map<std::string, std::string>> load_all() override {
    std::lock_guard<std::mutex> lock(mu_);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT key, document FROM stepwise_server_catalog ORDER BY key",
                           -1, &stmt, nullptr) != SQLITE_OK) {
      return error("read");
    }
    std::map<std::string, std::string> out;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      auto text = [&](int col) {
        const unsigned char* p = sqlite3_column_text(stmt, col);
        return std::string(p ? reinterpret_cast<const char*>(p) : "",
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt, col)));
      };
      out.emplace(text(0), text(1));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return error("read");
    return out;
  }

  Status put(const std::string& key, const std::string& document) override {
    return exec(
        "INSERT INTO stepwise_server_catalog(key, document) VALUES(?1, ?2) "
        "ON CONFLICT(key) DO UPDATE SET document = excluded.document",
        key, &document);
  }

  Status erase(const std::string& key) override {
    return exec("DELETE FROM stepwise_server_catalog WHERE key = ?1", key, nullptr);
  }

 private:
  Status error(const char* what) {
    return unavailable_error(std::string("the server catalog could not be ") + what + ": " +
                             sqlite3_errmsg(db_));
  }

  Status exec(const char* sql, const std::string& key, const std::string* document) {
    std::lock_guard<std::mutex> lock(mu_);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) return error("written");
    sqlite3_bind_text(stmt, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    if (document != nullptr) {
      sqlite3_bind_text(stmt, 2, document->data(), static_cast<int>(document->size()),
                        SQLITE_TRANSIENT);
    }
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return error("written");
    return {};
  }

  std::mutex mu_;
  sqlite3* db_;
};

}  // namespace

std::shared_ptr<ServerCatalogStore> make_memory_catalog_store() {
  return std::make_shared<MemoryCatalogStore>();
}

Result<std::shared_ptr<ServerCatalogStore>> make_sqlite_catalog_store(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return unavailable_error("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  rc = sqlite3_exec(db,
                    "CREATE TABLE IF NOT EXISTS stepwise_server_catalog("
                    "key TEXT PRIMARY KEY, document TEXT NOT NULL)",
                    nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    sqlite3_close_v2(db);
    return unavailable_error("cannot create the server catalog in " + path + ": " + message);
  }
  return std::shared_ptr<ServerCatalogStore>(std::make_shared<SqliteCatalogStore>(db));
}

}  // namespace stepwise::internal
