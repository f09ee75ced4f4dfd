// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The SQLite `ScheduleStore` (stepwise/schedule.h): schedule states in the table
// `schedule_states(name, state, version)` of a Stepwise checkpoint database. The file is first
// opened as a checkpoint database (which creates it, or refuses a foreign one unmodified),
// then the table is created if missing. Each `put` is one `BEGIN IMMEDIATE` transaction that
// reads the stored version and writes only if the new one follows it: the conditional update
// that lets several processes share schedules with each occurrence fired once.
#include <memory>
#include <optional>
#include <string>

#include "stepwise/schedule.h"

#ifdef STEPWISE_SCHEDULE_SQLITE
#include <sqlite3.h>

#include "stepwise/sqlite/checkpoint_store.h"
#include "util/thread_annotations.h"
#endif

namespace stepwise {
namespace internal {
Status check_schedule_version(const StoredScheduleState& state,
                              std::optional<std::uint64_t> stored);
}  // namespace internal

#ifdef STEPWISE_SCHEDULE_SQLITE
namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schedule_states("
    "name TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL"
    ") WITHOUT ROWID";

class SqliteScheduleStore final : public ScheduleStore {
 public:
  SqliteScheduleStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  ~SqliteScheduleStore() override { sqlite3_close_v2(db_); }

  Status init() {
    internal::MutexLock lock(mu_);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    return exec(kCreateTable, "creation of table schedule_states");
  }

  Result<std::optional<StoredScheduleState>> load(std::string_view name) override {
    internal::MutexLock lock(mu_);
    std::optional<StoredScheduleState> out;
    STEPWISE_RETURN_IF_ERROR(read(name, out, "load of schedule \"" + std::string(name) + "\""));
    return out;
  }

  Status put(const StoredScheduleState& state) override {
    internal::MutexLock lock(mu_);
    const std::string what = "update of schedule \"" + state.name + "\"";
    STEPWISE_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE", what));
    Status s = put_in_transaction(state, what);
    if (s.ok()) s = exec("COMMIT", what);
    if (!s.ok() && !sqlite3_get_autocommit(db_)) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    return s;
  }

  Status remove(std::string_view name) override {
    internal::MutexLock lock(mu_);
    sqlite3_stmt* s = nullptr;
    const std::string what = "removal of schedule \"" + std::string(name) + "\"";
    int rc =
        sqlite3_prepare_v2(db_, "DELETE FROM schedule_states WHERE name = ?1", -1, &s, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_bind_text64(s, 1, name.data(), name.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? Status() : error(rc, what);
  }

 private:
  Status put_in_transaction(const StoredScheduleState& state, const std::string& what)
      REQUIRES(mu_) {
    std::optional<StoredScheduleState> stored;
    STEPWISE_RETURN_IF_ERROR(read(state.name, stored, what));
    STEPWISE_RETURN_IF_ERROR(internal::check_schedule_version(
        state, stored ? std::optional<std::uint64_t>(stored->version) : std::nullopt));
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(
        db_, "INSERT OR REPLACE INTO schedule_states(name, state, version) VALUES (?1, ?2, ?3)", -1,
        &s, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_bind_text64(s, 1, state.name.data(), state.name.size(), SQLITE_TRANSIENT,
                          SQLITE_UTF8);
      sqlite3_bind_text64(s, 2, state.state.data(), state.state.size(), SQLITE_TRANSIENT,
                          SQLITE_UTF8);
      sqlite3_bind_int64(s, 3, static_cast<sqlite3_int64>(state.version));
      rc = sqlite3_step(s);
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? Status() : error(rc, what);
  }

  Status read(std::string_view name, std::optional<StoredScheduleState>& out,
              const std::string& what) REQUIRES(mu_) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db_, "SELECT state, version FROM schedule_states WHERE name = ?1",
                                -1, &s, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_bind_text64(s, 1, name.data(), name.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      rc = sqlite3_step(s);
      if (rc == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(s, 0);
        out = StoredScheduleState{
            std::string(name),
            text ? std::string(reinterpret_cast<const char*>(text),
                               static_cast<std::size_t>(sqlite3_column_bytes(s, 0)))
                 : std::string(),
            static_cast<std::uint64_t>(sqlite3_column_int64(s, 1))};
        rc = SQLITE_DONE;
      }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? Status() : error(rc, what);
  }

  Status exec(const char* sql, const std::string& what) REQUIRES(mu_) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? Status() : error(rc, what);
  }

  Status error(int rc, const std::string& what) const REQUIRES(mu_) {
    std::string m = "SQLite schedule store \"" + path_ + "\": " + what + ": " +
                    sqlite3_errmsg(db_) + " (SQLite code " + std::to_string(rc) + ")";
    const int primary = rc & 0xFF;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR) {
      return unavailable_error(std::move(m));
    }
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return data_loss_error(std::move(m));
    return internal_error(std::move(m));
  }

  const std::string path_;
  internal::Mutex mu_;
  sqlite3* const db_ PT_GUARDED_BY(mu_);
};

}  // namespace

Result<std::shared_ptr<ScheduleStore>> open_sqlite_schedule_store(const std::string& path) {
  {
    // Creates the file or checks that it is a checkpoint database of our schema version.
    Result<std::shared_ptr<CheckpointStore>> checkpoints = open_sqlite_checkpoint_store(path);
    if (!checkpoints.ok()) return checkpoints.status();
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = unavailable_error("SQLite schedule store \"" + path + "\": cannot open: " +
                                 (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return s;
  }
  auto store = std::make_shared<SqliteScheduleStore>(path, db);
  STEPWISE_RETURN_IF_ERROR(store->init());
  return std::shared_ptr<ScheduleStore>(std::move(store));
}

#else

Result<std::shared_ptr<ScheduleStore>> open_sqlite_schedule_store(const std::string& path) {
  return failed_precondition_error("SQLite schedule store \"" + path +
                                   "\": this build of Stepwise has no SQLite");
}

#endif

}  // namespace stepwise
