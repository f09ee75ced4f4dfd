// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The `CheckpointStore` contract (docs/checkpoints.md), run against every store the library
// ships (the in-memory store and, when they are built, the SQLite store and the PostgreSQL
// store, on a private server: skipped without PostgreSQL 15) and against the documentation's
// example store over a key-value database.
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/checkpoint.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "unit/checkpoint/kv_example_store.h"
#include "unit/checkpoint/checkpoint_test_util.h"
#if STEPWISE_TEST_SQLITE
#include "stepwise/sqlite/checkpoint_store.h"
#endif
#if STEPWISE_TEST_POSTGRES
#include "stepwise/postgres/checkpoint_store.h"
#include "support/postgres_server.h"
#endif

namespace stepwise {
namespace {

using ::stepwise::testing_support::IsOk;
using ::stepwise::testing_support::StatusIs;
using ::stepwise::testing_support::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using namespace ::stepwise::checkpoint_test;  // NOLINT

struct StoreKind {
  std::string name;
  // Opens a store whose files (if any) live in `dir`.
  std::function<std::shared_ptr<CheckpointStore>(const TempDir& dir)> open;
  // Whether the store gives the library's own error messages (the example store does not).
  bool library_messages = true;
  // Why the store cannot be tested here (empty: it can).
  std::function<std::string()> skip_reason = [] { return std::string(); };
  friend void PrintTo(const StoreKind& kind, std::ostream* os) { *os << kind.name; }
};

class StoreContractTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    const std::string skip = GetParam().skip_reason();
    if (!skip.empty()) GTEST_SKIP() << skip;
    store_ = GetParam().open(dir_);
    ASSERT_NE(store_, nullptr);
  }

  // Matches `text` exactly for the library's stores, anything for the others.
  static ::testing::Matcher<std::string> message(const std::string& text) {
    if (GetParam().library_messages) return ::testing::Eq(text);
    return ::testing::_;
  }

  TempDir dir_;
  std::shared_ptr<CheckpointStore> store_;
};

// A thread-safe in-memory `KvDb` for the documentation's example store.
class MemoryKvDb final : public kv_example::KvDb {
 public:
  Result<std::optional<std::string>> get(std::string_view key) override {
    std::lock_guard lock(mu_);
    auto it = data_.find(key);
    return it == data_.end() ? std::nullopt : std::optional(it->second);
  }
  Result<std::vector<std::pair<std::string, std::string>>> scan_prefix(
      std::string_view prefix) override {
    std::lock_guard lock(mu_);
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = data_.lower_bound(prefix);
         it != data_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
      out.emplace_back(it->first, it->second);
    }
    return out;
  }
  Status write(const std::vector<Write>& writes, const std::string& key,
               const std::optional<std::string>& expected) override {
    std::lock_guard lock(mu_);
    auto it = data_.find(key);
    if ((it == data_.end() ? std::nullopt : std::optional(it->second)) != expected) {
      return failed_precondition_error("\"" + key + "\" changed");
    }
    for (const Write& w : writes) {
      if (w.value) {
        data_.insert_or_assign(w.key, *w.value);
      } else {
        data_.erase(w.key);
      }
    }
    return {};
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> data_;  // GUARDED_BY(mu_)
};

