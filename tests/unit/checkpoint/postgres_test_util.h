// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// What the PostgreSQL store's tests share: a fixture that skips without PostgreSQL 15, fails
// when the server does not start although it is installed, and opens stores in a fresh schema
// of the binary's one server.
#ifndef STEPWISE_TESTS_UNIT_CHECKPOINT_POSTGRES_TEST_UTIL_H_
#define STEPWISE_TESTS_UNIT_CHECKPOINT_POSTGRES_TEST_UTIL_H_

#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/fleet.h"
#include "stepwise/postgres/checkpoint_store.h"
#include "support/postgres_server.h"
#include "support/status_matchers.h"

namespace stepwise::checkpoint_test {

class PostgresStoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string reason = testing_support::PostgresServer::unavailable_reason();
    if (!reason.empty()) GTEST_SKIP() << reason;
    std::string why;
    server_ = testing_support::shared_postgres_server(&why);
    ASSERT_NE(server_, nullptr) << "the PostgreSQL server did not start: " << why;
    schema_ = server_->fresh_name("t");
  }

  // Options for a store in this test's schema.
  PostgresStoreOptions options() const {
    PostgresStoreOptions o;
    o.schema = schema_;
    o.synchronous_commit = false;
    o.reconnect_min_backoff = std::chrono::milliseconds(0);  // every call retries at once
    return o;
  }

  // A store in this test's schema (a connection of its own); fails the test if it cannot.
  std::shared_ptr<FleetStore> open() const {
    auto store = make_postgres_checkpoint_store(server_->uri(), options());
    EXPECT_THAT(store, testing_support::IsOk());
    return store.ok() ? *store : nullptr;
  }

  // `sql` with `{s}` replaced by this test's schema.
  std::string with_schema(const std::string& sql) const {
    std::string text;
    for (std::size_t i = 0; i < sql.size();) {
      if (sql.compare(i, 3, "{s}") == 0) {
        text += schema_;
        i += 3;
      } else {
        text += sql[i++];
      }
    }
    return text;
  }
  // Runs `sql` (see `with_schema`) in the server's database as the superuser.
  void admin(const std::string& sql) const {
    ASSERT_THAT(server_->execute(with_schema(sql)), testing_support::IsOk());
  }
  // The first column of the first row of `sql` (see `with_schema`), as text.
  std::string value(const std::string& sql) const {
    Result<std::string> r = server_->query_value(with_schema(sql));
    EXPECT_THAT(r, testing_support::IsOk());
    return r.ok() ? *r : "";
  }

  testing_support::PostgresServer* server_ = nullptr;
  std::string schema_;
};

}  // namespace stepwise::checkpoint_test

#endif  // STEPWISE_TESTS_UNIT_CHECKPOINT_POSTGRES_TEST_UTIL_H_
