// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `PostgresServer`: a private PostgreSQL 15 for tests and benchmarks. It runs `initdb` in a
// fresh temporary directory, starts `postgres` listening on a Unix socket in that directory
// and on 127.0.0.1 (a free port, password authentication over TCP), waits until it accepts
// connections, and on destruction stops it (`pg_ctl stop -m fast`) and deletes the directory.
// As root it runs the server as the `postgres` system user (initdb refuses root).
//
// Tests share one server per binary: `shared_postgres_server()` starts it on first use and
// `PostgresEnvironment` (registered by the test file) stops it at the end; each test takes a
// fresh schema or database of its own. A server left running by a test program that crashed
// is stopped by the next one to start. Without the binaries (Debian's postgresql-15, or
// STEPWISE_PG_BIN naming their directory) `unavailable_reason()` says why and tests skip.
#ifndef STEPWISE_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define STEPWISE_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/status.h"

namespace stepwise::testing_support {

struct PostgresServerOptions {
  // Whether the server syncs its writes (off: faster, fine for tests; on: benchmarks).
  bool fsync = false;
  // Extra `-c name=value` settings.
  std::vector<std::string> settings;
};

// Not thread-safe: use from one thread at a time (stores connect to it from any thread).
class PostgresServer {
 public:
  // The user and password that TCP connections must give.
  static constexpr const char* kTcpUser = "stepwise";
  static constexpr const char* kTcpPassword = "stepwise-test-password";

  // Why no server can be started here (no binaries, no `postgres` user when running as
  // root), or empty.
  static std::string unavailable_reason();

  // Starts a server; kUnavailable (with the server's log) when it does not come up in time.
  static Result<std::unique_ptr<PostgresServer>> start(const PostgresServerOptions& options = {});

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A key=value connection string for `database` over the Unix socket, as the superuser.
  std::string conninfo(const std::string& database = "postgres") const;
  // The same as a URI: postgresql://postgres@%2F...:PORT/database.
  std::string uri(const std::string& database = "postgres") const;
  // A URI over TCP on 127.0.0.1 with `user` and `password`.
  std::string tcp_uri(const std::string& database, const std::string& user = kTcpUser,
                      const std::string& password = kTcpPassword) const;
  int port() const { return port_; }
  const std::string& directory() const { return dir_; }

  // Runs `sql` (several statements allowed) in `database` as the superuser.
  Status execute(const std::string& sql, const std::string& database = "postgres") const;
  // Runs `sql` and returns the first column of its first row (empty when none).
  Result<std::string> query_value(const std::string& sql,
                                  const std::string& database = "postgres") const;
  // Creates a new, empty database and returns its name ("db1", "db2", ...).
  Result<std::string> create_database();
  // A new schema name ("s1", "s2", ...), unique in this server; not created.
  std::string fresh_name(const std::string& prefix);

  // Stops the server (fast shutdown: clients are disconnected) and starts it again, on the
  // same port and data: for tests of a database that goes away.
  Status stop();
  Status restart();
  // Disconnects every client of `database` (pg_terminate_backend), as a cut connection would.
  Status terminate_connections(const std::string& database);

 private:
  PostgresServer() = default;
  Status init_and_start(const PostgresServerOptions& options);
  void stop_abandoned_servers() const;
  Status start_server();
  Status run(const std::vector<std::string>& args, const std::string& what) const;

  std::string bin_;
  std::string dir_;
  std::string log_;
  std::string start_options_;
  int port_ = 0;
  int next_name_ = 0;
  bool running_ = false;
};

// The server shared by this test binary, started on first use; null when none can be (the
// reason in `*reason`).
PostgresServer* shared_postgres_server(std::string* reason);

// Stops the shared server at the end of the test program. Register it in each test file that
// uses the server:
//   const auto* const kPostgres =
//       ::testing::AddGlobalTestEnvironment(new testing_support::PostgresEnvironment);
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override;
};

}  // namespace stepwise::testing_support

#endif  // STEPWISE_TESTS_SUPPORT_POSTGRES_SERVER_H_
