// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The PostgreSQL store beyond the contract suite (store_contract_test.cc runs that): opening
// (connection strings, bad credentials, unreachable servers), the schema it creates and the
// schemas it refuses untouched, concurrent creation, two connections fencing each other, and a
// server or connection that goes away. Each test uses a schema of its own on the binary's one
// private server, and skips without PostgreSQL 15.
#include <libpq-fe.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/checkpoint.h"
#include "stepwise/postgres/checkpoint_store.h"
#include "support/postgres_server.h"
#include "support/status_matchers.h"
#include "unit/checkpoint/checkpoint_test_util.h"
#include "unit/checkpoint/postgres_test_util.h"

namespace stepwise {
namespace {

using ::stepwise::testing_support::IsOk;
using ::stepwise::testing_support::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace ::stepwise::checkpoint_test;  // NOLINT

const auto* const kPostgres =
    ::testing::AddGlobalTestEnvironment(new testing_support::PostgresEnvironment);

using PostgresStoreTest = PostgresStoreFixture;

TEST_F(PostgresStoreTest, TheStoreCreatesItsSchemaWithAMetaTable) {
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(value("SELECT value FROM {s}.stepwise_meta WHERE key = 'application'"),
            "stepwise checkpoints");
  EXPECT_EQ(value("SELECT value FROM {s}.stepwise_meta WHERE key = 'schema_version'"), "1");
  EXPECT_EQ(value("SELECT count(*) FROM pg_tables WHERE schemaname = '{s}' "
                  "AND tablename LIKE 'stepwise\\_%'"),
            "7");
}

TEST_F(PostgresStoreTest, ASecondStoreOnTheSchemaSeesEverything) {
  auto first = open();
  ASSERT_NE(first, nullptr);
  CheckpointBatch b = batch("order-1", 1, {{"k", "v"}}, {}, {"e1"});
  b.definition = "DEF";
  ASSERT_THAT(first->commit(b), IsOk());
  first.reset();
  auto second = open();
  ASSERT_NE(second, nullptr);
  Result<StoredExecution> loaded = second->load("order-1");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->definition, "DEF");
  EXPECT_EQ(record_map(*loaded), (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_THAT(loaded->history, ElementsAre("e1"));
}

TEST_F(PostgresStoreTest, AUriAConninfoStringAndTcpWithAPasswordAllWork) {
  for (const std::string& conninfo :
       {server_->uri(), server_->conninfo(), server_->tcp_uri("postgres")}) {
    SCOPED_TRACE(conninfo);
    auto store = make_postgres_checkpoint_store(conninfo, options());
    ASSERT_THAT(store, IsOk());
    EXPECT_THAT((*store)->list({}), IsOk());
  }
}

TEST_F(PostgresStoreTest, AWrongPasswordIsAClearErrorAtOpen) {
  auto store = make_postgres_checkpoint_store(
      server_->tcp_uri("postgres", testing_support::PostgresServer::kTcpUser, "wrong"), options());
  EXPECT_THAT(store, StatusIs(StatusCode::kUnavailable,
                              AllOf(HasSubstr("PostgreSQL checkpoint store: cannot connect: "),
                                    HasSubstr("password authentication failed for user "
                                              "\"stepwise\""))));
}

TEST_F(PostgresStoreTest, AMissingDatabaseIsAClearErrorAtOpen) {
  auto store = make_postgres_checkpoint_store(server_->uri("no_such_db"), options());
  EXPECT_THAT(store, StatusIs(StatusCode::kUnavailable,
                              HasSubstr("database \"no_such_db\" does not exist")));
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailableAtOpen) {
  PostgresStoreOptions o = options();
  o.connect_timeout_seconds = 2;
  // Port 1 on the loopback: nothing listens there.
  auto store = make_postgres_checkpoint_store("postgresql://u@127.0.0.1:1/db", o);
  EXPECT_THAT(store, StatusIs(StatusCode::kUnavailable,
                              AllOf(HasSubstr("cannot connect"), HasSubstr("refused"))));
}

TEST_F(PostgresStoreTest, AnUnparsableConnectionStringIsInvalidArgument) {
  EXPECT_THAT(make_postgres_checkpoint_store("postgresql://[::1", options()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("invalid connection string")));
  EXPECT_THAT(make_postgres_checkpoint_store("dbname='unterminated", options()),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("invalid connection string")));
}

TEST_F(PostgresStoreTest, TablesOfAnotherApplicationAreRefusedAndLeftUntouched) {
  admin(
      "CREATE SCHEMA {s}; CREATE TABLE {s}.stepwise_executions(id int, note text);"
      "INSERT INTO {s}.stepwise_executions VALUES (1, 'theirs')");
  auto store = make_postgres_checkpoint_store(server_->uri(), options());
  EXPECT_THAT(store, StatusIs(StatusCode::kFailedPrecondition,
                              AllOf(HasSubstr("(stepwise_executions) but no stepwise_meta table"),
                                    HasSubstr("another application; it was not modified"))));
  EXPECT_EQ(value("SELECT note FROM {s}.stepwise_executions WHERE id = 1"), "theirs");
  EXPECT_EQ(value("SELECT count(*) FROM pg_tables WHERE schemaname = '{s}'"), "1");
}

TEST_F(PostgresStoreTest, AMetaTableOfAnotherApplicationIsRefused) {
  admin(
      "CREATE SCHEMA {s}; CREATE TABLE {s}.stepwise_meta(key text, value text);"
      "INSERT INTO {s}.stepwise_meta VALUES ('application', 'stepwise billing')");
  auto store = make_postgres_checkpoint_store(server_->uri(), options());
  EXPECT_THAT(store, StatusIs(StatusCode::kFailedPrecondition,
                              HasSubstr("the stepwise_meta table belongs to another application "
                                        "(application \"stepwise billing\", expected "
                                        "\"stepwise checkpoints\"); it was not modified")));
  EXPECT_EQ(value("SELECT count(*) FROM pg_tables WHERE schemaname = '{s}'"), "1");
}

TEST_F(PostgresStoreTest, ANewerSchemaVersionIsRefusedAndLeftUntouched) {
  ASSERT_NE(open(), nullptr);
  admin("UPDATE {s}.stepwise_meta SET value = '2' WHERE key = 'schema_version'");
  auto store = make_postgres_checkpoint_store(server_->uri(), options());
  EXPECT_THAT(store, StatusIs(StatusCode::kFailedPrecondition,
                              HasSubstr("has checkpoint schema version 2, but this build of "
                                        "Stepwise reads version 1 (it was written by a newer "
                                        "Stepwise); it was not modified")));
  EXPECT_EQ(value("SELECT value FROM {s}.stepwise_meta WHERE key = 'schema_version'"), "2");
}

TEST_F(PostgresStoreTest, ADamagedSchemaIsDataLoss) {
  ASSERT_NE(open(), nullptr);
  admin("DROP TABLE {s}.stepwise_records");
  EXPECT_THAT(make_postgres_checkpoint_store(server_->uri(), options()),
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("has a damaged schema: table stepwise_records is missing")));
  admin("UPDATE {s}.stepwise_meta SET value = 'one' WHERE key = 'schema_version'");
  EXPECT_THAT(make_postgres_checkpoint_store(server_->uri(), options()),
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("the stepwise_meta table gives schema version \"one\"")));
}

