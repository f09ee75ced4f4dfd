// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The libpq layer of the PostgreSQL store (stepwise/postgres/checkpoint_store.h): one
// connection that reconnects with backoff when lost and prepares statements on first use,
// binary parameters (bytea arrays included) and readers of binary results, and the mapping of
// SQLSTATEs to `StatusCode`s. Every libpq error message ends up in the returned `Status`.
#ifndef STEPWISE_SRC_CHECKPOINT_POSTGRES_CONNECTION_H_
#define STEPWISE_SRC_CHECKPOINT_POSTGRES_CONNECTION_H_

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/status.h"

namespace stepwise::internal {

// Type OIDs of the parameters the store sends (pg_type.h).
inline constexpr Oid kBoolOid = 16;
inline constexpr Oid kByteaOid = 17;
inline constexpr Oid kInt8Oid = 20;
inline constexpr Oid kInt4Oid = 23;
inline constexpr Oid kTextOid = 25;
inline constexpr Oid kByteaArrayOid = 1001;
inline constexpr Oid kInt8ArrayOid = 1016;

// The binary parameters of one statement. Views passed to `bytes`/`text` must outlive the
// call that uses the parameters; everything else is copied.
//
// Not thread-safe: use from one thread at a time.
class PgParams {
 public:
  PgParams& bytes(std::string_view v);  // bytea
  PgParams& text(std::string_view v);   // text (must be valid in the database's encoding)
  PgParams& int8(std::int64_t v);
  PgParams& int4(std::int32_t v);
  PgParams& null(Oid type);
  // A one-dimensional bytea[] (empty allowed).
  PgParams& bytea_array(const std::vector<std::string_view>& values);
  // A one-dimensional int8[] (empty allowed).
  PgParams& int8_array(const std::vector<std::int64_t>& values);

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  // Pointers into the views and the owned copies; valid until the next call that adds one.
  const char* const* values() const;
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  PgParams& add(Oid type, std::string_view v, bool is_null = false);
  PgParams& own(Oid type, std::string v);

  std::vector<Oid> types_;
  std::vector<std::string_view> values_;
  std::vector<bool> nulls_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::deque<std::string> owned_;  // a deque: adding does not move the earlier strings
  mutable std::vector<const char*> pointers_;
};

// Owns a PGresult.
struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

// Readers of a binary-format result's cells.
std::string pg_bytes(const PGresult* r, int row, int col);
std::int64_t pg_int8(const PGresult* r, int row, int col);
std::int32_t pg_int4(const PGresult* r, int row, int col);
bool pg_bool(const PGresult* r, int row, int col);
bool pg_is_null(const PGresult* r, int row, int col);

// The status code of a server error's SQLSTATE (nullptr, a client-side error, is kUnavailable).
StatusCode pg_status_code(const char* sqlstate);

// A statement prepared on each connection the first time it is used there.
struct PgStatement {
  std::string name;
  std::string sql;
  std::vector<Oid> types;
};

struct PgConnectionSettings {
  std::string conninfo;
  int connect_timeout_seconds = 10;
  bool synchronous_commit = true;
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  // Begins every message: "PostgreSQL checkpoint store <where>: ".
  std::string where;
};

// One libpq connection that reconnects when lost.
//
// Not thread-safe: use from one thread at a time (the store holds a mutex around it).
class PgConnection {
 public:
  explicit PgConnection(PgConnectionSettings settings);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Connects now (used once, by the store's factory): kInvalidArgument for a connection
  // string libpq cannot parse, kUnavailable with libpq's message when connecting fails.
  Status connect();

  // Makes sure the connection is up: detects a connection the server closed while it was
  // idle, and reconnects, at most once per backoff period. kUnavailable otherwise.
  Status ensure_connected(std::string_view what);

  // Runs `statement` with `params` (binary results), preparing it on first use on this
  // connection. `expected` is PGRES_TUPLES_OK for statements returning rows.
  Result<PgResult> run(const PgStatement& statement, const PgParams& params, std::string_view what,
                       ExecStatusType expected = PGRES_TUPLES_OK);
  // Runs `sql` unprepared with `params` (binary results).
  Result<PgResult> run_sql(const std::string& sql, const PgParams& params, std::string_view what,
                           ExecStatusType expected = PGRES_TUPLES_OK);
  // Runs `sql`, which may hold several statements and takes no parameters.
  Status exec(const std::string& sql, std::string_view what);

  // Whether the last failure lost the connection (a commit's outcome is then unknown).
  bool lost() const { return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK; }

  // A status for `what` from a failed result (or, with `result` null, from the connection).
  Status error(const PGresult* result, std::string_view what) const;

  PGconn* raw() const { return conn_; }
  // Counts the connections made: changes when `ensure_connected` reconnects (session state
  // such as LISTEN must then be set up again).
  std::uint64_t generation() const { return generation_; }
  const std::string& where() const { return settings_.where; }
  // Sets the text that begins every message (once the server is known).
  void set_where(std::string where) { settings_.where = std::move(where); }

 private:
  Status open_new(PGconn*& out, std::string& message) const;
  // Whether an idle connection is still up (see ensure_connected).
  bool idle_connection_alive();
  // libpq's notice processor: keeps the server's last notice (such as the FATAL message of a
  // terminated connection) for error messages, instead of printing it to stderr.
  static void keep_notice(void* self, const char* message);
  Result<PgResult> check(PGresult* raw, std::string_view what, ExecStatusType expected);

  PgConnectionSettings settings_;
  PGconn* conn_ = nullptr;
  std::set<std::string> prepared_;  // statements prepared on `conn_`
  std::uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
  std::string last_error_;
  std::string last_notice_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_CHECKPOINT_POSTGRES_CONNECTION_H_
