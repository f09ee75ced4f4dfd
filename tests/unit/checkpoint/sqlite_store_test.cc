// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// What the SQLite store promises beyond the `CheckpointStore` contract (store_contract_test.cc
// runs that against it): sharing a file between stores and processes, reopening, refusing
// foreign or damaged files without touching them, and failing cleanly when the disk is full
// or read-only.
#include <fcntl.h>
#include <sched.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/checkpoint.h"
#include "stepwise/sqlite/checkpoint_store.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "unit/checkpoint/checkpoint_test_util.h"

namespace stepwise {
namespace {

namespace fs = std::filesystem;
using ::stepwise::testing_support::IsOk;
using ::stepwise::testing_support::StatusIs;
using ::stepwise::testing_support::TempDir;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using namespace ::stepwise::checkpoint_test;  // NOLINT

SqliteStoreOptions fast_options() {
  SqliteStoreOptions options;
  options.synchronous = SqliteStoreOptions::Synchronous::kNormal;
  return options;
}

std::shared_ptr<CheckpointStore> open_or_fail(const std::string& path,
                                              const SqliteStoreOptions& options = fast_options()) {
  Result<std::shared_ptr<CheckpointStore>> store = open_sqlite_checkpoint_store(path, options);
  EXPECT_THAT(store, IsOk());
  return store.ok() ? *store : nullptr;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Runs `sql` on `path` through a plain SQLite connection, as another program would.
void raw_exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

std::string raw_query(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(s, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    } else {
      out = std::string("error: ") + sqlite3_errmsg(db);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return out;
}

// Runs `body` in a child process made with fork(). Returns what `body` returned ("" for
// success, otherwise what went wrong), or how the child died. The parent must hold no open
// SQLite connection at the time (SQLite connections must not cross a fork).
std::string run_in_child(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    close(fds[0]);
    std::string result = body();
    const char* p = result.data();
    std::size_t left = result.size();
    while (left > 0) {
      ssize_t n = write(fds[1], p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string result;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) result.append(buffer, n);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "child process died (wait status " + std::to_string(status) + "): " + result;
  }
  return result;
}

TEST(SqliteStoreTest, ReopeningAfterCloseKeepsEverything) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  {
    auto store = open_or_fail(path, SqliteStoreOptions{});  // synchronous FULL
    ASSERT_NE(store, nullptr);
    CheckpointBatch b = batch("x", 1, {{"a", "1"}}, {}, {"e1"});
    b.definition = "DEF";
    ASSERT_THAT(store->commit(b), IsOk());
    ASSERT_THAT(store->commit(batch("x", 2, {{"b", "2"}}, {}, {"e2"})), IsOk());
  }
  SqliteStoreOptions options;
  options.create_if_missing = false;
  auto store = open_or_fail(path, options);
  ASSERT_NE(store, nullptr);
  Result<StoredExecution> x = store->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_EQ(x->summary.version, 2u);
  EXPECT_EQ(x->definition, "DEF");
  EXPECT_EQ(record_map(*x), (std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}}));
  EXPECT_THAT(x->history, ElementsAre("e1", "e2"));
  EXPECT_THAT(store->commit(batch("x", 3)), IsOk());
}

TEST(SqliteStoreTest, TheFileCarriesTheApplicationIdSchemaVersionAndWalMode) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  ASSERT_NE(open_or_fail(path), nullptr);
  EXPECT_EQ(raw_query(path, "PRAGMA application_id"),
            std::to_string(kSqliteCheckpointApplicationId));
  EXPECT_EQ(raw_query(path, "PRAGMA user_version"), "1");
  EXPECT_EQ(raw_query(path, "SELECT value FROM meta WHERE key = 'schema_version'"), "1");
  EXPECT_EQ(raw_query(path, "PRAGMA journal_mode"), "wal");
}

