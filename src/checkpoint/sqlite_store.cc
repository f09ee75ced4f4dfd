// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The SQLite checkpoint store (stepwise/sqlite/checkpoint_store.h). Built into the separate
// target `stepwise::sqlite`, so the core library does not depend on SQLite.
//
// One connection per store, opened in multi-thread mode and serialized by `mu_`. Every
// statement is prepared once, at open. Opening identifies the file with reads only (header
// pragmas, schema, `meta` table) and writes nothing unless it is empty, so a foreign or
// damaged file is left as it was. docs/checkpoints.md ("The SQLite store") gives the schema.
#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "checkpoint/batch_check.h"
#include "stepwise/checkpoint.h"
#include "stepwise/sqlite/checkpoint_store.h"
#include "util/thread_annotations.h"

namespace stepwise {
namespace {

// The schema of version 1. Strings the engine writes as text (names, summary fields, JSON
// definitions and history events) are TEXT, so that an operator can query the file with the
// sqlite3 shell; record keys and values are BLOBs, opaque and binary-safe.
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE meta(
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('application', 'stepwise checkpoints'),
                                    ('schema_version', '1');
CREATE TABLE executions(
  name TEXT PRIMARY KEY NOT NULL,
  state_machine_name TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  format_version INTEGER NOT NULL,
  status TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  stop_time INTEGER NOT NULL,
  redrive_count INTEGER NOT NULL,
  current_state TEXT NOT NULL,
  version INTEGER NOT NULL,
  history_length INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX executions_by_status ON executions(status, name);
CREATE TABLE definitions(
  execution TEXT PRIMARY KEY NOT NULL,
  definition TEXT NOT NULL
);
CREATE TABLE records(
  execution TEXT NOT NULL,
  key BLOB NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (execution, key)
) WITHOUT ROWID;
CREATE TABLE history(
  execution TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (execution, seq)
) WITHOUT ROWID;
)sql";

constexpr const char* kSummaryColumns =
    "name, state_machine_name, fingerprint, format_version, status, start_time, stop_time, "
    "redrive_count, current_state, version";

StatusCode code_of(int rc) {
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
    case SQLITE_AUTH:
      return StatusCode::kUnavailable;
    case SQLITE_FULL:
      return StatusCode::kResourceExhausted;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return StatusCode::kDataLoss;
    case SQLITE_TOOBIG:
      return StatusCode::kInvalidArgument;
    default:
      return StatusCode::kInternal;
  }
}

std::string in_quotes(std::string_view s) {
  std::string q = "\"";
  q.append(s);
  q += '"';
  return q;
}

// Binds bytes; an empty value stays an empty BLOB/TEXT, never NULL.
int bind_blob(sqlite3_stmt* s, int i, std::string_view v) {
  return sqlite3_bind_blob64(s, i, v.empty() ? "" : v.data(), v.size(), SQLITE_STATIC);
}
int bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  return sqlite3_bind_text64(s, i, v.empty() ? "" : v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
}
std::string column_bytes(sqlite3_stmt* s, int i) {
  const void* p = sqlite3_column_blob(s, i);
  int n = sqlite3_column_bytes(s, i);
  return p == nullptr ? std::string() : std::string(static_cast<const char*>(p), n);
}

// Resets a statement (and clears its bindings) when leaving a scope, whatever happened.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* s) : s_(s) {}
  ~StatementUse() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  sqlite3_stmt* get() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

class SqliteCheckpointStore final : public CheckpointStore {
 public:
  // Takes ownership of `db`.
  SqliteCheckpointStore(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}

  ~SqliteCheckpointStore() override {
    for (sqlite3_stmt* s : all_statements()) sqlite3_finalize(s);
    for (sqlite3_stmt* s : list_) sqlite3_finalize(s);
    if (!usable_) {
      // A file this store refused is not ours to touch: closing must not checkpoint a WAL
      // another application left into its database file.
      sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    }
    sqlite3_close_v2(db_);
  }

