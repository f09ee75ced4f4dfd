// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The PostgreSQL checkpoint store (stepwise/postgres/checkpoint_store.h), built into the
// separate target `stepwise::postgres` so that the core library does not depend on libpq.
//
// One connection serialized by `mu_` for everything but the wake-ups, which wait on a second
// connection under `listen_mu_`. Statements are prepared on first use on each connection.
// Opening identifies the schema with reads only and creates the tables (postgres_schema.h)
// only when none of them exists, in one transaction under an advisory lock.
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "checkpoint/batch_check.h"
#include "checkpoint/postgres_connection.h"
#include "checkpoint/postgres_schema.h"
#include "stepwise/checkpoint.h"
#include "stepwise/fleet.h"
#include "stepwise/postgres/checkpoint_store.h"
#include "util/thread_annotations.h"

namespace stepwise {
namespace {

using internal::PgConnection;
using internal::PgParams;
using internal::PgResult;
using internal::PgStatement;

// The key of the advisory lock taken while creating a schema ("SWCK"), with the schema's hash.
constexpr std::int32_t kCreationLockKey = 0x5357434B;

constexpr const char* kSummaryColumns =
    "e.name, e.state_machine_name, e.fingerprint, e.format_version, e.status, e.start_time, "
    "e.stop_time, e.redrive_count, e.current_state, e.version";

// A timestamptz as nanoseconds since the Unix epoch.
std::string nanos(const std::string& column) {
  return "(extract(epoch FROM " + column + ") * 1000000000)::bigint";
}

std::string in_quotes(std::string_view s) {
  std::string q = "\"";
  q.append(s);
  q += '"';
  return q;
}

std::string replace_schema(std::string_view tmpl, const std::string& schema_prefix) {
  std::string out;
  out.reserve(tmpl.size() + 256);
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl.compare(i, 3, "{s}") == 0) {
      out += schema_prefix;
      i += 3;
    } else {
      out += tmpl[i++];
    }
  }
  return out;
}

ExecutionSummary read_summary(const PGresult* r, int row) {
  using internal::pg_bytes;
  using internal::pg_int8;
  ExecutionSummary s;
  s.name = pg_bytes(r, row, 0);
  s.state_machine_name = pg_bytes(r, row, 1);
  s.fingerprint = pg_bytes(r, row, 2);
  s.format_version = internal::pg_int4(r, row, 3);
  s.status = pg_bytes(r, row, 4);
  s.start_time = pg_int8(r, row, 5);
  s.stop_time = pg_int8(r, row, 6);
  s.redrive_count = pg_int8(r, row, 7);
  s.current_state = pg_bytes(r, row, 8);
  s.version = static_cast<std::uint64_t>(pg_int8(r, row, 9));
  return s;
}

// Reads (execution, node, epoch, expires_at in nanoseconds, expired) from `row`.
Lease read_lease(const PGresult* r, int row) {
  Lease l;
  l.execution = internal::pg_bytes(r, row, 0);
  l.node = internal::pg_bytes(r, row, 1);
  l.epoch = static_cast<std::uint64_t>(internal::pg_int8(r, row, 2));
  l.expires_at = internal::pg_int8(r, row, 3);
  l.expired = internal::pg_bool(r, row, 4);
  return l;
}

std::int64_t millis(std::chrono::milliseconds d) { return std::max<std::int64_t>(0, d.count()); }

class PostgresCheckpointStore final : public FleetStore {
 public:
  PostgresCheckpointStore(std::string conninfo, PostgresStoreOptions options)
      : options_(std::move(options)), conn_(settings(conninfo)), conninfo_(std::move(conninfo)) {}

  Status init() EXCLUDES(mu_);