TEST(SqliteStoreTest, OpeningAMissingFileWithoutCreateIsNotFound) {
  TempDir dir;
  SqliteStoreOptions options;
  options.create_if_missing = false;
  const std::string path = dir.file("missing.db");
  EXPECT_THAT(open_sqlite_checkpoint_store(path, options),
              StatusIs(StatusCode::kNotFound, HasSubstr(path)));
  EXPECT_FALSE(fs::exists(path));
}

TEST(SqliteStoreTest, OpeningInAMissingDirectoryIsUnavailable) {
  TempDir dir;
  EXPECT_THAT(open_sqlite_checkpoint_store(dir.file("no/such/dir/store.db")),
              StatusIs(StatusCode::kUnavailable, HasSubstr("cannot open")));
}

TEST(SqliteStoreTest, AZeroLengthFileBecomesAnEmptyStore) {
  // SQLite itself creates a new database as an empty file; one left by a crash during the
  // first open is therefore taken as new.
  TempDir dir;
  const std::string path = dir.file("store.db");
  write_file(path, "");
  auto store = open_or_fail(path);
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->commit(batch("x", 1)), IsOk());
}

TEST(SqliteStoreTest, TwoStoresOnOneFileCannotBothAdvanceAnExecution) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  auto a = open_or_fail(path);
  auto b = open_or_fail(path);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_THAT(a->commit(batch("x", 1, {{"k", "a1"}}, {}, {"a1"})), IsOk());

  // Both read version 1; `a` advances first, so `b`'s version 2 is stale.
  Result<StoredExecution> seen_by_b = b->load("x");
  ASSERT_THAT(seen_by_b, IsOk());
  ASSERT_EQ(seen_by_b->summary.version, 1u);
  ASSERT_THAT(a->commit(batch("x", 2, {{"k", "a2"}}, {}, {"a2"})), IsOk());
  EXPECT_THAT(b->commit(batch("x", 2, {{"k", "b2"}}, {}, {"b2"})),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("the batch has version 2, expected 3 (the stored version is 2")));
  // Nor can `b` create it again.
  EXPECT_THAT(b->commit(batch("x", 1)), StatusIs(StatusCode::kFailedPrecondition));

  for (auto* store : {&a, &b}) {
    Result<StoredExecution> x = (*store)->load("x");
    ASSERT_THAT(x, IsOk());
    EXPECT_EQ(x->summary.version, 2u);
    EXPECT_EQ(record_map(*x), (std::map<std::string, std::string>{{"k", "a2"}}));
    EXPECT_THAT(x->history, ElementsAre("a1", "a2"));
  }
}