TEST_P(StoreContractTest, CommitThenLoadRoundTripsEveryField) {
  CheckpointBatch b = batch("order-42", 1, {{"exec", "{\"a\":1}"}, {"frame/0", "{}"}}, {},
                            {"{\"id\":1}", "{\"id\":2}"});
  b.summary.state_machine_name = "Orders";
  b.summary.fingerprint = "sha256:abc";
  b.summary.format_version = 7;
  b.summary.status = "RUNNING";
  b.summary.start_time = 1700000000123456789;
  b.summary.stop_time = 0;
  b.summary.redrive_count = 2;
  b.summary.current_state = "Charge";
  b.definition = R"({"StartAt":"Charge","States":{}})";
  ASSERT_THAT(store_->commit(b), IsOk());

  Result<StoredExecution> loaded = store_->load("order-42");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->summary.name, "order-42");
  EXPECT_EQ(loaded->summary.state_machine_name, "Orders");
  EXPECT_EQ(loaded->summary.fingerprint, "sha256:abc");
  EXPECT_EQ(loaded->summary.format_version, 7);
  EXPECT_EQ(loaded->summary.status, "RUNNING");
  EXPECT_EQ(loaded->summary.start_time, 1700000000123456789);
  EXPECT_EQ(loaded->summary.stop_time, 0);
  EXPECT_EQ(loaded->summary.redrive_count, 2);
  EXPECT_EQ(loaded->summary.current_state, "Charge");
  EXPECT_EQ(loaded->summary.version, 1u);
  EXPECT_EQ(loaded->definition, R"({"StartAt":"Charge","States":{}})");
  EXPECT_EQ(record_map(*loaded),
            (std::map<std::string, std::string>{{"exec", "{\"a\":1}"}, {"frame/0", "{}"}}));
  EXPECT_THAT(loaded->history, ElementsAre("{\"id\":1}", "{\"id\":2}"));
}

TEST_P(StoreContractTest, LoadOfAnUnknownExecutionIsNotFound) {
  EXPECT_THAT(store_->load("nobody"), StatusIs(StatusCode::kNotFound, HasSubstr("\"nobody\"")));
}

TEST_P(StoreContractTest, LaterCommitsReplaceTheSummaryAndKeepTheDefinition) {
  CheckpointBatch first = batch("x", 1);
  first.definition = "DEF";
  ASSERT_THAT(store_->commit(first), IsOk());
  CheckpointBatch second = batch("x", 2);
  second.summary.status = "SUCCEEDED";
  second.summary.stop_time = 99;
  second.summary.current_state = "";
  ASSERT_THAT(store_->commit(second), IsOk());

  Result<StoredExecution> loaded = store_->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->summary.status, "SUCCEEDED");
  EXPECT_EQ(loaded->summary.stop_time, 99);
  EXPECT_EQ(loaded->summary.version, 2u);
  EXPECT_EQ(loaded->definition, "DEF");
}

TEST_P(StoreContractTest, PutsReplaceAndDeletesRemove) {
  ASSERT_THAT(store_->commit(batch("x", 1, {{"a", "1"}, {"b", "1"}, {"c", "1"}})), IsOk());
  // Replace b, delete c and a key that does not exist, add d; within one batch the later put
  // of a key wins, and a key both put and deleted ends up deleted.
  ASSERT_THAT(store_->commit(batch("x", 2, {{"b", "2"}, {"d", "1"}, {"d", "2"}, {"e", "1"}},
                                   {"c", "missing", "e"})),
              IsOk());
  Result<StoredExecution> loaded = store_->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(record_map(*loaded),
            (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}, {"d", "2"}}));
}

TEST_P(StoreContractTest, RecordsOfOneExecutionDoNotLeakIntoAnother) {
  ASSERT_THAT(store_->commit(batch("x", 1, {{"k", "x"}}, {}, {"hx"})), IsOk());
  ASSERT_THAT(store_->commit(batch("xy", 1, {{"k", "xy"}}, {}, {"hxy"})), IsOk());
  ASSERT_THAT(store_->commit(batch("x", 2, {}, {"k"})), IsOk());
  Result<StoredExecution> xy = store_->load("xy");
  ASSERT_THAT(xy, IsOk());
  EXPECT_EQ(record_map(*xy), (std::map<std::string, std::string>{{"k", "xy"}}));
  EXPECT_THAT(xy->history, ElementsAre("hxy"));
  Result<StoredExecution> x = store_->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_THAT(x->records, IsEmpty());
  EXPECT_THAT(x->history, ElementsAre("hx"));
}