  Status commit(const CheckpointBatch& batch) override { return commit_impl(batch, nullptr); }
  Status commit_fenced(const CheckpointBatch& batch, const Lease& lease) override {
    if (lease.execution != batch.summary.name) {
      return invalid_argument_error(conn_where() + ": commit of execution " +
                                    in_quotes(batch.summary.name) + " under a lease on " +
                                    in_quotes(lease.execution));
    }
    return commit_impl(batch, &lease);
  }
  Result<StoredExecution> load(std::string_view name) override EXCLUDES(mu_);
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& filter) override EXCLUDES(mu_);
  Status remove(std::string_view name) override EXCLUDES(mu_);

  Result<Lease> acquire_lease(std::string_view execution, std::string_view node,
                              std::chrono::milliseconds duration) override EXCLUDES(mu_);
  Result<Lease> renew_lease(const Lease& lease, std::chrono::milliseconds duration) override
      EXCLUDES(mu_);
  Result<std::vector<Lease>> renew_leases(const std::vector<Lease>& leases,
                                          std::chrono::milliseconds duration) override
      EXCLUDES(mu_);
  Status release_lease(const Lease& lease) override EXCLUDES(mu_);
  Result<std::vector<Lease>> claim_expired_leases(std::string_view node,
                                                  std::chrono::milliseconds duration,
                                                  std::size_t limit) override EXCLUDES(mu_);
  Result<std::optional<Lease>> get_lease(std::string_view execution) override EXCLUDES(mu_);
  Result<std::vector<Lease>> list_leases(std::string_view node) override EXCLUDES(mu_);

  Status enqueue_execution(std::string_view name, std::string_view payload) override EXCLUDES(mu_);
  Result<std::vector<QueuedExecution>> claim_queued_executions(std::string_view node,
                                                               std::chrono::milliseconds duration,
                                                               std::size_t limit) override
      EXCLUDES(mu_);
  Status remove_queued_execution(std::string_view name) override EXCLUDES(mu_);
  Result<std::vector<QueuedExecution>> list_queued_executions(std::size_t limit) override
      EXCLUDES(mu_);

  Status notify(std::string_view payload) override EXCLUDES(mu_);
  Status listen() override EXCLUDES(listen_mu_);
  Result<std::optional<FleetNotification>> wait_for_notification(
      std::chrono::milliseconds timeout) override EXCLUDES(listen_mu_);

 private:
  internal::PgConnectionSettings settings(const std::string& conninfo) const {
    internal::PgConnectionSettings s;
    s.conninfo = conninfo;
    s.connect_timeout_seconds = options_.connect_timeout_seconds;
    s.synchronous_commit = options_.synchronous_commit;
    s.min_backoff = options_.reconnect_min_backoff;
    s.max_backoff = std::max(options_.reconnect_max_backoff, options_.reconnect_min_backoff);
    s.where = "PostgreSQL checkpoint store";
    return s;
  }
  std::string conn_where() EXCLUDES(mu_) {
    internal::MutexLock lock(mu_);
    return conn_.where();
  }

  // --- Opening (postgres_store.cc, below) ---
  Status resolve_schema() REQUIRES(mu_);
  Status find_tables(std::set<std::string>& found) REQUIRES(mu_);
  Status identify(const std::set<std::string>& found) REQUIRES(mu_);
  Status create_schema() REQUIRES(mu_);
  Status create_schema_in_transaction(const std::string& what) REQUIRES(mu_);
  void prepare_statements() REQUIRES(mu_);

  Status commit_impl(const CheckpointBatch& batch, const Lease* lease) EXCLUDES(mu_);
  Result<StoredExecution> load_in_transaction(std::string_view name, const std::string& what)
      REQUIRES(mu_);
  Status lease_lost(const Lease& lease, const std::optional<Lease>& found) const;
  Result<std::optional<Lease>> get_lease_locked(std::string_view execution) REQUIRES(mu_);
  Status listen_locked() REQUIRES(listen_mu_);
  // Ends a transaction left open by a failure, discarding it.
  void rollback() REQUIRES(mu_) {
    const PGTransactionStatusType ts = PQtransactionStatus(conn_.raw());
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) (void)conn_.exec("ROLLBACK", "rollback");
  }
  std::string sql(std::string_view tmpl) const { return replace_schema(tmpl, schema_prefix_); }

  const PostgresStoreOptions options_;
  internal::Mutex mu_;
  PgConnection conn_ GUARDED_BY(mu_);
  const std::string conninfo_;
  // Set by `init`, then read-only.
  std::string schema_;         // the schema's name
  std::string schema_prefix_;  // its quoted name and a dot
  std::string channel_;        // the LISTEN/NOTIFY channel of the fleet
  PgStatement commit_, load_summary_, load_records_, load_history_, remove_;
  PgStatement acquire_, renew_, renew_many_, release_, claim_expired_, get_lease_, list_leases_;
  PgStatement enqueue_, claim_queued_, remove_queued_, list_queued_, notify_;

  internal::Mutex listen_mu_;
  std::unique_ptr<PgConnection> listener_ GUARDED_BY(listen_mu_);
  // The generation of `listener_`'s connection that ran LISTEN (0: none).
  std::uint64_t listening_on_ GUARDED_BY(listen_mu_) = 0;
};

// --- Opening ---

Status PostgresCheckpointStore::init() {
  internal::MutexLock lock(mu_);
  STEPWISE_RETURN_IF_ERROR(conn_.connect());
  PGconn* c = conn_.raw();
  const std::string host = PQhost(c) == nullptr ? "" : PQhost(c);
  conn_.set_where("PostgreSQL checkpoint store \"" + host + ":" + PQport(c) + "/" + PQdb(c) + "\"");
  STEPWISE_RETURN_IF_ERROR(resolve_schema());
  channel_ = "stepwise." + schema_ + "." + options_.fleet;
  if (channel_.size() > 63) {
    return invalid_argument_error(conn_.where() + ": the notification channel " +
                                  in_quotes(channel_) +
                                  " is longer than 63 bytes: use a shorter schema or fleet name");
  }
  std::set<std::string> found;
  STEPWISE_RETURN_IF_ERROR(find_tables(found));
  if (found.empty()) {
    if (!options_.create_if_missing) {
      return not_found_error(conn_.where() + ": schema " + in_quotes(schema_) +
                             " holds no Stepwise checkpoint tables (and create_if_missing is "
                             "false)");
    }
    STEPWISE_RETURN_IF_ERROR(create_schema());
    STEPWISE_RETURN_IF_ERROR(find_tables(found));
  }
  STEPWISE_RETURN_IF_ERROR(identify(found));
  prepare_statements();
  return {};
}