TEST(SqliteStoreTest, ASecondProcessCommitsToTheSameFileConcurrently) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  constexpr int kCommits = 150;
  // Both processes create the file at the same time, commit their own executions, and race to
  // advance one shared execution, retrying on version conflicts.
  auto work = [&](const std::string& who) -> std::string {
    Result<std::shared_ptr<CheckpointStore>> opened =
        open_sqlite_checkpoint_store(path, fast_options());
    if (!opened.ok()) return who + ": open: " + opened.status().to_string();
    CheckpointStore& store = **opened;
    for (int i = 1; i <= kCommits; ++i) {
      Status s = store.commit(batch(who + "-" + std::to_string(i), 1,
                                    {{"who", who}, {"i", std::to_string(i)}}, {}, {"created"}));
      if (!s.ok()) return who + ": own commit: " + s.to_string();
      for (int attempt = 0;; ++attempt) {
        if (attempt > 10000) return who + ": no progress on the shared execution";
        Result<StoredExecution> shared = store.load("shared");
        if (!shared.ok() && shared.status().code() != StatusCode::kNotFound) {
          return who + ": load: " + shared.status().to_string();
        }
        std::uint64_t version = shared.ok() ? shared->summary.version : 0;
        s = store.commit(batch("shared", version + 1,
                               {{who + "/" + std::to_string(i), std::to_string(version + 1)}}, {},
                               {who + "/" + std::to_string(i)}));
        if (s.ok()) break;
        if (s.code() != StatusCode::kFailedPrecondition) return who + ": " + s.to_string();
      }
    }
    return "";
  };
  std::string child_result;
  std::string parent_result;
  {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    std::fflush(nullptr);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      std::string r = work("child");
      if (write(fds[1], r.data(), r.size()) < 0) _exit(2);
      _exit(0);
    }
    close(fds[1]);
    parent_result = work("parent");
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0) child_result.append(buffer, n);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  EXPECT_EQ(parent_result, "");
  EXPECT_EQ(child_result, "");

  auto store = open_or_fail(path);
  ASSERT_NE(store, nullptr);
  Result<std::vector<ExecutionSummary>> all = store->list({});
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, SizeIs(2 * kCommits + 1));
  for (const char* who : {"parent", "child"}) {
    Result<std::vector<ExecutionSummary>> own = store->list(filter("", std::string(who) + "-"));
    ASSERT_THAT(own, IsOk());
    EXPECT_THAT(*own, SizeIs(kCommits)) << who;
  }
  Result<StoredExecution> shared = store->load("shared");
  ASSERT_THAT(shared, IsOk());
  EXPECT_EQ(shared->summary.version, std::uint64_t{2 * kCommits});
  EXPECT_THAT(shared->records, SizeIs(2 * kCommits));
  std::set<std::string> events(shared->history.begin(), shared->history.end());
  EXPECT_EQ(events.size(), std::size_t{2 * kCommits});
  // Every version was committed exactly once: the record written by each shared commit holds
  // the version it created.
  std::set<std::string> versions;
  for (const CheckpointRecord& r : shared->records) versions.insert(r.value);
  EXPECT_EQ(versions.size(), std::size_t{2 * kCommits});
  store.reset();
  EXPECT_EQ(raw_query(path, "PRAGMA integrity_check"), "ok");
}

TEST(SqliteStoreTest, ACommitWaitsForTheWriteLockThenFailsAsUnavailable) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  SqliteStoreOptions options = fast_options();
  options.busy_timeout_ms = 50;
  auto store = open_or_fail(path, options);
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->commit(batch("x", 1, {{"a", "1"}})), IsOk());

  // Another program holds the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_THAT(store->commit(batch("x", 2)),
              StatusIs(StatusCode::kUnavailable,
                       AllOf(HasSubstr("commit of execution \"x\""), HasSubstr("locked"))));
  // Readers are not blocked by the writer.
  Result<StoredExecution> x = store->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_EQ(x->summary.version, 1u);
  EXPECT_THAT(store->list({}), IsOk());
  ASSERT_EQ(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(other);

  EXPECT_THAT(store->commit(batch("x", 2)), IsOk());
}

TEST(SqliteStoreTest, ASmallCommitWritesAFewPagesWhateverTheStoreHolds) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  auto store = open_or_fail(path);
  ASSERT_NE(store, nullptr);
  for (int chunk = 0; chunk < 10; ++chunk) {
    std::vector<CheckpointRecord> puts;
    for (int i = 0; i < 10000; ++i) {
      puts.push_back({"iteration/" + std::to_string(chunk * 10000 + i), "{\"done\":true}"});
    }
    ASSERT_THAT(store->commit(batch("map", chunk + 1, puts)), IsOk());
  }
  // Empty the WAL, then measure what one small commit appends to it.
  raw_exec(path, "PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_EQ(fs::file_size(path + "-wal"), 0u);
  ASSERT_THAT(store->commit(
                  batch("map", 11, {{"iteration/100000", "{}"}}, {"iteration/7"}, {"{\"id\":1}"})),
              IsOk());
  // A WAL frame is one 4 KiB page plus a 24-byte header; the file has a 32-byte header.
  const std::uintmax_t frames = (fs::file_size(path + "-wal") - 32) / (4096 + 24);
  EXPECT_GE(frames, 1u);
  EXPECT_LE(frames, 12u);  // 100k records take ~1000 pages
}

