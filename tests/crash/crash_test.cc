// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Crash tests (issue: durable executions): a child process runs a Standard workflow with Task,
// Wait, Map, Parallel and Retry states, checkpointed to a SQLite file, and is killed with
// SIGKILL at a point chosen by a seeded random source: inside a commit (before or after the
// store writes), or inside a task (after the executor started it). A fresh process resumes
// the execution, and may be killed again, until one finishes. Every run must end with the
// output of an uninterrupted run, a history holding exactly its events (ids consecutive, no
// gap, no duplicate), and, through an idempotent executor keyed by task token, exactly one
// effect per task attempt in the history.
//
// The kill points are deterministic (a seeded count of commits or task calls), so a failure
// reproduces; the SIGKILL is real.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "stepwise/sqlite/checkpoint_store.h"
#include "stepwise/stepwise.h"
#include "support/engine_support.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::event_multiset;
namespace fs = std::filesystem;

constexpr const char* kDefinition = R"json({
  "StartAt": "Load",
  "States": {
    "Load": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.load",
             "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 30, "Next": "Fan"},
    "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "Next": "Each",
      "Branches": [
        {"StartAt": "FlakyA", "States": {
          "FlakyA": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Retry": [{"ErrorEquals": ["Flaky.Error"], "IntervalSeconds": 5}], "End": true}}},
        {"StartAt": "Note", "States": {
          "Note": {"Type": "Pass", "Result": {"note": 1}, "Next": "B"},
          "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Nap"},
          "Nap": {"Type": "Wait", "Seconds": 3, "End": true}}}
      ]},
    "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 3, "ResultPath": "$.each",
      "ItemProcessor": {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Retry": [{"ErrorEquals": ["Flaky.Error"], "IntervalSeconds": 1}], "Next": "Done"},
        "Done": {"Type": "Pass", "End": true}}},
      "Next": "Ok"},
    "Ok": {"Type": "Succeed"}
  }
})json";

json input() {
  json items = json::array();
  for (int i = 0; i < 12; ++i) items.push_back(i);
  return {{"items", items}};
}

// Idempotent by task token: the effect (a ledger line) is written once per token, however
// often the task is dispatched. Odd items and FlakyA fail their first attempt.
class LedgerExecutor final : public TaskExecutor {
 public:
  LedgerExecutor(fs::path ledger, std::int64_t kill_at_call)
      : ledger_(std::move(ledger)), kill_at_call_(kill_at_call) {}
  void start(const TaskRequest& r, TaskCompletion c) override {
    if (++calls_ == kill_at_call_) raise(SIGKILL);
    std::string token(r.task_token);
    std::set<std::string> seen;
    {
      std::ifstream in(ledger_);
      std::string line;
      while (std::getline(in, line)) seen.insert(line.substr(0, line.find(' ')));
    }
    if (!seen.count(token)) {
      int fd = ::open(ledger_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      std::string line = token + " " + std::string(r.state_name) + "\n";
      // No fsync: SIGKILL ends the process, not the OS; written pages survive it.
      (void)!::write(fd, line.data(), line.size());
      ::close(fd);
    }
    bool flaky = r.state_name == "FlakyA" ||
                 (r.state_name == "Work" && r.input->is_number() && r.input->get<int>() % 2 == 1);
    if (flaky && r.attempt == 0) {
      c.fail("Flaky.Error", "first attempt fails");
      return;
    }
    c.succeed(json{{"state", r.state_name}, {"in", *r.input}});
  }

 private:
  fs::path ledger_;
  std::int64_t kill_at_call_;
  std::int64_t calls_ = 0;
};

// Kills the process at its Nth commit, before or after the store writes it.
class KillingStore final : public CheckpointStore {
 public:
  KillingStore(std::shared_ptr<CheckpointStore> inner, std::int64_t kill_at, bool after)
      : inner_(std::move(inner)), kill_at_(kill_at), after_(after) {}
  Status commit(const CheckpointBatch& b) override {
    bool kill = ++commits_ == kill_at_;
    if (kill && !after_) raise(SIGKILL);
    Status s = inner_->commit(b);
    if (kill) raise(SIGKILL);
    return s;
  }
  Result<StoredExecution> load(std::string_view n) override { return inner_->load(n); }
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& f) override {
    return inner_->list(f);
  }
  Status remove(std::string_view n) override { return inner_->remove(n); }