Status PostgresCheckpointStore::resolve_schema() {
  if (!options_.schema.empty()) {
    schema_ = options_.schema;
  } else {
    auto r = conn_.run_sql("SELECT current_schema()::text", PgParams(), "open");
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) != 1 || internal::pg_is_null(r->get(), 0, 0)) {
      return failed_precondition_error(
          conn_.where() +
          ": the connection has no current schema (no schema of its search_path exists): "
          "set PostgresStoreOptions::schema");
    }
    schema_ = internal::pg_bytes(r->get(), 0, 0);
  }
  char* quoted = PQescapeIdentifier(conn_.raw(), schema_.data(), schema_.size());
  if (quoted == nullptr) {
    return invalid_argument_error(conn_.where() + ": invalid schema name " + in_quotes(schema_) +
                                  ": " + PQerrorMessage(conn_.raw()));
  }
  schema_prefix_ = std::string(quoted) + ".";
  PQfreemem(quoted);
  conn_.set_where(conn_.where() + " (schema " + in_quotes(schema_) + ")");
  return {};
}

// The store's relations present in the schema.
Status PostgresCheckpointStore::find_tables(std::set<std::string>& found) {
  PgParams p;
  p.text(schema_);
  auto r = conn_.run_sql(
      "SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
      "ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname LIKE 'stepwise\\_%'",
      p, "open");
  if (!r.ok()) return r.status();
  found.clear();
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    std::string name = internal::pg_bytes(r->get(), i, 0);
    for (const char* t : internal::kPostgresTables) {
      if (name == t) found.insert(name);
    }
  }
  return {};
}

Status PostgresCheckpointStore::identify(const std::set<std::string>& found) {
  const std::string untouched = "; it was not modified";
  const std::string where = conn_.where() + ": ";
  if (found.count("stepwise_meta") == 0) {
    std::string names;
    for (const std::string& n : found) names += (names.empty() ? "" : ", ") + n;
    return failed_precondition_error(
        where + "the schema holds tables named like the store's (" + names +
        ") but no stepwise_meta table: they belong to another application" + untouched);
  }
  auto r =
      conn_.run_sql(sql("SELECT key::text, value::text FROM {s}stepwise_meta"), PgParams(), "open");
  if (!r.ok()) {
    return failed_precondition_error(where +
                                     "the schema has a stepwise_meta table the store cannot read "
                                     "(another application's?): " +
                                     r.status().message() + untouched);
  }
  std::map<std::string, std::string> meta;
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    meta[internal::pg_bytes(r->get(), i, 0)] = internal::pg_bytes(r->get(), i, 1);
  }
  if (meta["application"] != kPostgresCheckpointApplication) {
    return failed_precondition_error(
        where + "the stepwise_meta table belongs to another application (application " +
        in_quotes(meta["application"]) + ", expected " + in_quotes(kPostgresCheckpointApplication) +
        ")" + untouched);
  }
  const std::string& text = meta["schema_version"];
  const bool numeric =
      !text.empty() && text.size() < 10 &&
      std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!numeric) {
    return data_loss_error(where +
                           "has a damaged schema: the stepwise_meta table gives schema "
                           "version " +
                           in_quotes(text));
  }
  const int version = std::stoi(text);
  if (version != kPostgresCheckpointSchemaVersion) {
    return failed_precondition_error(where + "has checkpoint schema version " + text +
                                     ", but this build of Stepwise reads version " +
                                     std::to_string(kPostgresCheckpointSchemaVersion) +
                                     (version > kPostgresCheckpointSchemaVersion
                                          ? " (it was written by a newer Stepwise)"
                                          : "") +
                                     untouched);
  }
  for (const char* t : internal::kPostgresTables) {
    if (found.count(t) == 0) {
      return data_loss_error(where + "has a damaged schema: table " + t + " is missing");
    }
  }
  return {};
}

Status PostgresCheckpointStore::create_schema() {
  const std::string what = "creation of the schema";
  STEPWISE_RETURN_IF_ERROR(conn_.exec("BEGIN", what));
  Status s = create_schema_in_transaction(what);
  if (!s.ok()) rollback();
  return s;
}