TEST(SqliteStoreTest, AFileOfAnotherSchemaVersionIsRefusedAndLeftUnchanged) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  {
    auto store = open_or_fail(path);
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(store->commit(batch("x", 1, {{"a", "1"}})), IsOk());
  }
  raw_exec(path, "PRAGMA user_version = 2");
  const std::string before = read_file(path);
  EXPECT_THAT(open_sqlite_checkpoint_store(path),
              StatusIs(StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr(path),
                             HasSubstr("has checkpoint schema version 2, but this build of "
                                       "Stepwise reads version 1 (the file was written by a "
                                       "newer Stepwise); it was not modified"))));
  EXPECT_TRUE(read_file(path) == before);
  EXPECT_EQ(raw_query(path, "PRAGMA user_version"), "2");
}

TEST(SqliteStoreTest, ADatabaseOfAnotherApplicationIsRefusedAndLeftUnchanged) {
  TempDir dir;
  const std::string path = dir.file("other.db");
  raw_exec(path,
           "CREATE TABLE users(id INTEGER PRIMARY KEY, name TEXT); "
           "INSERT INTO users(name) VALUES ('ada')");
  const std::string before = read_file(path);
  EXPECT_THAT(open_sqlite_checkpoint_store(path),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("is a SQLite database of another application, not a Stepwise "
                                 "checkpoint database (application_id 0x00000000, 1 schema "
                                 "objects); it was not modified")));
  EXPECT_TRUE(read_file(path) == before);

  raw_exec(path, "PRAGMA application_id = 42");
  const std::string before2 = read_file(path);
  EXPECT_THAT(open_sqlite_checkpoint_store(path),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("application_id 0x0000002A")));
  EXPECT_TRUE(read_file(path) == before2);
}

TEST(SqliteStoreTest, AMetaTableThatDisagreesWithTheHeaderIsDataLoss) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  ASSERT_NE(open_or_fail(path), nullptr);
  raw_exec(path, "UPDATE meta SET value = '7' WHERE key = 'schema_version'");
  EXPECT_THAT(open_sqlite_checkpoint_store(path),
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("has a damaged schema: the meta table gives schema version "
                                 "\"7\" where the file header gives 1")));
  raw_exec(path, "UPDATE meta SET value = '1' WHERE key = 'schema_version'; DROP TABLE records");
  EXPECT_THAT(open_sqlite_checkpoint_store(path),
              StatusIs(StatusCode::kDataLoss, HasSubstr("no such table: records")));
}

TEST(SqliteStoreTest, AGarbageFileIsDataLossAndLeftUnchanged) {
  TempDir dir;
  std::mt19937 random(42);
  std::string noise(64 * 1024, '\0');
  for (char& c : noise) c = static_cast<char>(random());
  const std::string cases[] = {noise, "hello, world\n", std::string(100, '\0'),
                               std::string("SQLite format 3\0garbage", 24)};
  for (const std::string& bytes : cases) {
    SCOPED_TRACE(bytes.size());
    const std::string path = dir.file("garbage.db");
    write_file(path, bytes);
    EXPECT_THAT(open_sqlite_checkpoint_store(path),
                StatusIs(StatusCode::kDataLoss,
                         AllOf(HasSubstr(path), HasSubstr("is not a SQLite database, or is "
                                                          "damaged or truncated"))));
    EXPECT_TRUE(read_file(path) == bytes);
  }
}

TEST(SqliteStoreTest, ATruncatedFileGivesDataLossNeverACrash) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  {
    auto store = open_or_fail(path);
    ASSERT_NE(store, nullptr);
    for (int v = 1; v <= 5; ++v) {
      std::vector<CheckpointRecord> puts;
      for (int i = 0; i < 2000; ++i) {
        puts.push_back({std::to_string(v) + "/" + std::to_string(i), std::string(100, 'v')});
      }
      ASSERT_THAT(store->commit(batch("x", v, puts, {}, {"event"})), IsOk());
    }
  }
  const std::string whole = read_file(path);
  ASSERT_GT(whole.size(), 200000u);
  for (std::size_t size : {whole.size() / 2, std::size_t{4096 * 3}, std::size_t{4096},
                           std::size_t{1000}, std::size_t{50}}) {
    SCOPED_TRACE(size);
    const std::string cut = dir.file("cut.db");
    fs::remove(cut);
    write_file(cut, whole.substr(0, size));
    Result<std::shared_ptr<CheckpointStore>> store = open_sqlite_checkpoint_store(cut);
    if (store.ok()) {
      // The header and schema survived: the damage shows when the data is read.
      EXPECT_THAT((*store)->load("x"), StatusIs(StatusCode::kDataLoss, HasSubstr(cut)));
    } else {
      EXPECT_THAT(store, StatusIs(StatusCode::kDataLoss, HasSubstr(cut)));
    }
    store = Status(StatusCode::kInternal, "closed");
    EXPECT_TRUE(read_file(cut) == whole.substr(0, size));
  }
}