TEST_F(PostgresStoreTest, AnEmptySchemaWithoutCreateIsNotFound) {
  PostgresStoreOptions o = options();
  o.create_if_missing = false;
  EXPECT_THAT(make_postgres_checkpoint_store(server_->uri(), o),
              StatusIs(StatusCode::kNotFound, HasSubstr("holds no Stepwise checkpoint tables")));
}

TEST_F(PostgresStoreTest, StoresCreatingTheSchemaAtOnceAllSucceed) {
  constexpr int kStores = 6;
  std::vector<std::thread> threads;
  std::vector<Status> results(kStores);
  for (int i = 0; i < kStores; ++i) {
    threads.emplace_back([&, i] {
      auto store = make_postgres_checkpoint_store(server_->uri(), options());
      results[i] =
          store.ok() ? (*store)->commit(batch("x" + std::to_string(i), 1)) : store.status();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) EXPECT_THAT(s, IsOk());
  EXPECT_EQ(value("SELECT count(*) FROM {s}.stepwise_executions"), std::to_string(kStores));
  EXPECT_EQ(value("SELECT count(*) FROM {s}.stepwise_meta"), "2");
}

TEST_F(PostgresStoreTest, TheDefaultSchemaIsTheConnectionsCurrentOne) {
  Result<std::string> db = server_->create_database();
  ASSERT_THAT(db, IsOk());
  auto store = make_postgres_checkpoint_store(server_->uri(*db));
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->commit(batch("x", 1)), IsOk());
  Result<std::string> n =
      server_->query_value("SELECT count(*) FROM public.stepwise_executions", *db);
  ASSERT_THAT(n, IsOk());
  EXPECT_EQ(*n, "1");
}

TEST_F(PostgresStoreTest, TwoConnectionsCannotBothAdvanceAnExecution) {
  auto a = open();
  auto b = open();
  ASSERT_THAT(a->commit(batch("x", 1)), IsOk());
  ASSERT_THAT(a->commit(batch("x", 2, {{"by", "a"}})), IsOk());
  EXPECT_THAT(b->commit(batch("x", 2, {{"by", "b"}})),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("expected 3")));
  Result<StoredExecution> loaded = b->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(record_map(*loaded), (std::map<std::string, std::string>{{"by", "a"}}));
}