Status PostgresCheckpointStore::create_schema_in_transaction(const std::string& what) {
  // Stores opening the same schema at once queue here; the second finds the tables made.
  PgParams lock;
  lock.int4(kCreationLockKey).text(schema_);
  auto r = conn_.run_sql("SELECT pg_advisory_xact_lock($1, hashtext($2))::text", lock, what);
  if (!r.ok()) return r.status();
  PgParams name;
  name.text(schema_);
  auto exists =
      conn_.run_sql("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", name, what);
  if (!exists.ok()) return exists.status();
  if (PQntuples(exists->get()) == 0) {
    STEPWISE_RETURN_IF_ERROR(
        conn_.exec("CREATE SCHEMA " + schema_prefix_.substr(0, schema_prefix_.size() - 1), what));
  }
  std::set<std::string> found;
  STEPWISE_RETURN_IF_ERROR(find_tables(found));
  if (found.empty()) {
    STEPWISE_RETURN_IF_ERROR(conn_.exec(sql(internal::kPostgresCreateSchema), what));
  }
  return conn_.exec("COMMIT", what);
}

void PostgresCheckpointStore::prepare_statements() {
  using namespace internal;  // NOLINT: the type OIDs
  const Oid bytea = kByteaOid, text = kTextOid, int8 = kInt8Oid, arr = kByteaArrayOid;
  const std::string lease_cols = "l.execution, convert_to(l.node, 'UTF8'), l.epoch, " +
                                 nanos("l.expires_at") + ", l.expires_at <= now()";
  commit_ = {"sw_commit",
             sql("SELECT outcome, stored_version, convert_to(holder, 'UTF8'), holder_epoch, "
                 "holder_live FROM {s}stepwise_commit_v1($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                 "$10, $11, $12, $13, $14, $15, $16, $17)"),
             {bytea, bytea, bytea, kInt4Oid, bytea, int8, int8, int8, bytea, int8, bytea, arr, arr,
              arr, arr, text, int8}};
  load_summary_ = {"sw_load_summary",
                   sql(std::string("SELECT ") + kSummaryColumns +
                       ", d.definition FROM {s}stepwise_executions e LEFT JOIN "
                       "{s}stepwise_definitions d ON d.execution = e.name WHERE e.name = $1"),
                   {bytea}};
  load_records_ = {"sw_load_records",
                   sql("SELECT key, value FROM {s}stepwise_records WHERE execution = $1"),
                   {bytea}};
  load_history_ = {"sw_load_history",
                   sql("SELECT event FROM {s}stepwise_history WHERE execution = $1 ORDER BY seq"),
                   {bytea}};
  remove_ = {"sw_remove", sql("SELECT {s}stepwise_remove_v1($1)"), {bytea}};
  acquire_ = {"sw_acquire",
              sql("INSERT INTO {s}stepwise_leases AS l (execution, node, epoch, expires_at, "
                  "acquired_at) VALUES ($1, $2, 1, now() + $3::float8 * interval '1 ms', now()) "
                  "ON CONFLICT (execution) DO UPDATE SET node = excluded.node, "
                  "epoch = l.epoch + 1, expires_at = excluded.expires_at, acquired_at = now() "
                  "WHERE l.expires_at <= now() RETURNING ") +
                  lease_cols,
              {bytea, text, int8}};
  renew_ = {"sw_renew",
            sql("UPDATE {s}stepwise_leases l SET expires_at = now() + $4::float8 * interval "
                "'1 ms' WHERE l.execution = $1 AND l.node = $2 AND l.epoch = $3 RETURNING ") +
                lease_cols,
            {bytea, text, int8, int8}};
  renew_many_ = {"sw_renew_many",
                 sql("UPDATE {s}stepwise_leases l SET expires_at = now() + $3::float8 * "
                     "interval '1 ms' FROM unnest($1, $2) AS u(execution, epoch) "
                     "WHERE l.execution = u.execution AND l.epoch = u.epoch AND l.node = $4 "
                     "RETURNING ") +
                     lease_cols,
                 {internal::kByteaArrayOid, internal::kInt8ArrayOid, int8, text}};
  release_ = {"sw_release",
              sql("WITH u AS (UPDATE {s}stepwise_leases SET expires_at = now() "
                  "WHERE execution = $1 AND node = $2 AND epoch = $3 RETURNING 1) "
                  "SELECT pg_notify($4, 'released')::text FROM u"),
              {bytea, text, int8, text}};
  claim_expired_ = {
      "sw_claim_expired",
      sql("WITH c AS (SELECT l.execution FROM {s}stepwise_leases l JOIN {s}stepwise_executions e "
          "ON e.name = l.execution WHERE l.expires_at <= now() AND e.status = 'RUNNING'::bytea "
          "ORDER BY l.expires_at LIMIT $3 FOR UPDATE OF l SKIP LOCKED) "
          "UPDATE {s}stepwise_leases l SET node = $1, epoch = l.epoch + 1, "
          "expires_at = now() + $2::float8 * interval '1 ms', acquired_at = now() FROM c "
          "WHERE l.execution = c.execution RETURNING ") +
          lease_cols,
      {text, int8, int8}};
  get_lease_ = {"sw_get_lease",
                sql("SELECT " + lease_cols + " FROM {s}stepwise_leases l WHERE l.execution = $1"),
                {bytea}};
  list_leases_ = {"sw_list_leases",
                  sql("SELECT " + lease_cols +
                      " FROM {s}stepwise_leases l WHERE $1 = '' OR l.node = $1 "
                      "ORDER BY l.execution"),
                  {text}};
  enqueue_ = {"sw_enqueue",
              sql("WITH i AS (INSERT INTO {s}stepwise_queue(execution, payload) SELECT $1, $2 "
                  "WHERE NOT EXISTS (SELECT 1 FROM {s}stepwise_executions WHERE name = $1) "
                  "ON CONFLICT (execution) DO NOTHING RETURNING 1) "
                  "SELECT pg_notify($3, 'queued')::text FROM i"),
              {bytea, bytea, text}};
  claim_queued_ = {
      "sw_claim_queued",
      sql("WITH c AS (SELECT q.execution, q.payload, q.enqueued_at, q.id FROM {s}stepwise_queue q "
          "WHERE NOT EXISTS (SELECT 1 FROM {s}stepwise_leases l WHERE l.execution = q.execution "
          "AND l.expires_at > now()) ORDER BY q.id LIMIT $3 FOR UPDATE OF q SKIP LOCKED), "
          "l AS (INSERT INTO {s}stepwise_leases AS l (execution, node, epoch, expires_at, "
          "acquired_at) SELECT c.execution, $1, 1, now() + $2::float8 * interval '1 ms', now() "
          "FROM c ON CONFLICT (execution) DO UPDATE SET node = excluded.node, "
          "epoch = l.epoch + 1, expires_at = excluded.expires_at, acquired_at = now() "
          "WHERE l.expires_at <= now() RETURNING l.execution, l.node, l.epoch, l.expires_at) "
          "SELECT c.execution, convert_to(l.node, 'UTF8'), l.epoch, ") +
          nanos("l.expires_at") + ", false, c.payload, " + nanos("c.enqueued_at") +
          " FROM c JOIN l ON l.execution = c.execution ORDER BY c.id",
      {text, int8, int8}};
  remove_queued_ = {"sw_remove_queued",
                    sql("DELETE FROM {s}stepwise_queue WHERE execution = $1 RETURNING 1"),
                    {bytea}};
  list_queued_ = {"sw_list_queued",
                  sql("SELECT q.execution, q.payload, " + nanos("q.enqueued_at") +
                      " FROM {s}stepwise_queue q ORDER BY q.id LIMIT $1"),
                  {int8}};
  notify_ = {"sw_notify", "SELECT pg_notify($1, $2)::text", {text, text}};
}