TEST_P(StoreContractTest, HistoryIsAppendedInOrderAcrossCommits) {
  ASSERT_THAT(store_->commit(batch("x", 1, {}, {}, {"e1", "e2"})), IsOk());
  ASSERT_THAT(store_->commit(batch("x", 2)), IsOk());
  ASSERT_THAT(store_->commit(batch("x", 3, {}, {}, {"e3"})), IsOk());
  ASSERT_THAT(store_->commit(batch("x", 4, {}, {}, {"e4", "e5", "e6"})), IsOk());
  Result<StoredExecution> loaded = store_->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_THAT(loaded->history, ElementsAre("e1", "e2", "e3", "e4", "e5", "e6"));
}

TEST_P(StoreContractTest, AVersionConflictIsRefusedAndChangesNothing) {
  CheckpointBatch first = batch("x", 1, {{"a", "1"}}, {}, {"e1"});
  first.definition = "DEF";
  ASSERT_THAT(store_->commit(first), IsOk());
  ASSERT_THAT(store_->commit(batch("x", 2, {{"b", "1"}}, {}, {"e2"})), IsOk());
  Result<StoredExecution> before = store_->load("x");
  ASSERT_THAT(before, IsOk());

  struct Case {
    std::uint64_t version;
    std::string message;
  };
  const Case cases[] = {
      {1,
       "version conflict on execution \"x\": the batch has version 1, expected 3 (the stored "
       "version is 2; version 1 creates an execution, and this one exists)"},
      {2,
       "version conflict on execution \"x\": the batch has version 2, expected 3 (the stored "
       "version is 2; another engine may have advanced the execution)"},
      {5,
       "version conflict on execution \"x\": the batch has version 5, expected 3 (the stored "
       "version is 2; another engine may have advanced the execution)"},
      {0,
       "version conflict on execution \"x\": the batch has version 0, expected 3 (the stored "
       "version is 2; another engine may have advanced the execution)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.version);
    CheckpointBatch stale =
        batch("x", c.version, {{"a", "changed"}, {"z", "new"}}, {"b"}, {"stale-event"});
    stale.summary.status = "FAILED";
    stale.definition = "OTHER";
    EXPECT_THAT(store_->commit(stale),
                StatusIs(StatusCode::kFailedPrecondition, message(c.message)));
  }
  Result<StoredExecution> after = store_->load("x");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->summary.version, 2u);
  EXPECT_EQ(after->summary.status, "RUNNING");
  EXPECT_EQ(after->definition, "DEF");
  EXPECT_EQ(record_map(*after), record_map(*before));
  EXPECT_EQ(after->history, before->history);
}

TEST_P(StoreContractTest, TheFirstBatchMustHaveVersionOne) {
  EXPECT_THAT(store_->commit(batch("new", 2, {{"a", "1"}})),
              StatusIs(StatusCode::kFailedPrecondition,
                       message("version conflict on execution \"new\": the batch has version "
                               "2, expected 1 (no checkpoint of that name is stored; version 1 "
                               "creates one)")));
  EXPECT_THAT(store_->load("new"), StatusIs(StatusCode::kNotFound));
  Result<std::vector<ExecutionSummary>> all = store_->list({});
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, IsEmpty());
}