 private:
  std::shared_ptr<CheckpointStore> inner_;
  std::int64_t kill_at_;
  bool after_;
  std::int64_t commits_ = 0;
};

std::shared_ptr<const StateMachine> machine() {
  ParseResult p = parse_state_machine(kDefinition);
  EXPECT_TRUE(p.ok());
  return p.machine();
}

// One life of the execution in a child process; exits 0 when the execution ended.
[[noreturn]] void child_life(const fs::path& db, const fs::path& ledger, bool first,
                             std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Most lives die; some survive to the end.
  std::int64_t kill_commit = static_cast<std::int64_t>(rng() % 14) + 1;
  std::int64_t kill_call = static_cast<std::int64_t>(rng() % 14) + 1;
  bool after = rng() % 2 == 0;
  bool by_commit = rng() % 2 == 0;
  SqliteStoreOptions so;
  so.synchronous = SqliteStoreOptions::Synchronous::kNormal;
  auto store = open_sqlite_checkpoint_store(db.string(), so);
  if (!store.ok()) _exit(3);
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  o.task_executor = std::make_shared<LedgerExecutor>(ledger, by_commit ? -1 : kill_call);
  o.checkpoint_store = std::make_shared<KillingStore>(*store, by_commit ? kill_commit : -1, after);
  Engine engine(o);
  Result<ExecutionId> id =
      first ? engine.start(machine(), input(), {.name = "crashy"}) : engine.resume("crashy");
  if (!first && !id.ok() && id.status().code() == StatusCode::kNotFound) {
    // Killed before StartExecution's first commit: the execution never existed.
    id = engine.start(machine(), input(), {.name = "crashy"});
  }
  if (!id.ok()) _exit(4);
  Result<ExecutionResult> r = engine.run(*id);
  _exit(r.ok() && r->status == ExecutionStatus::kSucceeded ? 0 : 5);
}

TEST(CrashTest, SigkillAtRandomPointsThenResumeEndsLikeAnUninterruptedRun) {
  // The uninterrupted run.
  EngineOptions o;
  o.clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  fs::path dir = fs::temp_directory_path() / ("stepwise_crash_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  o.task_executor = std::make_shared<LedgerExecutor>(dir / "expected.ledger", -1);
  o.checkpoint_store = make_memory_checkpoint_store();
  Engine reference(o);
  Result<ExecutionId> rid = reference.start(machine(), input(), {.name = "crashy"});
  ASSERT_TRUE(rid.ok());
  ExecutionResult expected = *reference.run(*rid);
  ASSERT_EQ(expected.status, ExecutionStatus::kSucceeded);
  std::vector<std::string> expected_events = event_multiset(**reference.history(*rid));
  std::size_t scheduled = 0;
  for (const HistoryEvent& e : **reference.history(*rid)) scheduled += e.type == "TaskScheduled";

  constexpr int kRounds = 70;
  int kills = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    fs::path db = dir / ("round" + std::to_string(round) + ".db");
    fs::path ledger = dir / ("round" + std::to_string(round) + ".ledger");
    bool finished = false;
    for (int life = 0; life < 200 && !finished; ++life) {
      pid_t pid = fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) child_life(db, ledger, life == 0, 1000003ull * round + life);
      int status = 0;
      ASSERT_EQ(waitpid(pid, &status, 0), pid);
      if (WIFSIGNALED(status)) {
        ASSERT_EQ(WTERMSIG(status), SIGKILL);
        ++kills;
        continue;
      }
      ASSERT_TRUE(WIFEXITED(status));
      ASSERT_EQ(WEXITSTATUS(status), 0) << "the child could not continue the execution";
      finished = true;
    }
    ASSERT_TRUE(finished);
    // A fresh engine reads the ended execution back.
    auto store = open_sqlite_checkpoint_store(db.string());
    ASSERT_TRUE(store.ok());
    EngineOptions ro;
    ro.clock = std::make_shared<ManualClock>(0);
    ro.checkpoint_store = *store;
    Engine reader(ro);
    Result<ExecutionId> id = reader.resume("crashy");
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    EXPECT_EQ(reader.result(*id)->to_json(), expected.to_json());
    EXPECT_EQ(event_multiset(**reader.history(*id)), expected_events);
    // Exactly one effect per task attempt in the history.
    std::ifstream in(ledger);
    std::set<std::string> tokens;
    std::string line;
    std::size_t lines = 0;
    while (std::getline(in, line)) {
      ++lines;
      tokens.insert(line.substr(0, line.find(' ')));
    }
    EXPECT_EQ(lines, tokens.size());
    EXPECT_EQ(tokens.size(), scheduled);
  }
  EXPECT_GE(kills, 100) << "the test should kill the child at least a hundred times";
  RecordProperty("kills", kills);
  std::cout << "[ crash    ] " << kills << " SIGKILLs over " << kRounds << " executions\n";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace stepwise