// --- Checkpoints ---

Status PostgresCheckpointStore::commit_impl(const CheckpointBatch& batch, const Lease* lease) {
  const ExecutionSummary& s = batch.summary;
  // The puts that remain: the last put of each key, unless the key is deleted too.
  std::unordered_set<std::string_view> seen(batch.deletes.begin(), batch.deletes.end());
  std::vector<std::string_view> keys, values, deletes, history;
  for (auto it = batch.puts.rbegin(); it != batch.puts.rend(); ++it) {
    if (seen.insert(it->key).second) {
      keys.push_back(it->key);
      values.push_back(it->value);
    }
  }
  deletes.assign(batch.deletes.begin(), batch.deletes.end());
  history.assign(batch.history.begin(), batch.history.end());
  PgParams p;
  p.bytes(s.name).bytes(s.state_machine_name).bytes(s.fingerprint).int4(s.format_version);
  p.bytes(s.status).int8(s.start_time).int8(s.stop_time).int8(s.redrive_count);
  p.bytes(s.current_state).int8(static_cast<std::int64_t>(s.version));
  if (batch.definition) {
    p.bytes(*batch.definition);
  } else {
    p.null(internal::kByteaOid);
  }
  p.bytea_array(keys).bytea_array(values).bytea_array(deletes).bytea_array(history);
  if (lease != nullptr) {
    p.text(lease->node).int8(static_cast<std::int64_t>(lease->epoch));
  } else {
    p.null(internal::kTextOid).null(internal::kInt8Oid);
  }

  internal::MutexLock lock(mu_);
  const std::string what = "commit of execution " + in_quotes(s.name);
  auto r = conn_.run(commit_, p, what);
  if (!r.ok()) {
    if (!conn_.lost()) return r.status();
    return {r.status().code(),
            r.status().message() +
                "; the connection was lost during the commit, so it may or may not have been "
                "applied: load the execution to see its version"};
  }
  const PGresult* res = r->get();
  const std::int32_t outcome = internal::pg_int4(res, 0, 0);
  if (outcome == 0) return {};
  if (outcome == 1) {
    std::optional<std::uint64_t> stored;
    if (!internal::pg_is_null(res, 0, 1)) {
      stored = static_cast<std::uint64_t>(internal::pg_int8(res, 0, 1));
    }
    return internal::check_batch_version(s.name, s.version, stored);
  }
  std::optional<Lease> found;
  if (!internal::pg_is_null(res, 0, 2)) {
    found = Lease{s.name, internal::pg_bytes(res, 0, 2),
                  static_cast<std::uint64_t>(internal::pg_int8(res, 0, 3)), 0,
                  !internal::pg_bool(res, 0, 4)};
  }
  return lease_lost(*lease, found);
}