TEST(SqliteStoreTest, AFullDatabaseFailsTheCommitAndKeepsThePreviousCheckpoint) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  SqliteStoreOptions options = fast_options();
  options.max_size_bytes = 256 * 1024;
  auto store = open_or_fail(path, options);
  ASSERT_NE(store, nullptr);
  ASSERT_THAT(store->commit(batch("x", 1, {{"a", "1"}}, {}, {"e1"})), IsOk());
  EXPECT_THAT(store->commit(batch("x", 2, {{"big", std::string(1 << 20, 'b')}}, {"a"}, {"e2"})),
              StatusIs(StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("commit of execution \"x\""), HasSubstr("full"))));
  Result<StoredExecution> x = store->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_EQ(x->summary.version, 1u);
  EXPECT_EQ(record_map(*x), (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_THAT(x->history, ElementsAre("e1"));
  // The store is still usable, and the failed version can be committed again.
  EXPECT_THAT(store->commit(batch("x", 2, {{"small", "s"}}, {}, {"e2"})), IsOk());
}

// The next two tests need a file system of their own: they run in a child process with a
// private mount namespace (root with CAP_SYS_ADMIN), and skip elsewhere.
std::string in_private_tmpfs(const std::string& dir, const char* size,
                             const std::function<std::string(const std::string&)>& body) {
  return run_in_child([&]() -> std::string {
    if (unshare(CLONE_NEWNS) != 0) return std::string("SKIP: unshare: ") + std::strerror(errno);
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
      return std::string("SKIP: private mounts: ") + std::strerror(errno);
    }
    std::string options = std::string("size=") + size;
    if (mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) != 0) {
      return std::string("SKIP: mount tmpfs: ") + std::strerror(errno);
    }
    return body(dir);
  });
}

#define STEPWISE_EXPECT_CHILD_OK(result)                          \
  do {                                                            \
    std::string r_ = (result);                                    \
    if (r_.rfind("SKIP: ", 0) == 0) GTEST_SKIP() << r_.substr(6); \
    EXPECT_EQ(r_, "");                                            \
  } while (false)

TEST(SqliteStoreTest, AFullDiskFailsTheCommitAndKeepsThePreviousCheckpoint) {
  TempDir dir;
  STEPWISE_EXPECT_CHILD_OK(
      in_private_tmpfs(dir.path().string(), "512k", [](const std::string& d) -> std::string {
        Result<std::shared_ptr<CheckpointStore>> opened =
            open_sqlite_checkpoint_store(d + "/store.db", fast_options());
        if (!opened.ok()) return "open: " + opened.status().to_string();
        CheckpointStore& store = **opened;
        Status s = store.commit(batch("x", 1, {{"a", "1"}}, {}, {"e1"}));
        if (!s.ok()) return "first commit: " + s.to_string();
        s = store.commit(batch("x", 2, {{"big", std::string(2 << 20, 'b')}}, {}, {"e2"}));
        if (s.code() != StatusCode::kResourceExhausted ||
            s.message().find("full") == std::string::npos) {
          return "the commit on a full disk gave " + s.to_string();
        }
        Result<StoredExecution> x = store.load("x");
        if (!x.ok()) return "load after the failed commit: " + x.status().to_string();
        if (x->summary.version != 1 || x->records.size() != 1 || x->history.size() != 1) {
          return "the failed commit changed the checkpoint";
        }
        s = store.commit(batch("x", 2, {{"small", "s"}}));
        if (!s.ok()) return "a small commit after the failure: " + s.to_string();
        return "";
      }));
}

