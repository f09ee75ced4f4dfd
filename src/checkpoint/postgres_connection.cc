// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The libpq layer of the PostgreSQL store: connections that reconnect with backoff, binary
// parameters and results, and the status codes of SQLSTATEs (postgres_connection.h).
#include "checkpoint/postgres_connection.h"

#include <poll.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

namespace stepwise::internal {
namespace {

void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

std::uint64_t read_be(const char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// libpq's messages end with a newline; a Status message does not.
std::string trimmed(const char* message) {
  std::string m = message == nullptr ? "" : message;
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

// --- Parameters ---

PgParams& PgParams::add(Oid type, std::string_view v, bool is_null) {
  types_.push_back(type);
  values_.push_back(v);
  nulls_.push_back(is_null);
  lengths_.push_back(static_cast<int>(v.size()));
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::own(Oid type, std::string v) {
  owned_.push_back(std::move(v));
  return add(type, owned_.back());
}

PgParams& PgParams::bytes(std::string_view v) { return add(kByteaOid, v); }
PgParams& PgParams::text(std::string_view v) { return add(kTextOid, v); }
PgParams& PgParams::null(Oid type) { return add(type, {}, true); }

PgParams& PgParams::int8(std::int64_t v) {
  std::string out;
  const auto u = static_cast<std::uint64_t>(v);
  put_be32(out, static_cast<std::uint32_t>(u >> 32));
  put_be32(out, static_cast<std::uint32_t>(u & 0xFFFFFFFFu));
  return own(kInt8Oid, std::move(out));
}

PgParams& PgParams::int4(std::int32_t v) {
  std::string out;
  put_be32(out, static_cast<std::uint32_t>(v));
  return own(kInt4Oid, std::move(out));
}

PgParams& PgParams::bytea_array(const std::vector<std::string_view>& values) {
  // The binary array format (array_send): dimensions, a has-nulls flag, the element type,
  // then per dimension its size and lower bound, then each element as length + bytes.
  std::size_t total = 20;
  for (std::string_view v : values) total += 4 + v.size();
  std::string out;
  out.reserve(total);
  put_be32(out, values.empty() ? 0 : 1);
  put_be32(out, 0);
  put_be32(out, kByteaOid);
  if (!values.empty()) {
    put_be32(out, static_cast<std::uint32_t>(values.size()));
    put_be32(out, 1);
    for (std::string_view v : values) {
      put_be32(out, static_cast<std::uint32_t>(v.size()));
      out.append(v);
    }
  }
  return own(kByteaArrayOid, std::move(out));
}

PgParams& PgParams::int8_array(const std::vector<std::int64_t>& values) {
  std::string out;
  out.reserve(20 + values.size() * 12);
  put_be32(out, values.empty() ? 0 : 1);
  put_be32(out, 0);
  put_be32(out, kInt8Oid);
  if (!values.empty()) {
    put_be32(out, static_cast<std::uint32_t>(values.size()));
    put_be32(out, 1);
    for (std::int64_t v : values) {
      const auto u = static_cast<std::uint64_t>(v);
      put_be32(out, 8);
      put_be32(out, static_cast<std::uint32_t>(u >> 32));
      put_be32(out, static_cast<std::uint32_t>(u & 0xFFFFFFFFu));
    }
  }
  return own(kInt8ArrayOid, std::move(out));
}

const char* const* PgParams::values() const {
  pointers_.clear();
  for (std::size_t i = 0; i < values_.size(); ++i) {
    // An empty value is an empty string, never NULL (a null pointer is SQL NULL).
    pointers_.push_back(nulls_[i] ? nullptr : values_[i].empty() ? "" : values_[i].data());
  }
  return pointers_.data();
}

// --- Results ---

std::string pg_bytes(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}

std::int64_t pg_int8(const PGresult* r, int row, int col) {
  if (PQgetlength(r, row, col) != 8) return 0;
  return static_cast<std::int64_t>(read_be(PQgetvalue(r, row, col), 8));
}

std::int32_t pg_int4(const PGresult* r, int row, int col) {
  if (PQgetlength(r, row, col) != 4) return 0;
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(read_be(PQgetvalue(r, row, col), 4)));
}

bool pg_bool(const PGresult* r, int row, int col) {
  return PQgetlength(r, row, col) == 1 && PQgetvalue(r, row, col)[0] != 0;
}

bool pg_is_null(const PGresult* r, int row, int col) { return PQgetisnull(r, row, col) != 0; }

StatusCode pg_status_code(const char* sqlstate) {
  if (sqlstate == nullptr || std::strlen(sqlstate) != 5) return StatusCode::kUnavailable;
  const std::string_view s(sqlstate, 5), cls = s.substr(0, 2);
  if (s == "53300" || s == "55P03" || s == "25006" || s == "57014") {
    return StatusCode::kUnavailable;  // too many connections, lock timeout, read-only, cancel
  }
  if (cls == "08" || cls == "57" || cls == "40" || cls == "3D") return StatusCode::kUnavailable;
  if (cls == "53") return StatusCode::kResourceExhausted;               // disk full, out of memory
  if (cls == "22" || cls == "54") return StatusCode::kInvalidArgument;  // bad data, too large
  if (s == "XX001" || s == "XX002") return StatusCode::kDataLoss;       // corrupted data, index
  if (cls == "28" || s == "42501") return StatusCode::kFailedPrecondition;  // authorization
  return StatusCode::kInternal;
}

// --- Connection ---

PgConnection::PgConnection(PgConnectionSettings settings) : settings_(std::move(settings)) {}

PgConnection::~PgConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Status PgConnection::open_new(PGconn*& out, std::string& message) const {
  const std::string timeout = std::to_string(std::max(1, settings_.connect_timeout_seconds));
  // Earlier keywords are defaults: the expanded connection string (dbname) overrides them.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "stepwise", settings_.conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    message = conn == nullptr ? "out of memory" : trimmed(PQerrorMessage(conn));
    if (conn != nullptr) PQfinish(conn);
    return unavailable_error(settings_.where + ": cannot connect: " + message);
  }
  const char* setup = settings_.synchronous_commit
                          ? "SET synchronous_commit = on; SET client_min_messages = warning"
                          : "SET synchronous_commit = off; SET client_min_messages = warning";
  PgResult r(PQexec(conn, setup));
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
    message = trimmed(PQresultErrorMessage(r.get()));
    PQfinish(conn);
    return unavailable_error(settings_.where + ": cannot set up the connection: " + message);
  }
  out = conn;
  return {};
}

Status PgConnection::connect() {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(settings_.conninfo.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string m = trimmed(parse_error);
    PQfreemem(parse_error);
    return invalid_argument_error(settings_.where + ": invalid connection string: " + m);
  }
  PQconninfoFree(parsed);
  std::string message;
  PGconn* conn = nullptr;
  STEPWISE_RETURN_IF_ERROR(open_new(conn, message));
  conn_ = conn;
  PQsetNoticeProcessor(conn_, &PgConnection::keep_notice, this);
  prepared_.clear();
  ++generation_;
  return {};
}

Status PgConnection::ensure_connected(std::string_view what) {
  if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) {
    // Inside a transaction the connection is used as it is: losing it must fail the
    // transaction, never silently continue on a new one.
    const PGTransactionStatusType ts = PQtransactionStatus(conn_);
    if (ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR) return {};
    if (idle_connection_alive()) return {};
    last_error_ = last_notice_.empty() ? trimmed(PQerrorMessage(conn_)) : last_notice_;
    if (last_error_.empty()) last_error_ = "the connection was closed";
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < next_attempt_) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now).count();
    return unavailable_error(
        settings_.where + ": " + std::string(what) + ": the connection to the server was lost (" +
        last_error_ + "); the next reconnection attempt is in " + std::to_string(wait) + " ms");
  }
  if (conn_ != nullptr) {
    PQfinish(conn_);
    conn_ = nullptr;
  }
  prepared_.clear();
  std::string message;
  PGconn* conn = nullptr;
  Status s = open_new(conn, message);
  if (!s.ok()) {
    last_error_ = message;
    backoff_ = std::clamp(backoff_ * 2, settings_.min_backoff, settings_.max_backoff);
    next_attempt_ = now + backoff_;
    return unavailable_error(settings_.where + ": " + std::string(what) +
                             ": the connection to the server was lost and reconnecting failed (" +
                             message + ")");
  }
  conn_ = conn;
  PQsetNoticeProcessor(conn_, &PgConnection::keep_notice, this);
  last_notice_.clear();
  ++generation_;
  backoff_ = std::chrono::milliseconds(0);
  next_attempt_ = {};
  return {};
}