Result<StoredExecution> PostgresCheckpointStore::load(std::string_view name) {
  internal::MutexLock lock(mu_);
  const std::string what = "load of execution " + in_quotes(name);
  // One snapshot for the summary, records and history, while other nodes commit.
  STEPWISE_RETURN_IF_ERROR(conn_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", what));
  Result<StoredExecution> out = load_in_transaction(name, what);
  Status end = conn_.exec(out.ok() ? "COMMIT" : "ROLLBACK", what);
  rollback();
  if (out.ok() && !end.ok()) return end;
  return out;
}

Result<StoredExecution> PostgresCheckpointStore::load_in_transaction(std::string_view name,
                                                                     const std::string& what) {
  PgParams p;
  p.bytes(name);
  StoredExecution out;
  {
    auto r = conn_.run(load_summary_, p, what);
    if (!r.ok()) return r.status();
    if (PQntuples(r->get()) == 0) {
      return not_found_error(conn_.where() + " holds no checkpoint of execution " +
                             in_quotes(name));
    }
    out.summary = read_summary(r->get(), 0);
    if (!internal::pg_is_null(r->get(), 0, 10))
      out.definition = internal::pg_bytes(r->get(), 0, 10);
  }
  {
    auto r = conn_.run(load_records_, p, what);
    if (!r.ok()) return r.status();
    const int n = PQntuples(r->get());
    out.records.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      out.records.push_back(
          {internal::pg_bytes(r->get(), i, 0), internal::pg_bytes(r->get(), i, 1)});
    }
  }
  {
    auto r = conn_.run(load_history_, p, what);
    if (!r.ok()) return r.status();
    const int n = PQntuples(r->get());
    out.history.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out.history.push_back(internal::pg_bytes(r->get(), i, 0));
  }
  return out;
}

Result<std::vector<ExecutionSummary>> PostgresCheckpointStore::list(const ExecutionFilter& f) {
  // A range on the primary key (or the (status, name) index): the lower bound is the prefix
  // (inclusive) or `start_after` (exclusive), whichever is greater; the upper bound the
  // prefix's successor.
  const bool after = !f.start_after.empty() && f.start_after >= f.name_prefix;
  const std::optional<std::string> end = internal::prefix_successor(f.name_prefix);
  PgParams p;
  std::string q =
      std::string("SELECT ") + kSummaryColumns + " FROM {s}stepwise_executions e WHERE ";
  p.bytes(after ? f.start_after : f.name_prefix);
  q += after ? "e.name > $1" : "e.name >= $1";
  if (end) {
    p.bytes(*end);
    q += " AND e.name < $" + std::to_string(p.size());
  }
  if (!f.status.empty()) {
    p.bytes(f.status);
    q += " AND e.status = $" + std::to_string(p.size());
  }
  q += " ORDER BY e.name";
  if (f.limit != 0) {
    p.int8(static_cast<std::int64_t>(std::min<std::size_t>(f.limit, INT64_MAX)));
    q += " LIMIT $" + std::to_string(p.size());
  }
  internal::MutexLock lock(mu_);
  auto r = conn_.run_sql(sql(q), p, "list of executions");
  if (!r.ok()) return r.status();
  std::vector<ExecutionSummary> out;
  const int n = PQntuples(r->get());
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(read_summary(r->get(), i));
  return out;
}

Status PostgresCheckpointStore::remove(std::string_view name) {
  internal::MutexLock lock(mu_);
  const std::string what = "removal of execution " + in_quotes(name);
  PgParams p;
  p.bytes(name);
  auto r = conn_.run(remove_, p, what);
  if (!r.ok()) return r.status();
  if (!internal::pg_bool(r->get(), 0, 0)) {
    return not_found_error(conn_.where() + " holds no checkpoint of execution " + in_quotes(name));
  }
  return {};
}

// --- Leases ---