TEST_F(PostgresStoreTest, AValueTheDatabaseCannotHoldIsInvalidArgument) {
  auto store = open();
  // A format version beyond integer is not possible through the API; a status that is not a
  // valid summary is just bytes. What the server refuses is reported with its SQLSTATE:
  // here a lease node name that is not valid UTF-8.
  EXPECT_THAT(store->acquire_lease("x", std::string("\xff\xfe", 2), std::chrono::seconds(5)),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("SQLSTATE 22021")));
  // The store stays usable.
  EXPECT_THAT(store->commit(batch("x", 1)), IsOk());
}

TEST_F(PostgresStoreTest, AConnectionCutWhileIdleIsReplacedWithoutAnError) {
  auto store = open();
  ASSERT_THAT(store->commit(batch("x", 1)), IsOk());
  ASSERT_THAT(server_->terminate_connections("postgres"), IsOk());
  EXPECT_THAT(store->commit(batch("x", 2)), IsOk());
  Result<StoredExecution> loaded = store->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->summary.version, 2u);
}

TEST_F(PostgresStoreTest, AStoppedServerFailsCallsAsUnavailableUntilItReturns) {
  auto store = open();
  ASSERT_THAT(store->commit(batch("x", 1, {{"a", "1"}})), IsOk());
  ASSERT_THAT(server_->stop(), IsOk());
  EXPECT_THAT(store->commit(batch("x", 2, {{"a", "2"}})),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("commit of execution \"x\""),
                             HasSubstr("reconnecting failed"), HasSubstr("No such file"))));
  EXPECT_THAT(store->load("x"), StatusIs(StatusCode::kUnavailable));
  ASSERT_THAT(server_->restart(), IsOk());
  // Nothing of the failed commit was written; the same batch now commits.
  Result<StoredExecution> loaded = store->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->summary.version, 1u);
  EXPECT_EQ(record_map(*loaded), (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_THAT(store->commit(batch("x", 2, {{"a", "2"}})), IsOk());
}

TEST_F(PostgresStoreTest, AfterAFailedReconnectionCallsWaitForTheBackoff) {
  PostgresStoreOptions o = options();
  o.reconnect_min_backoff = std::chrono::hours(1);
  auto store = make_postgres_checkpoint_store(server_->uri(), o);
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT(server_->stop(), IsOk());
  EXPECT_THAT((*store)->list({}),
              StatusIs(StatusCode::kUnavailable, HasSubstr("reconnecting failed")));
  ASSERT_THAT(server_->restart(), IsOk());
  // The server is back, but the next attempt is an hour away: no connection storm.
  EXPECT_THAT((*store)->list({}),
              StatusIs(StatusCode::kUnavailable, HasSubstr("the next reconnection attempt is in")));
}

TEST_F(PostgresStoreTest, ACommitWhoseConnectionDiesIsNeverReportedAsOk) {
  auto store = open();
  ASSERT_THAT(store->commit(batch("x", 1)), IsOk());
  // Another session locks the execution's row, so the commit waits inside the server; then
  // its connection is cut.
  const std::string locker = server_->conninfo();
  std::thread commit_thread;
  Status committed;
  {
    std::unique_ptr<PGconn, void (*)(PGconn*)> lock(PQconnectdb(locker.c_str()), PQfinish);
    ASSERT_EQ(PQstatus(lock.get()), CONNECTION_OK);
    PQclear(PQexec(lock.get(), with_schema("BEGIN; SELECT 1 FROM {s}.stepwise_executions "
                                           "WHERE name = 'x' FOR UPDATE")
                                   .c_str()));
    commit_thread = std::thread([&] { committed = store->commit(batch("x", 2, {{"k", "v"}})); });
    // Wait (bounded) until the commit is blocked on the lock, then cut its connection.
    std::string blocked;
    for (int i = 0; i < 500 && blocked != "1"; ++i) {
      blocked = value(
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
          "'stepwise' AND wait_event_type = 'Lock'");
      if (blocked != "1") std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(blocked, "1");
    admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
        "'stepwise' AND wait_event_type = 'Lock'");
    commit_thread.join();
    PQclear(PQexec(lock.get(), "ROLLBACK"));
  }
  EXPECT_THAT(committed,
              StatusIs(StatusCode::kUnavailable, HasSubstr("may or may not have been applied")));
  Result<StoredExecution> loaded = store->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->summary.version, 1u);
}

}  // namespace
}  // namespace stepwise