TEST_P(StoreContractTest, ListFiltersByStatusAndPrefixInNameOrder) {
  const std::pair<const char*, const char*> executions[] = {
      {"order-3", "RUNNING"}, {"order-1", "SUCCEEDED"}, {"invoice-1", "RUNNING"},
      {"order-2", "RUNNING"}, {"order", "FAILED"},      {"ordes", "RUNNING"},
      {"orden", "RUNNING"},
  };
  for (const auto& [name, status] : executions) {
    CheckpointBatch b = batch(name, 1);
    b.summary.status = status;
    ASSERT_THAT(store_->commit(b), IsOk());
  }
  auto names = [&](const ExecutionFilter& f) {
    Result<std::vector<ExecutionSummary>> r = store_->list(f);
    EXPECT_THAT(r, IsOk());
    std::vector<std::string> out;
    if (r.ok()) {
      for (const ExecutionSummary& s : *r) out.push_back(s.name);
    }
    return out;
  };
  EXPECT_THAT(names(filter()),
              ElementsAre("invoice-1", "orden", "order", "order-1", "order-2", "order-3", "ordes"));
  EXPECT_THAT(names(filter("RUNNING")),
              ElementsAre("invoice-1", "orden", "order-2", "order-3", "ordes"));
  EXPECT_THAT(names(filter("", "order")), ElementsAre("order", "order-1", "order-2", "order-3"));
  EXPECT_THAT(names(filter("RUNNING", "order-")), ElementsAre("order-2", "order-3"));
  EXPECT_THAT(names(filter("", "order", "", 2)), ElementsAre("order", "order-1"));
  EXPECT_THAT(names(filter("ABORTED")), IsEmpty());
  EXPECT_THAT(names(filter("", "zzz")), IsEmpty());

  // Paging with start_after.
  EXPECT_THAT(names(filter("", "order", "order-1", 2)), ElementsAre("order-2", "order-3"));
  EXPECT_THAT(names(filter("", "order", "order-3", 2)), IsEmpty());
  EXPECT_THAT(names(filter("RUNNING", "", "order-2")), ElementsAre("order-3", "ordes"));
  // A start_after before the prefix range does not widen it.
  EXPECT_THAT(names(filter("", "order-", "a")), ElementsAre("order-1", "order-2", "order-3"));

  Result<std::vector<ExecutionSummary>> r = store_->list(filter("", "order-3"));
  ASSERT_THAT(r, IsOk());
  ASSERT_THAT(*r, SizeIs(1));
  EXPECT_EQ((*r)[0].status, "RUNNING");
  EXPECT_EQ((*r)[0].version, 1u);
}

TEST_P(StoreContractTest, ListHandlesPrefixesEndingInByte0xFF) {
  const std::string ff = "a\xff";
  for (const std::string& name : {std::string("a"), ff, ff + "\xff", ff + "x", std::string("b")}) {
    ASSERT_THAT(store_->commit(batch(name, 1)), IsOk());
  }
  Result<std::vector<ExecutionSummary>> r = store_->list(filter("", ff));
  ASSERT_THAT(r, IsOk());
  std::vector<std::string> names;
  for (const ExecutionSummary& s : *r) names.push_back(s.name);
  EXPECT_THAT(names, ElementsAre(ff, ff + "x", ff + "\xff"));  // byte order: x < 0xFF
}