Status PostgresCheckpointStore::lease_lost(const Lease& lease,
                                           const std::optional<Lease>& found) const {
  std::string m = "lease lost on execution " + in_quotes(lease.execution) + ": node " +
                  in_quotes(lease.node) + " held epoch " + std::to_string(lease.epoch);
  if (!found) {
    m += ", but the execution has no lease";
  } else if (found->node != lease.node || found->epoch != lease.epoch) {
    m += ", but node " + in_quotes(found->node) + " took it over (epoch " +
         std::to_string(found->epoch) + ")";
  } else {
    m += ", and it has expired (renew it before it does)";
  }
  return failed_precondition_error(std::move(m));
}

Result<std::optional<Lease>> PostgresCheckpointStore::get_lease_locked(std::string_view execution) {
  PgParams p;
  p.bytes(execution);
  auto r = conn_.run(get_lease_, p, "lease of execution " + in_quotes(execution));
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 0) return std::optional<Lease>();
  return std::optional<Lease>(read_lease(r->get(), 0));
}

Result<std::optional<Lease>> PostgresCheckpointStore::get_lease(std::string_view execution) {
  internal::MutexLock lock(mu_);
  return get_lease_locked(execution);
}

Result<Lease> PostgresCheckpointStore::acquire_lease(std::string_view execution,
                                                     std::string_view node,
                                                     std::chrono::milliseconds duration) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.bytes(execution).text(node).int8(millis(duration));
  const std::string what = "lease of execution " + in_quotes(execution);
  auto r = conn_.run(acquire_, p, what);
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 1) return read_lease(r->get(), 0);
  auto holder = get_lease_locked(execution);
  if (!holder.ok()) return holder.status();
  std::string m = "execution " + in_quotes(execution) + " is leased";
  if (*holder) {
    m += " by node " + in_quotes((*holder)->node) + " (epoch " + std::to_string((*holder)->epoch) +
         ") until it expires or is released";
  }
  return failed_precondition_error(m);
}

Result<Lease> PostgresCheckpointStore::renew_lease(const Lease& lease,
                                                   std::chrono::milliseconds duration) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.bytes(lease.execution).text(lease.node).int8(static_cast<std::int64_t>(lease.epoch));
  p.int8(millis(duration));
  auto r = conn_.run(renew_, p, "renewal of the lease on " + in_quotes(lease.execution));
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 1) return read_lease(r->get(), 0);
  auto holder = get_lease_locked(lease.execution);
  if (!holder.ok()) return holder.status();
  return lease_lost(lease, *holder);
}

Result<std::vector<Lease>> PostgresCheckpointStore::renew_leases(
    const std::vector<Lease>& leases, std::chrono::milliseconds duration) {
  std::vector<std::string_view> executions;
  std::vector<std::int64_t> epochs;
  for (const Lease& l : leases) {
    if (l.node != leases.front().node) {
      return invalid_argument_error(conn_where() + ": renewal of leases of nodes " +
                                    in_quotes(leases.front().node) + " and " + in_quotes(l.node) +
                                    " at once");
    }
    executions.push_back(l.execution);
    epochs.push_back(static_cast<std::int64_t>(l.epoch));
  }
  if (leases.empty()) return std::vector<Lease>();
  PgParams p;
  p.bytea_array(executions).int8_array(epochs).int8(millis(duration)).text(leases.front().node);
  internal::MutexLock lock(mu_);
  auto r = conn_.run(renew_many_, p, "renewal of " + std::to_string(leases.size()) + " leases");
  if (!r.ok()) return r.status();
  std::vector<Lease> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(read_lease(r->get(), i));
  return out;
}

Status PostgresCheckpointStore::release_lease(const Lease& lease) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.bytes(lease.execution).text(lease.node).int8(static_cast<std::int64_t>(lease.epoch));
  p.text(channel_);
  auto r = conn_.run(release_, p, "release of the lease on " + in_quotes(lease.execution));
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 1) return {};
  auto holder = get_lease_locked(lease.execution);
  if (!holder.ok()) return holder.status();
  return lease_lost(lease, *holder);
}

Result<std::vector<Lease>> PostgresCheckpointStore::claim_expired_leases(
    std::string_view node, std::chrono::milliseconds duration, std::size_t limit) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.text(node).int8(millis(duration));
  p.int8(static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  auto r = conn_.run(claim_expired_, p, "takeover of expired leases");
  if (!r.ok()) return r.status();
  std::vector<Lease> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(read_lease(r->get(), i));
  std::sort(out.begin(), out.end(),
            [](const Lease& a, const Lease& b) { return a.expires_at < b.expires_at; });
  return out;
}

Result<std::vector<Lease>> PostgresCheckpointStore::list_leases(std::string_view node) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.text(node);
  auto r = conn_.run(list_leases_, p, "list of leases");
  if (!r.ok()) return r.status();
  std::vector<Lease> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(read_lease(r->get(), i));
  return out;
}

// --- Executions to start ---