bool PgConnection::idle_connection_alive() {
  // Reads whatever the server sent while the connection was idle: a connection it closed
  // (a restart, pg_terminate_backend) sends a FATAL message, then the end of the stream,
  // which libpq notices on a later read. Both show up here, before anything is sent.
  for (int i = 0; i < 4; ++i) {
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (::poll(&fd, 1, 0) <= 0) break;
    if (PQconsumeInput(conn_) == 0) return false;
  }
  return PQstatus(conn_) == CONNECTION_OK;
}

void PgConnection::keep_notice(void* self, const char* message) {
  static_cast<PgConnection*>(self)->last_notice_ = trimmed(message);
}

Status PgConnection::error(const PGresult* result, std::string_view what) const {
  std::string m = settings_.where + ": ";
  m.append(what);
  m += ": ";
  const char* sqlstate = nullptr;
  if (result != nullptr && PQresultStatus(result) == PGRES_FATAL_ERROR) {
    sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    m += trimmed(PQresultErrorMessage(result));
  } else {
    m += conn_ == nullptr ? "no connection" : trimmed(PQerrorMessage(conn_));
  }
  if (sqlstate != nullptr) {
    m += " (SQLSTATE ";
    m += sqlstate;
    m += ")";
  }
  StatusCode code = pg_status_code(sqlstate);
  if (lost()) code = StatusCode::kUnavailable;
  return {code, std::move(m)};
}