namespace stepwise {
namespace {

// A full disk (the SQLite file may not grow past a bound): the execution stops with a clear
// status, what was committed stays readable, and with room again it resumes to the end.
TEST(FaultTest, AFullDiskSuspendsTheExecutionAndItResumesLater) {
  fs::path dir = fs::temp_directory_path() / ("stepwise_full_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path db = dir / "full.db";
  json big_input = input();
  big_input["padding"] = std::string(8000, 'x');
  auto clock = std::make_shared<ManualClock>(1'700'000'000'000'000'000);
  {
    SqliteStoreOptions so;
    so.max_size_bytes = 160 * 1024;
    auto store = open_sqlite_checkpoint_store(db.string(), so);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    EngineOptions o;
    o.clock = clock;
    o.task_executor = std::make_shared<LedgerExecutor>(dir / "ledger", -1);
    o.checkpoint_store = *store;
    Engine engine(o);
    Result<ExecutionId> id = engine.start(machine(), big_input, {.name = "full"});
    ASSERT_TRUE(id.ok()) << id.status().to_string();
    Result<ExecutionResult> r = engine.run(*id);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, ExecutionStatus::kSuspended) << r->to_json();
    EXPECT_EQ(r->error, "Stepwise.CheckpointFailed");
    EXPECT_NE(r->cause->find("RESOURCE_EXHAUSTED"), std::string::npos) << *r->cause;
  }
  auto store = open_sqlite_checkpoint_store(db.string());
  ASSERT_TRUE(store.ok());
  Result<StoredExecution> stored = (*store)->load("full");
  ASSERT_TRUE(stored.ok()) << "what was committed is still readable";
  EXPECT_EQ(stored->summary.status, "RUNNING");
  EngineOptions o;
  o.clock = clock;
  o.task_executor = std::make_shared<LedgerExecutor>(dir / "ledger", -1);
  o.checkpoint_store = *store;
  Engine engine(o);
  Result<ExecutionId> id = engine.resume("full");
  ASSERT_TRUE(id.ok()) << id.status().to_string();
  Result<ExecutionResult> r = engine.run(*id);
  EXPECT_EQ(r->status, ExecutionStatus::kSucceeded) << r->to_json();
  fs::remove_all(dir);
}

// A database written by another schema version, or not a database at all: refused with a
// clear status, and the file is left as it was.
TEST(FaultTest, ForeignOrCorruptDatabasesAreRefusedAndLeftUntouched) {
  fs::path dir = fs::temp_directory_path() / ("stepwise_bad_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path junk = dir / "junk.db";
  { std::ofstream(junk) << "SQLite format 3\0 but not really" << std::string(5000, '\x7f'); }
  std::string before;
  {
    std::ifstream in(junk, std::ios::binary);
    before.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto store = open_sqlite_checkpoint_store(junk.string());
  EXPECT_FALSE(store.ok());
  std::ifstream in(junk, std::ios::binary);
  std::string after(std::istreambuf_iterator<char>(in), {});
  EXPECT_EQ(before, after);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace stepwise