TEST_P(StoreContractTest, RemoveDeletesTheExecutionAndEverythingInIt) {
  ASSERT_THAT(store_->commit(batch("x", 1, {{"a", "1"}}, {}, {"e1"})), IsOk());
  ASSERT_THAT(store_->commit(batch("y", 1, {{"a", "y"}}, {}, {"ey"})), IsOk());
  ASSERT_THAT(store_->remove("x"), IsOk());
  EXPECT_THAT(store_->load("x"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store_->remove("x"), StatusIs(StatusCode::kNotFound, HasSubstr("\"x\"")));
  Result<std::vector<ExecutionSummary>> all = store_->list({});
  ASSERT_THAT(all, IsOk());
  ASSERT_THAT(*all, SizeIs(1));
  EXPECT_EQ((*all)[0].name, "y");

  // The name can be used again, from version 1, with nothing left of the old execution.
  ASSERT_THAT(store_->commit(batch("x", 1, {{"b", "2"}}, {}, {"new"})), IsOk());
  Result<StoredExecution> x = store_->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_EQ(record_map(*x), (std::map<std::string, std::string>{{"b", "2"}}));
  EXPECT_THAT(x->history, ElementsAre("new"));
  EXPECT_EQ(x->definition, "");
}

TEST_P(StoreContractTest, LargeValuesAndBatchesRoundTrip) {
  std::string big(5 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7919 % 251);
  std::vector<CheckpointRecord> puts = {{"big", big}};
  for (int i = 0; i < 10000; ++i) puts.push_back({"r/" + std::to_string(i), std::to_string(i)});
  CheckpointBatch b = batch("x", 1, puts, {}, {std::string(300000, 'h')});
  b.definition = std::string(1 << 20, 'd');
  ASSERT_THAT(store_->commit(b), IsOk());
  Result<StoredExecution> loaded = store_->load("x");
  ASSERT_THAT(loaded, IsOk());
  std::map<std::string, std::string> records = record_map(*loaded);
  EXPECT_EQ(records.size(), 10001u);
  EXPECT_TRUE(records["big"] == big);
  EXPECT_EQ(records["r/9999"], "9999");
  EXPECT_EQ(loaded->definition.size(), std::size_t{1} << 20);
  ASSERT_THAT(loaded->history, SizeIs(1));
  EXPECT_EQ(loaded->history[0].size(), 300000u);
}

TEST_P(StoreContractTest, KeysAndValuesAreBinarySafe) {
  std::string every_byte;
  for (int i = 0; i < 256; ++i) every_byte += static_cast<char>(i);
  const std::string nul_key("k\0ey", 4);
  const std::string nul_key2("k\0ez", 4);
  const std::string nul_value("\0\0va\0lue\0", 9);
  ASSERT_THAT(
      store_->commit(batch(
          "x", 1, {{nul_key, nul_value}, {nul_key2, every_byte}, {"k", ""}, {"", "empty key"}})),
      IsOk());
  Result<StoredExecution> loaded = store_->load("x");
  ASSERT_THAT(loaded, IsOk());
  std::map<std::string, std::string> records = record_map(*loaded);
  EXPECT_EQ(records,
            (std::map<std::string, std::string>{
                {nul_key, nul_value}, {nul_key2, every_byte}, {"k", ""}, {"", "empty key"}}));
  // A delete matches the whole key, NUL bytes included.
  ASSERT_THAT(store_->commit(batch("x", 2, {}, {std::string("k\0", 2), nul_key})), IsOk());
  loaded = store_->load("x");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(record_map(*loaded), (std::map<std::string, std::string>{
                                     {nul_key2, every_byte}, {"k", ""}, {"", "empty key"}}));
}

TEST_P(StoreContractTest, ASmallCommitAfter100kRecordsTouchesOnlyItsRecords) {
  // Behaviour, not timing: the store keeps every record through small commits, and the small
  // commit changes exactly what it names (the SQLite tests also bound the bytes it writes).
  for (int chunk = 0; chunk < 10; ++chunk) {
    std::vector<CheckpointRecord> puts;
    for (int i = 0; i < 10000; ++i) {
      puts.push_back({"iteration/" + std::to_string(chunk * 10000 + i), "{\"done\":true}"});
    }
    ASSERT_THAT(store_->commit(batch("map", chunk + 1, puts)), IsOk());
  }
  ASSERT_THAT(store_->commit(batch("map", 11, {{"iteration/100000", "{\"done\":false}"}},
                                   {"iteration/5"}, {"e"})),
              IsOk());
  Result<StoredExecution> loaded = store_->load("map");
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->summary.version, 11u);
  std::map<std::string, std::string> records = record_map(*loaded);
  EXPECT_EQ(records.size(), 100000u);
  EXPECT_EQ(records.count("iteration/5"), 0u);
  EXPECT_EQ(records["iteration/100000"], "{\"done\":false}");
  EXPECT_EQ(records["iteration/99999"], "{\"done\":true}");
}