Result<PgResult> PgConnection::check(PGresult* raw, std::string_view what,
                                     ExecStatusType expected) {
  PgResult r(raw);
  if (r == nullptr || PQresultStatus(r.get()) != expected) return error(r.get(), what);
  return r;
}

Result<PgResult> PgConnection::run(const PgStatement& statement, const PgParams& params,
                                   std::string_view what, ExecStatusType expected) {
  STEPWISE_RETURN_IF_ERROR(ensure_connected(what));
  if (prepared_.count(statement.name) == 0) {
    PgResult p(PQprepare(conn_, statement.name.c_str(), statement.sql.c_str(),
                         static_cast<int>(statement.types.size()), statement.types.data()));
    if (p == nullptr || PQresultStatus(p.get()) != PGRES_COMMAND_OK) return error(p.get(), what);
    prepared_.insert(statement.name);
  }
  return check(PQexecPrepared(conn_, statement.name.c_str(), params.size(), params.values(),
                              params.lengths(), params.formats(), /*resultFormat=*/1),
               what, expected);
}

Result<PgResult> PgConnection::run_sql(const std::string& sql, const PgParams& params,
                                       std::string_view what, ExecStatusType expected) {
  STEPWISE_RETURN_IF_ERROR(ensure_connected(what));
  return check(PQexecParams(conn_, sql.c_str(), params.size(), params.types(), params.values(),
                            params.lengths(), params.formats(), /*resultFormat=*/1),
               what, expected);
}

Status PgConnection::exec(const std::string& sql, std::string_view what) {
  STEPWISE_RETURN_IF_ERROR(ensure_connected(what));
  PgResult r(PQexec(conn_, sql.c_str()));
  // Several statements: the result is the last one's; an error stops at the failing one.
  if (r == nullptr ||
      (PQresultStatus(r.get()) != PGRES_COMMAND_OK && PQresultStatus(r.get()) != PGRES_TUPLES_OK)) {
    return error(r.get(), what);
  }
  return {};
}

}  // namespace stepwise::internal