Status PostgresCheckpointStore::enqueue_execution(std::string_view name, std::string_view payload) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.bytes(name).bytes(payload).text(channel_);
  const std::string what = "queueing of execution " + in_quotes(name);
  auto r = conn_.run(enqueue_, p, what);
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 1) return {};
  return {StatusCode::kAlreadyExists,
          conn_.where() + ": " + what + ": an execution of that name is already queued or stored"};
}

Result<std::vector<QueuedExecution>> PostgresCheckpointStore::claim_queued_executions(
    std::string_view node, std::chrono::milliseconds duration, std::size_t limit) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.text(node).int8(millis(duration));
  p.int8(static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  auto r = conn_.run(claim_queued_, p, "claim of queued executions");
  if (!r.ok()) return r.status();
  std::vector<QueuedExecution> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    QueuedExecution q;
    q.lease = read_lease(r->get(), i);
    q.name = q.lease.execution;
    q.payload = internal::pg_bytes(r->get(), i, 5);
    q.enqueued_at = internal::pg_int8(r->get(), i, 6);
    out.push_back(std::move(q));
  }
  return out;
}

Status PostgresCheckpointStore::remove_queued_execution(std::string_view name) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.bytes(name);
  auto r = conn_.run(remove_queued_, p, "removal of queued execution " + in_quotes(name));
  if (!r.ok()) return r.status();
  if (PQntuples(r->get()) == 1) return {};
  return not_found_error(conn_.where() + ": no queued execution " + in_quotes(name));
}

Result<std::vector<QueuedExecution>> PostgresCheckpointStore::list_queued_executions(
    std::size_t limit) {
  internal::MutexLock lock(mu_);
  PgParams p;
  if (limit == 0) {
    p.null(internal::kInt8Oid);
  } else {
    p.int8(static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  }
  auto r = conn_.run(list_queued_, p, "list of queued executions");
  if (!r.ok()) return r.status();
  std::vector<QueuedExecution> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    QueuedExecution q;
    q.name = internal::pg_bytes(r->get(), i, 0);
    q.payload = internal::pg_bytes(r->get(), i, 1);
    q.enqueued_at = internal::pg_int8(r->get(), i, 2);
    out.push_back(std::move(q));
  }
  return out;
}

// --- Wake-ups ---

Status PostgresCheckpointStore::notify(std::string_view payload) {
  internal::MutexLock lock(mu_);
  PgParams p;
  p.text(channel_).text(payload);
  auto r = conn_.run(notify_, p, "notification");
  return r.ok() ? Status() : r.status();
}

Status PostgresCheckpointStore::listen() {
  internal::MutexLock lock(listen_mu_);
  return listen_locked();
}

Status PostgresCheckpointStore::listen_locked() {
  if (listener_ == nullptr) {
    internal::MutexLock lock(mu_);
    listener_ = std::make_unique<PgConnection>(settings(conninfo_));
    listener_->set_where(conn_.where());
  }
  STEPWISE_RETURN_IF_ERROR(listener_->ensure_connected("listening"));
  if (listening_on_ == listener_->generation()) return {};
  char* ident = PQescapeIdentifier(listener_->raw(), channel_.data(), channel_.size());
  if (ident == nullptr) return internal_error(listener_->where() + ": cannot quote the channel");
  const std::string command = std::string("LISTEN ") + ident;
  PQfreemem(ident);
  STEPWISE_RETURN_IF_ERROR(listener_->exec(command, "listening"));
  listening_on_ = listener_->generation();
  return {};
}

Result<std::optional<FleetNotification>> PostgresCheckpointStore::wait_for_notification(
    std::chrono::milliseconds timeout) {
  internal::MutexLock lock(listen_mu_);
  STEPWISE_RETURN_IF_ERROR(listen_locked());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    PGconn* c = listener_->raw();
    if (PQconsumeInput(c) == 0 || PQstatus(c) != CONNECTION_OK) {
      return listener_->error(nullptr, "waiting for a notification");
    }
    if (PGnotify* n = PQnotifies(c)) {
      FleetNotification out{n->extra == nullptr ? "" : n->extra};
      PQfreemem(n);
      return std::optional<FleetNotification>(std::move(out));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::optional<FleetNotification>();
    pollfd fd{PQsocket(c), POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60000))) < 0 &&
        errno != EINTR) {
      return unavailable_error(listener_->where() + ": waiting for a notification: poll failed");
    }
  }
}

}  // namespace

Result<std::shared_ptr<FleetStore>> make_postgres_checkpoint_store(std::string conninfo,
                                                                   PostgresStoreOptions options) {
  auto store = std::make_shared<PostgresCheckpointStore>(std::move(conninfo), std::move(options));
  STEPWISE_RETURN_IF_ERROR(store->init());
  return std::shared_ptr<FleetStore>(std::move(store));
}

}  // namespace stepwise