TEST_P(StoreContractTest, OneStoreIsSafeToShareBetweenThreads) {
  constexpr int kThreads = 4;
  constexpr int kCommits = 50;
  std::vector<std::thread> threads;
  std::vector<int> shared_wins(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string own = "thread-" + std::to_string(t);
      for (int i = 1; i <= kCommits; ++i) {
        EXPECT_THAT(store_->commit(batch(own, i, {{"i", std::to_string(i)}}, {}, {"e"})), IsOk());
        // Advance the shared execution by one, retrying when another thread got there first.
        for (;;) {
          Result<StoredExecution> shared = store_->load("shared");
          std::uint64_t version = shared.ok() ? shared->summary.version : 0;
          Status s =
              store_->commit(batch("shared", version + 1, {}, {}, {own + "/" + std::to_string(i)}));
          if (s.ok()) {
            ++shared_wins[t];
            break;
          }
          if (s.code() != StatusCode::kFailedPrecondition) {
            ADD_FAILURE() << s.to_string();
            return;
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  Result<StoredExecution> shared = store_->load("shared");
  ASSERT_THAT(shared, IsOk());
  EXPECT_EQ(shared->summary.version, std::uint64_t{kThreads * kCommits});
  std::set<std::string> events(shared->history.begin(), shared->history.end());
  EXPECT_EQ(events.size(), std::size_t{kThreads * kCommits});
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(shared_wins[t], kCommits);
    Result<StoredExecution> own = store_->load("thread-" + std::to_string(t));
    ASSERT_THAT(own, IsOk());
    EXPECT_EQ(own->summary.version, std::uint64_t{kCommits});
    EXPECT_THAT(own->history, SizeIs(kCommits));
  }
}

std::vector<StoreKind> store_kinds() {
  std::vector<StoreKind> kinds;
  kinds.push_back({"Memory", [](const TempDir&) { return make_memory_checkpoint_store(); },
                   /*library_messages=*/true});
  kinds.push_back({"KvExample",
                   [](const TempDir&) -> std::shared_ptr<CheckpointStore> {
                     return std::make_shared<kv_example::KvCheckpointStore>(
                         std::make_shared<MemoryKvDb>());
                   },
                   /*library_messages=*/false});
#if STEPWISE_TEST_SQLITE
  kinds.push_back({"Sqlite",
                   [](const TempDir& dir) -> std::shared_ptr<CheckpointStore> {
                     SqliteStoreOptions options;
                     // The tests are about the contract; NORMAL keeps them fast.
                     options.synchronous = SqliteStoreOptions::Synchronous::kNormal;
                     auto store = open_sqlite_checkpoint_store(dir.file("store.db"), options);
                     EXPECT_THAT(store, IsOk());
                     return store.ok() ? *store : nullptr;
                   },
                   /*library_messages=*/true});
#endif
#if STEPWISE_TEST_POSTGRES
  StoreKind postgres;
  postgres.name = "Postgres";
  postgres.open = [](const TempDir&) -> std::shared_ptr<CheckpointStore> {
    std::string reason;
    testing_support::PostgresServer* server = testing_support::shared_postgres_server(&reason);
    if (server == nullptr) {
      ADD_FAILURE() << "the PostgreSQL server did not start: " << reason;
      return nullptr;
    }
    PostgresStoreOptions options;
    options.schema = server->fresh_name("contract");  // a fresh schema per test
    options.synchronous_commit = false;               // the tests are about the contract
    auto store = make_postgres_checkpoint_store(server->uri(), options);
    EXPECT_THAT(store, IsOk());
    return store.ok() ? std::shared_ptr<CheckpointStore>(*store) : nullptr;
  };
  postgres.skip_reason = [] { return testing_support::PostgresServer::unavailable_reason(); };
  kinds.push_back(std::move(postgres));
#endif
  return kinds;
}

#if STEPWISE_TEST_POSTGRES
const auto* const kPostgres =
    ::testing::AddGlobalTestEnvironment(new testing_support::PostgresEnvironment);
#endif

INSTANTIATE_TEST_SUITE_P(Stores, StoreContractTest, ::testing::ValuesIn(store_kinds()),
                         [](const ::testing::TestParamInfo<StoreKind>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace stepwise