  Status init(const SqliteStoreOptions& options) {
    // Not shared yet; held anyway, so that every use of the connection is under `mu_`.
    internal::MutexLock lock(mu_);
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms < 0 ? 0 : options.busy_timeout_ms);
    STEPWISE_RETURN_IF_ERROR(identify_or_create());
    // Connection settings. Neither writes to the file.
    const char* sync = options.synchronous == SqliteStoreOptions::Synchronous::kNormal
                           ? "PRAGMA synchronous = NORMAL"
                           : "PRAGMA synchronous = FULL";
    STEPWISE_RETURN_IF_ERROR(exec(sync, "open"));
    if (options.max_size_bytes > 0) {
      std::int64_t page_size = 0;
      STEPWISE_RETURN_IF_ERROR(query_int("PRAGMA page_size", "open", page_size));
      std::int64_t pages = options.max_size_bytes / (page_size > 0 ? page_size : 4096);
      STEPWISE_RETURN_IF_ERROR(exec(
          ("PRAGMA max_page_count = " + std::to_string(pages < 1 ? 1 : pages)).c_str(), "open"));
    }
    STEPWISE_RETURN_IF_ERROR(prepare_all());
    usable_ = true;
    return {};
  }

  Status commit(const CheckpointBatch& batch) override {
    internal::MutexLock lock(mu_);
    const std::string what = "commit of execution " + in_quotes(batch.summary.name);
    STEPWISE_RETURN_IF_ERROR(step_done(begin_immediate_, what));
    Status s = apply(batch, what);
    if (s.ok()) s = step_done(commit_, what);
    if (!s.ok()) rollback();
    return s;
  }