// Opens the store at `path` where nothing can be written: either the open fails with a clear
// kUnavailable, or the checkpoint loads and a commit fails with kUnavailable. Returns "" then.
std::string expect_no_write_possible(const std::string& path) {
  Result<std::shared_ptr<CheckpointStore>> opened = open_sqlite_checkpoint_store(path);
  if (!opened.ok()) {
    const Status& s = opened.status();
    if (s.code() != StatusCode::kUnavailable || s.message().find(path) == std::string::npos) {
      return "open gave " + s.to_string();
    }
    return "";
  }
  Result<StoredExecution> x = (*opened)->load("x");
  if (!x.ok()) return "load: " + x.status().to_string();
  if (x->summary.version != 1) return "load gave version " + std::to_string(x->summary.version);
  Status s = (*opened)->commit(batch("x", 2));
  if (s.code() != StatusCode::kUnavailable) return "commit gave " + s.to_string();
  return "";
}

TEST(SqliteStoreTest, AReadOnlyFileSystemGivesAClearErrorAndKeepsTheCheckpoint) {
  TempDir dir;
  STEPWISE_EXPECT_CHILD_OK(
      in_private_tmpfs(dir.path().string(), "4m", [](const std::string& d) -> std::string {
        const std::string path = d + "/store.db";
        {
          Result<std::shared_ptr<CheckpointStore>> opened =
              open_sqlite_checkpoint_store(path, fast_options());
          if (!opened.ok()) return "open: " + opened.status().to_string();
          Status s = (*opened)->commit(batch("x", 1, {{"a", "1"}}, {}, {"e1"}));
          if (!s.ok()) return "first commit: " + s.to_string();
        }
        // (A file system with files open for writing cannot be made read-only.)
        if (mount(nullptr, d.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) != 0) {
          return std::string("SKIP: remount read-only: ") + std::strerror(errno);
        }
        std::string r = expect_no_write_possible(path);
        if (!r.empty()) return r;
        if (mount(nullptr, d.c_str(), nullptr, MS_REMOUNT, nullptr) != 0) {
          return std::string("remount read-write: ") + std::strerror(errno);
        }
        Result<std::shared_ptr<CheckpointStore>> reopened = open_sqlite_checkpoint_store(path);
        if (!reopened.ok()) return "reopen: " + reopened.status().to_string();
        Result<StoredExecution> x = (*reopened)->load("x");
        if (!x.ok() || x->summary.version != 1 || x->records.size() != 1) {
          return "the checkpoint did not survive";
        }
        return "";
      }));
}

TEST(SqliteStoreTest, AReadOnlyDirectoryGivesAClearErrorAndKeepsTheCheckpoint) {
  TempDir dir;
  const std::string path = dir.file("store.db");
  {
    auto store = open_or_fail(path);
    ASSERT_NE(store, nullptr);
    ASSERT_THAT(store->commit(batch("x", 1, {{"a", "1"}}, {}, {"e1"})), IsOk());
  }
  // Root ignores permissions: the child drops to user "nobody" (65534) then.
  fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec |
                                  fs::perms::group_read | fs::perms::group_exec |
                                  fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  std::string result = run_in_child([&]() -> std::string {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
      return std::string("SKIP: cannot drop privileges: ") + std::strerror(errno);
    }
    return expect_no_write_possible(path);
  });
  fs::permissions(dir.path(), fs::perms::owner_all);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  STEPWISE_EXPECT_CHILD_OK(result);
  auto store = open_or_fail(path);
  ASSERT_NE(store, nullptr);
  Result<StoredExecution> x = store->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_EQ(x->summary.version, 1u);
  EXPECT_EQ(record_map(*x), (std::map<std::string, std::string>{{"a", "1"}}));
}

}  // namespace
}  // namespace stepwise