  Result<StoredExecution> load(std::string_view name) override {
    internal::MutexLock lock(mu_);
    const std::string what = "load of execution " + in_quotes(name);
    // One read transaction, so that the summary, records and history are one snapshot even
    // while other processes commit.
    STEPWISE_RETURN_IF_ERROR(step_done(begin_, what));
    Result<StoredExecution> r = read_execution(name, what);
    Status s = step_done(commit_, what);
    if (!s.ok()) {
      rollback();
      if (r.ok()) return s;
    }
    return r;
  }

  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& filter) override {
    internal::MutexLock lock(mu_);
    const std::string what = "list of executions";
    // The lower bound is the prefix (inclusive) or `start_after` (exclusive), whichever is
    // greater; the upper bound the prefix's successor. Both are index ranges.
    const bool after = !filter.start_after.empty() && filter.start_after >= filter.name_prefix;
    const std::optional<std::string> end = internal::prefix_successor(filter.name_prefix);
    const bool by_status = !filter.status.empty();
    sqlite3_stmt* stmt = nullptr;
    STEPWISE_RETURN_IF_ERROR(list_statement(after, end.has_value(), by_status, stmt));
    StatementUse use(stmt);
    bind_text(stmt, 1, after ? filter.start_after : filter.name_prefix);
    if (end) bind_text(stmt, 2, *end);
    if (by_status) bind_text(stmt, 3, filter.status);
    sqlite3_bind_int64(stmt, 4, filter.limit == 0 ? -1 : static_cast<std::int64_t>(filter.limit));
    std::vector<ExecutionSummary> out;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return error(rc, what);
      ExecutionSummary summary;
      STEPWISE_RETURN_IF_ERROR(read_summary(stmt, 0, summary, what));
      out.push_back(std::move(summary));
    }
    return out;
  }

  Status remove(std::string_view name) override {
    internal::MutexLock lock(mu_);
    const std::string what = "removal of execution " + in_quotes(name);
    STEPWISE_RETURN_IF_ERROR(step_done(begin_immediate_, what));
    Status s = remove_locked(name, what);
    if (s.ok()) s = step_done(commit_, what);
    if (!s.ok()) rollback();
    return s;
  }

 private:
  // --- Opening ---

  Status identify_or_create() REQUIRES(mu_) {
    std::int64_t app = 0, version = 0, tables = 0;
    STEPWISE_RETURN_IF_ERROR(read_identity(app, version, tables));
    if (app == 0 && version == 0 && tables == 0) {
      // An empty database (a new or zero-length file): make it ours. Another process may be
      // doing the same, so the check is repeated under the write lock. The schema is created
      // in rollback-journal mode and the file switched to WAL afterwards: a WAL beside an
      // empty database file is deleted by the next connection to open it.
      const char* what = "creation of the schema";
      STEPWISE_RETURN_IF_ERROR(exec("BEGIN IMMEDIATE", what));
      Status s = read_identity(app, version, tables);
      if (s.ok() && app == 0 && version == 0 && tables == 0) {
        s = exec(kCreateSchema, what);
        if (s.ok()) {
          s = exec(("PRAGMA application_id = " + std::to_string(kSqliteCheckpointApplicationId) +
                    "; PRAGMA user_version = " + std::to_string(kSqliteCheckpointSchemaVersion))
                       .c_str(),
                   what);
        }
        if (s.ok()) s = exec("COMMIT", what);
      }
      rollback();
      STEPWISE_RETURN_IF_ERROR(s);
      STEPWISE_RETURN_IF_ERROR(read_identity(app, version, tables));
    }
    STEPWISE_RETURN_IF_ERROR(check_identity(app, version, tables));
    // Our file, of our version: make sure it is in WAL mode (after its creation above, or if
    // someone changed it with the sqlite3 shell).
    std::string mode;
    STEPWISE_RETURN_IF_ERROR(query_text("PRAGMA journal_mode", "open", mode));
    if (mode != "wal") {
      STEPWISE_RETURN_IF_ERROR(query_text("PRAGMA journal_mode = WAL", "open", mode));
      if (mode != "wal") {
        return unavailable_error(prefix() + "cannot be switched to WAL mode (journal mode \"" +
                                 mode + "\")");
      }
    }
    return {};
  }

  // Reads the three in one transaction: another process may be creating the schema.
  Status read_identity(std::int64_t& app, std::int64_t& version, std::int64_t& tables)
      REQUIRES(mu_) {
    const bool own_transaction = sqlite3_get_autocommit(db_) != 0;
    if (own_transaction) STEPWISE_RETURN_IF_ERROR(exec("BEGIN", "open"));
    Status s = read_identity_in_transaction(app, version, tables);
    if (own_transaction) {
      if (s.ok()) s = exec("COMMIT", "open");
      rollback();
    }
    return s;
  }

  Status read_identity_in_transaction(std::int64_t& app, std::int64_t& version,
                                      std::int64_t& tables) REQUIRES(mu_) {
    Status s = query_int("PRAGMA application_id", "open", app);
    if (s.ok()) s = query_int("PRAGMA user_version", "open", version);
    if (s.ok()) s = query_int("SELECT count(*) FROM sqlite_schema", "open", tables);
    if (s.code() == StatusCode::kDataLoss) {
      return data_loss_error(prefix() + "is not a SQLite database, or is damaged or truncated (" +
                             sqlite3_errmsg(db_) + "); it was not modified");
    }
    return s;
  }

  Status check_identity(std::int64_t app, std::int64_t version, std::int64_t tables) REQUIRES(mu_) {
    if (app != kSqliteCheckpointApplicationId) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%08X", static_cast<unsigned>(app));
      return failed_precondition_error(
          prefix() +
          "is a SQLite database of another application, not a Stepwise checkpoint "
          "database (application_id " +
          hex + ", " + std::to_string(tables) + " schema objects); it was not modified");
    }
    if (version != kSqliteCheckpointSchemaVersion) {
      return failed_precondition_error(
          prefix() + "has checkpoint schema version " + std::to_string(version) +
          ", but this build of Stepwise reads version " +
          std::to_string(kSqliteCheckpointSchemaVersion) +
          (version > kSqliteCheckpointSchemaVersion ? " (the file was written by a newer Stepwise)"
                                                    : "") +
          "; it was not modified");
    }
    std::string meta_version;
    Status s =
        query_text("SELECT value FROM meta WHERE key = 'schema_version'", "open", meta_version);
    if (!s.ok() || meta_version != std::to_string(kSqliteCheckpointSchemaVersion)) {
      return data_loss_error(prefix() + "has a damaged schema: the meta table " +
                             (s.ok() ? "gives schema version \"" + meta_version + "\""
                                     : "is unreadable (" + s.message() + ")") +
                             " where the file header gives " + std::to_string(version));
    }
    return {};
  }

  Status prepare_all() REQUIRES(mu_) {
    struct Def {
      sqlite3_stmt** stmt;
      const char* sql;
    };
    const std::string insert_execution =
        std::string("INSERT INTO executions(") + kSummaryColumns +
        ", history_length) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    const std::string select_execution =
        std::string("SELECT ") + kSummaryColumns +
        ", (SELECT definition FROM definitions WHERE execution = ?1) FROM executions "
        "WHERE name = ?1";
    const Def defs[] = {
        {&begin_, "BEGIN"},
        {&begin_immediate_, "BEGIN IMMEDIATE"},
        {&commit_, "COMMIT"},
        {&rollback_, "ROLLBACK"},
        {&select_version_, "SELECT version, history_length FROM executions WHERE name = ?1"},
        {&insert_execution_, insert_execution.c_str()},
        {&update_execution_,
         "UPDATE executions SET state_machine_name = ?2, fingerprint = ?3, format_version = ?4, "
         "status = ?5, start_time = ?6, stop_time = ?7, redrive_count = ?8, current_state = ?9, "
         "version = ?10, history_length = ?11 WHERE name = ?1"},
        {&put_definition_,
         "INSERT OR REPLACE INTO definitions(execution, definition) VALUES (?1, ?2)"},
        {&put_record_, "INSERT OR REPLACE INTO records(execution, key, value) VALUES (?1, ?2, ?3)"},
        {&delete_record_, "DELETE FROM records WHERE execution = ?1 AND key = ?2"},
        {&append_history_, "INSERT INTO history(execution, seq, event) VALUES (?1, ?2, ?3)"},
        {&select_execution_, select_execution.c_str()},
        {&select_records_, "SELECT key, value FROM records WHERE execution = ?1 ORDER BY key"},
        {&select_history_, "SELECT event FROM history WHERE execution = ?1 ORDER BY seq"},
        {&delete_records_, "DELETE FROM records WHERE execution = ?1"},
        {&delete_history_, "DELETE FROM history WHERE execution = ?1"},
        {&delete_definition_, "DELETE FROM definitions WHERE execution = ?1"},
        {&delete_execution_, "DELETE FROM executions WHERE name = ?1"},
    };
    for (const Def& d : defs) STEPWISE_RETURN_IF_ERROR(prepare(d.sql, *d.stmt));
    return {};
  }

  Status prepare(const char* sql, sqlite3_stmt*& stmt) REQUIRES(mu_) {
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc == SQLITE_OK) return {};
    Status s = error(rc, "open");
    // A statement that does not compile against a file of our version means missing or
    // altered tables.
    if ((rc & 0xFF) == SQLITE_ERROR) {
      return data_loss_error(prefix() + "has a damaged schema: " + sqlite3_errmsg(db_));
    }
    return s;
  }

  Status list_statement(bool after, bool upper, bool by_status, sqlite3_stmt*& out) REQUIRES(mu_) {
    sqlite3_stmt*& slot = list_[(after ? 4 : 0) | (upper ? 2 : 0) | (by_status ? 1 : 0)];
    if (slot == nullptr) {
      std::string sql = std::string("SELECT ") + kSummaryColumns + " FROM executions WHERE ";
      if (by_status) sql += "status = ?3 AND ";
      sql += after ? "name > ?1" : "name >= ?1";
      if (upper) sql += " AND name < ?2";
      sql += " ORDER BY name LIMIT ?4";
      STEPWISE_RETURN_IF_ERROR(prepare(sql.c_str(), slot));
    }
    out = slot;
    return {};
  }

  // --- Operations (mu_ held) ---

  Status apply(const CheckpointBatch& batch, const std::string& what) REQUIRES(mu_) {
    const ExecutionSummary& sum = batch.summary;
    std::optional<std::uint64_t> stored;
    std::int64_t history_length = 0;
    {
      StatementUse q(select_version_);
      bind_text(q.get(), 1, sum.name);
      int rc = sqlite3_step(q.get());
      if (rc == SQLITE_ROW) {
        stored = static_cast<std::uint64_t>(sqlite3_column_int64(q.get(), 0));
        history_length = sqlite3_column_int64(q.get(), 1);
      } else if (rc != SQLITE_DONE) {
        return error(rc, what);
      }
    }
    STEPWISE_RETURN_IF_ERROR(internal::check_batch_version(sum.name, sum.version, stored));
    {
      StatementUse u(stored ? update_execution_ : insert_execution_);
      sqlite3_stmt* s = u.get();
      bind_text(s, 1, sum.name);
      bind_text(s, 2, sum.state_machine_name);
      bind_text(s, 3, sum.fingerprint);
      sqlite3_bind_int64(s, 4, sum.format_version);
      bind_text(s, 5, sum.status);
      sqlite3_bind_int64(s, 6, sum.start_time);
      sqlite3_bind_int64(s, 7, sum.stop_time);
      sqlite3_bind_int64(s, 8, sum.redrive_count);
      bind_text(s, 9, sum.current_state);
      sqlite3_bind_int64(s, 10, static_cast<std::int64_t>(sum.version));
      sqlite3_bind_int64(s, 11, history_length + static_cast<std::int64_t>(batch.history.size()));
      STEPWISE_RETURN_IF_ERROR(step_done(s, what));
    }
    if (batch.definition || !stored) {
      StatementUse u(put_definition_);
      bind_text(u.get(), 1, sum.name);
      int rc = bind_text(u.get(), 2, batch.definition ? *batch.definition : std::string_view());
      if (rc != SQLITE_OK) return error(rc, what);
      STEPWISE_RETURN_IF_ERROR(step_done(u.get(), what));
    }
    {
      StatementUse u(put_record_);
      bind_text(u.get(), 1, sum.name);
      for (const CheckpointRecord& r : batch.puts) {
        int rc = bind_blob(u.get(), 2, r.key);
        if (rc == SQLITE_OK) rc = bind_blob(u.get(), 3, r.value);
        if (rc != SQLITE_OK) return error(rc, what + ", record " + in_quotes(r.key));
        STEPWISE_RETURN_IF_ERROR(step_done(u.get(), what + ", record " + in_quotes(r.key)));
      }
    }
    {
      StatementUse u(delete_record_);
      bind_text(u.get(), 1, sum.name);
      for (const std::string& key : batch.deletes) {
        bind_blob(u.get(), 2, key);
        STEPWISE_RETURN_IF_ERROR(step_done(u.get(), what));
      }
    }
    {
      StatementUse u(append_history_);
      bind_text(u.get(), 1, sum.name);
      std::int64_t seq = history_length;
      for (const std::string& event : batch.history) {
        sqlite3_bind_int64(u.get(), 2, ++seq);
        if (int rc = bind_text(u.get(), 3, event); rc != SQLITE_OK) return error(rc, what);
        STEPWISE_RETURN_IF_ERROR(step_done(u.get(), what));
      }
    }
    return {};
  }

  Result<StoredExecution> read_execution(std::string_view name, const std::string& what)
      REQUIRES(mu_) {
    StoredExecution out;
    {
      StatementUse q(select_execution_);
      bind_text(q.get(), 1, name);
      int rc = sqlite3_step(q.get());
      if (rc == SQLITE_DONE) {
        return not_found_error(prefix() + "holds no checkpoint of execution " + in_quotes(name));
      }
      if (rc != SQLITE_ROW) return error(rc, what);
      STEPWISE_RETURN_IF_ERROR(read_summary(q.get(), 0, out.summary, what));
      out.definition = column_bytes(q.get(), 10);
    }
    {
      StatementUse q(select_records_);
      bind_text(q.get(), 1, name);
      int rc;
      while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
        out.records.push_back({column_bytes(q.get(), 0), column_bytes(q.get(), 1)});
      }
      if (rc != SQLITE_DONE) return error(rc, what);
    }
    {
      StatementUse q(select_history_);
      bind_text(q.get(), 1, name);
      int rc;
      while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
        out.history.push_back(column_bytes(q.get(), 0));
      }
      if (rc != SQLITE_DONE) return error(rc, what);
    }
    return out;
  }

  // Reads the `kSummaryColumns`, starting at column `first`.
  Status read_summary(sqlite3_stmt* s, int first, ExecutionSummary& out, const std::string& what)
      REQUIRES(mu_) {
    for (int i : {3, 5, 6, 7, 9}) {
      if (sqlite3_column_type(s, first + i) != SQLITE_INTEGER) {
        return data_loss_error(prefix() + what + ": the executions row of " +
                               in_quotes(column_bytes(s, first)) + " is unreadable (column " +
                               sqlite3_column_name(s, first + i) + " is not an integer)");
      }
    }
    out.name = column_bytes(s, first);
    out.state_machine_name = column_bytes(s, first + 1);
    out.fingerprint = column_bytes(s, first + 2);
    out.format_version = sqlite3_column_int(s, first + 3);
    out.status = column_bytes(s, first + 4);
    out.start_time = sqlite3_column_int64(s, first + 5);
    out.stop_time = sqlite3_column_int64(s, first + 6);
    out.redrive_count = sqlite3_column_int64(s, first + 7);
    out.current_state = column_bytes(s, first + 8);
    out.version = static_cast<std::uint64_t>(sqlite3_column_int64(s, first + 9));
    return {};
  }

  Status remove_locked(std::string_view name, const std::string& what) REQUIRES(mu_) {
    {
      StatementUse q(select_version_);
      bind_text(q.get(), 1, name);
      int rc = sqlite3_step(q.get());
      if (rc == SQLITE_DONE) {
        return not_found_error(prefix() + "holds no checkpoint of execution " + in_quotes(name));
      }
      if (rc != SQLITE_ROW) return error(rc, what);
    }
    for (sqlite3_stmt* stmt :
         {delete_records_, delete_history_, delete_definition_, delete_execution_}) {
      StatementUse u(stmt);
      bind_text(stmt, 1, name);
      STEPWISE_RETURN_IF_ERROR(step_done(stmt, what));
    }
    return {};
  }

  // --- Helpers ---

  std::string prefix() const { return "SQLite checkpoint store " + in_quotes(path_) + " "; }

  Status error(int rc, std::string_view what) const REQUIRES(mu_) {
    std::string m = "SQLite checkpoint store " + in_quotes(path_) + ": ";
    m.append(what);
    m += ": ";
    m += sqlite3_errmsg(db_);
    m += " (SQLite code " + std::to_string(rc) + ")";
    if ((rc & 0xFF) == SQLITE_BUSY) {
      m += "; another connection held the database longer than the busy timeout";
    }
    return {code_of(rc), std::move(m)};
  }

  // Steps a statement that returns no rows (or whose rows are ignored) to completion.
  Status step_done(sqlite3_stmt* s, std::string_view what) REQUIRES(mu_) {
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    // Reset (keeping the bindings) so that the statement can run again, and so that a
    // finished read statement does not hold its transaction open.
    Status st = rc == SQLITE_DONE ? Status() : error(rc, what);
    sqlite3_reset(s);
    return st;
  }

  Status exec(const char* sql, std::string_view what) REQUIRES(mu_) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    return rc == SQLITE_OK ? Status() : error(rc, what);
  }

  // Runs `sql` and hands its first row to `read_row`; without a row, calls `no_row`, which
  // says whether that is fine (an error otherwise).
  template <typename ReadRow, typename NoRow>
  Status query_one(const char* sql, std::string_view what, ReadRow read_row, NoRow no_row)
      REQUIRES(mu_) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &s, nullptr);
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(s);
      if (rc == SQLITE_ROW) {
        read_row(s);
        rc = SQLITE_OK;
      } else if (rc == SQLITE_DONE && no_row()) {
        rc = SQLITE_OK;
      }
    }
    Status st = rc == SQLITE_OK ? Status() : error(rc, what);
    sqlite3_finalize(s);
    return st;
  }

  // The integer in the first row of `sql`; no row is an error.
  Status query_int(const char* sql, std::string_view what, std::int64_t& out) REQUIRES(mu_) {
    return query_one(
        sql, what, [&](sqlite3_stmt* s) { out = sqlite3_column_int64(s, 0); },
        [] { return false; });
  }

  // The text in the first row of `sql`; empty when there is no row.
  Status query_text(const char* sql, std::string_view what, std::string& out) REQUIRES(mu_) {
    return query_one(
        sql, what, [&](sqlite3_stmt* s) { out = column_bytes(s, 0); },
        [&] {
          out.clear();
          return true;
        });
  }

  // Ends the open transaction, if any, discarding its changes.
  void rollback() REQUIRES(mu_) {
    if (sqlite3_get_autocommit(db_)) return;  // no transaction, or SQLite already rolled back
    if (rollback_ != nullptr) {
      sqlite3_step(rollback_);
      sqlite3_reset(rollback_);
    } else {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

  std::array<sqlite3_stmt*, 18> all_statements() const REQUIRES(mu_) {
    return {begin_,
            begin_immediate_,
            commit_,
            rollback_,
            select_version_,
            insert_execution_,
            update_execution_,
            put_definition_,
            put_record_,
            delete_record_,
            append_history_,
            select_execution_,
            select_records_,
            select_history_,
            delete_records_,
            delete_history_,
            delete_definition_,
            delete_execution_};
  }

  const std::string path_;
  internal::Mutex mu_;
  sqlite3* const db_ PT_GUARDED_BY(mu_);
  bool usable_ GUARDED_BY(mu_) = false;
  // Prepared statements.
  sqlite3_stmt* begin_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* begin_immediate_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* commit_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* rollback_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* select_version_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* insert_execution_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* update_execution_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* put_definition_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* put_record_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* delete_record_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* append_history_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* select_execution_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* select_records_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* select_history_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* delete_records_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* delete_history_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* delete_definition_ GUARDED_BY(mu_) = nullptr;
  sqlite3_stmt* delete_execution_ GUARDED_BY(mu_) = nullptr;
  // `list` statements by variant (start_after, upper bound, status), prepared on first use.
  std::array<sqlite3_stmt*, 8> list_ GUARDED_BY(mu_){};
};

}  // namespace

Result<std::shared_ptr<CheckpointStore>> open_sqlite_checkpoint_store(
    const std::string& path, const SqliteStoreOptions& options) {
  const std::string where = "SQLite checkpoint store " + in_quotes(path);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (options.create_if_missing) {
    flags |= SQLITE_OPEN_CREATE;
  } else {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) {
      return not_found_error(where + ": no such file (and create_if_missing is false)");
    }
  }
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s(code_of(rc), where +
                              ": cannot open: " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) +
                              " (SQLite code " + std::to_string(rc) + ")");
    sqlite3_close_v2(db);
    return s;
  }
  auto store = std::make_shared<SqliteCheckpointStore>(path, db);
  STEPWISE_RETURN_IF_ERROR(store->init(options));
  return std::shared_ptr<CheckpointStore>(std::move(store));
}

}  // namespace stepwise
