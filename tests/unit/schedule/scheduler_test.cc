// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The Scheduler on virtual time: occurrences start executions with substituted input and
// names; overlap and catch-up policies; pause; flexible windows; deadlines reported once, also
// across a restart; restarts at random points and two schedulers sharing a store start every
// occurrence exactly once; a claim left by a crash is settled without doubling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "schedule/schedule_state.h"
#include "stepwise/engine.h"
#include "stepwise/schedule.h"
#include "support/engine_support.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

#ifdef STEPWISE_TEST_SQLITE
#include "stepwise/sqlite/checkpoint_store.h"
#endif

namespace stepwise {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_support::IsOk;
using testing_support::StatusIs;

constexpr std::int64_t kSecond = 1000000000LL;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
// 2024-01-01T00:00:00Z, a Monday: ManualClock's default start.
constexpr std::int64_t kStart = 1704067200LL * kSecond;

std::shared_ptr<const StateMachine> pass_machine() {
  return testing_support::compile(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
}

// A run that lasts `seconds` of clock time.
std::shared_ptr<const StateMachine> wait_machine(int seconds) {
  return testing_support::compile(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":)" +
                                  std::to_string(seconds) + R"(,"End":true}}})");
}

// Records the listener's events as text.
class Recorder : public ScheduleListener {
 public:
  void on_started(std::string_view, std::int64_t, std::string_view execution) override {
    started.push_back(std::string(execution));
  }
  void on_skipped(std::string_view, std::int64_t scheduled, std::string_view reason) override {
    skipped.push_back(std::to_string((scheduled - kStart) / kMinute) + ":" + std::string(reason));
  }
  void on_error(std::string_view, const Status& s) override { errors.push_back(s.to_string()); }
  std::vector<std::string> started, skipped, errors;
};

struct Harness {
  explicit Harness(std::shared_ptr<ScheduleStore> s = make_memory_schedule_store(),
                   std::string owner = "local")
      : clock(std::make_shared<ManualClock>(kStart)), store(std::move(s)) {
    make(std::move(owner));
  }
  void make(std::string owner) {
    scheduler.reset();
    EngineOptions eo;
    eo.clock = clock;
    engine = std::make_unique<Engine>(std::move(eo));
    recorder = std::make_shared<Recorder>();
    SchedulerOptions so;
    so.clock = clock;
    so.store = store;
    so.owner = std::move(owner);
    so.listeners = {recorder};
    so.on_deadline_missed = [this](const DeadlineMiss& m) { misses.push_back(m.execution_name); };
    scheduler = std::make_unique<Scheduler>(*engine, std::move(so));
  }
  // Steps scheduler and engine every `tick` until `until`.
  void run_until(std::int64_t until, std::int64_t tick = kMinute) {
    while (clock->now() < until) {
      clock->advance(tick);
      scheduler->step();
      engine->step();
    }
  }
  std::shared_ptr<ManualClock> clock;
  std::shared_ptr<ScheduleStore> store;
  std::unique_ptr<Engine> engine;
  std::shared_ptr<Recorder> recorder;
  std::unique_ptr<Scheduler> scheduler;
  std::vector<std::string> misses;
};

ScheduleDefinition definition(std::string name, std::string expression,
                              std::shared_ptr<const StateMachine> machine) {
  ScheduleDefinition d;
  d.name = std::move(name);
  d.expression = std::move(expression);
  d.machine = std::move(machine);
  return d;
}

TEST(SchedulerTest, CronScheduleStartsWeekdayRunsInItsZone) {
  Harness h;
  ScheduleDefinition d = definition("standup", "cron(0 9 ? * MON-FRI *)", pass_machine());
  d.time_zone = "Europe/Paris";
  ASSERT_THAT(h.scheduler->add(d), IsOk());
  h.run_until(kStart + 7 * kDay);
  EXPECT_THAT(h.recorder->started,
              ElementsAre("standup-20240101T080000Z", "standup-20240102T080000Z",
                          "standup-20240103T080000Z", "standup-20240104T080000Z",
                          "standup-20240105T080000Z"));
  EXPECT_TRUE(h.recorder->errors.empty());
}

TEST(SchedulerTest, InputTemplateAndNamePatternGetTheScheduledTime) {
  Harness h;
  ScheduleDefinition d = definition("etl", "cron(30 2 * * ? *)", pass_machine());
  d.input = {{"time", "<aws.scheduler.scheduled-time>"},
             {"meta", {"<aws.scheduler.schedule-arn>", "attempt <aws.scheduler.attempt-number>"}},
             {"n", 3}};
  d.execution_name_pattern = "nightly_<aws.scheduler.scheduled-time>";
  ASSERT_THAT(h.scheduler->add(d), IsOk());
  h.run_until(kStart + 3 * kHour);
  ASSERT_THAT(h.recorder->started, ElementsAre("nightly_20240101T023000Z"));
  std::optional<ExecutionId> id = h.engine->find("nightly_20240101T023000Z");
  ASSERT_TRUE(id);
  Result<ExecutionResult> r = h.engine->result(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->output, nlohmann::json::parse(R"({"time":"2024-01-01T02:30:00Z","meta":[
      "arn:aws:scheduler:us-east-1:111111111111:schedule/default/etl","attempt 1"],"n":3})"));
}

TEST(SchedulerTest, OverlapPoliciesSkipBufferOrAllow) {
  struct Case {
    OverlapPolicy policy;
    std::vector<std::string> started;
  };
  // Hourly runs of 90 minutes, for 4 hours from 00:00 (the rate starts at once).
  const std::vector<Case> cases = {
      {OverlapPolicy::kSkip, {"r-20240101T000000Z", "r-20240101T020000Z", "r-20240101T040000Z"}},
      // 01:00 waits for the first run (ends 01:30), 02:00 for the second (ends 03:01); 03:00
      // is skipped (02:00 is already buffered); 04:00 waits.
      {OverlapPolicy::kBufferOne,
       {"r-20240101T000000Z", "r-20240101T010000Z", "r-20240101T020000Z"}},
      {OverlapPolicy::kAllowAll,
       {"r-20240101T000000Z", "r-20240101T010000Z", "r-20240101T020000Z", "r-20240101T030000Z",
        "r-20240101T040000Z"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.policy));
    Harness h;
    ScheduleDefinition d = definition("r", "rate(1 hour)", wait_machine(90 * 60));
    d.overlap = c.policy;
    d.execution_name_pattern = "<stepwise.schedule-name>-<aws.scheduler.scheduled-time>";
    ASSERT_THAT(h.scheduler->add(d), IsOk());
    h.scheduler->step();
    h.engine->step();
    h.run_until(kStart + 4 * kHour + 30 * kMinute);
    EXPECT_EQ(h.recorder->started, c.started);
  }
}

TEST(SchedulerTest, CatchUpAfterDowntimeFollowsThePolicy) {
  struct Case {
    CatchUpPolicy policy;
    std::size_t limit;
    std::vector<std::string> started;
    std::vector<std::string> skipped;
  };
  // Hourly; 00:00 starts on time; the host is down from 00:30 to 05:10: 01:00-05:00 are missed.
  const std::vector<Case> cases = {
      {CatchUpPolicy::kNone,
       0,
       {"c-20240101T000000Z"},
       {"60:missed", "120:missed", "180:missed", "240:missed", "300:missed"}},
      {CatchUpPolicy::kLatest,
       0,
       {"c-20240101T000000Z", "c-20240101T050000Z"},
       {"60:missed", "120:missed", "180:missed", "240:missed"}},
      {CatchUpPolicy::kAll,
       3,
       {"c-20240101T000000Z", "c-20240101T030000Z", "c-20240101T040000Z", "c-20240101T050000Z"},
       {"60:missed", "120:missed"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.policy));
    Harness h;
    ScheduleDefinition d = definition("c", "cron(0 * * * ? *)", pass_machine());
    d.catch_up = c.policy;
    d.catch_up_limit = c.limit;
    d.overlap = OverlapPolicy::kAllowAll;
    ASSERT_THAT(h.scheduler->add(d), IsOk());
    h.run_until(kStart + 30 * kMinute);
    h.clock->set(kStart + 5 * kHour + 10 * kMinute);
    h.scheduler->step();
    EXPECT_EQ(h.recorder->started, c.started);
    EXPECT_EQ(h.recorder->skipped, c.skipped);
  }
}

TEST(SchedulerTest, PausedSchedulesSkipWhatWasDueAndResumeFromNow) {
  Harness h;
  ASSERT_THAT(h.scheduler->add(definition("p", "cron(0 * * * ? *)", pass_machine())), IsOk());
  h.run_until(kStart + 90 * kMinute);
  ASSERT_THAT(h.scheduler->pause("p"), IsOk());
  h.run_until(kStart + 4 * kHour + 30 * kMinute);
  ASSERT_THAT(h.scheduler->resume("p"), IsOk());
  h.run_until(kStart + 6 * kHour + 30 * kMinute);
  EXPECT_THAT(h.recorder->started, ElementsAre("p-20240101T000000Z", "p-20240101T010000Z",
                                               "p-20240101T050000Z", "p-20240101T060000Z"));
  EXPECT_TRUE(h.recorder->skipped.empty());
  EXPECT_THAT(h.scheduler->pause("nope"), StatusIs(StatusCode::kNotFound));
}

TEST(SchedulerTest, FlexibleWindowFiresAtTheSameSeededMomentWithinTheWindow) {
  std::vector<std::int64_t> fires[2];
  for (auto& f : fires) {
    Harness h;
    ScheduleDefinition d = definition("flex", "cron(0 * * * ? *)", pass_machine());
    d.flexible_window_minutes = 15;
    ASSERT_THAT(h.scheduler->add(d), IsOk());
    for (int i = 0; i < 5; ++i) {
      Result<ScheduleInfo> info = h.scheduler->describe("flex");
      ASSERT_TRUE(info.ok() && info->next_fire && info->next_occurrence);
      EXPECT_GE(*info->next_fire, *info->next_occurrence);
      EXPECT_LT(*info->next_fire, *info->next_occurrence + 15 * kMinute);
      f.push_back(*info->next_fire);
      h.clock->set(*info->next_fire - 1);
      h.scheduler->step();
      EXPECT_EQ(h.recorder->started.size(), static_cast<std::size_t>(i));
      h.clock->set(*info->next_fire);
      h.scheduler->step();
      EXPECT_EQ(h.recorder->started.size(), static_cast<std::size_t>(i + 1));
      h.engine->step();  // the run ends, so the next one does not overlap it
    }
  }
  EXPECT_EQ(fires[0], fires[1]);
  std::set<std::int64_t> offsets;
  for (std::int64_t t : fires[0]) offsets.insert(t % kHour);
  EXPECT_GT(offsets.size(), 1u);  // not one fixed offset
}

TEST(SchedulerTest, MissedDeadlineIsReportedOnceAndNotAgainAfterARestart) {
  Harness h;
  std::vector<std::string> lines;
  ScheduleDefinition d = definition("slow", "cron(0 2 * * ? *)", wait_machine(3 * 3600));
  d.deadline = 2 * kHour;
  ASSERT_THAT(h.scheduler->add(d), IsOk());
  h.run_until(kStart + 3 * kHour + 59 * kMinute);
  EXPECT_TRUE(h.misses.empty());
  h.run_until(kStart + 4 * kHour + 30 * kMinute);
  EXPECT_THAT(h.misses, ElementsAre("slow-20240101T020000Z"));
  // A new scheduler over the same store and engine: the run still runs, but was reported.
  SchedulerOptions so;
  so.clock = h.clock;
  so.store = h.store;
  std::vector<std::string> again;
  so.on_deadline_missed = [&](const DeadlineMiss& m) { again.push_back(m.execution_name); };
  so.listeners = {make_line_schedule_listener([&](std::string_view l) { lines.emplace_back(l); })};
  Scheduler second(*h.engine, std::move(so));
  ASSERT_THAT(second.add(d), IsOk());
  for (int i = 0; i < 120; ++i) {
    h.clock->advance(kMinute);
    second.step();
    h.engine->step();
  }
  EXPECT_TRUE(again.empty());
  Result<ScheduleInfo> info = second.describe("slow");
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->running.empty());  // the run finished at 05:00 and was forgotten
}

TEST(SchedulerTest, DeadlineLineListenerWritesOneLine) {
  std::vector<std::string> lines;
  auto listener = make_line_schedule_listener([&](std::string_view l) { lines.emplace_back(l); });
  listener->on_deadline_missed(
      {"nightly", "nightly-20260105T020000Z", 1767578400LL * kSecond, 1767585600LL * kSecond});
  EXPECT_THAT(lines, ElementsAre("schedule nightly: deadline missed by run "
                                 "nightly-20260105T020000Z (scheduled 2026-01-05T02:00:00Z, "
                                 "deadline 2026-01-05T04:00:00Z)"));
}

TEST(SchedulerTest, RestartsAtRandomPointsNeitherLoseNorDoubleAnOccurrence) {
  // A month of a 10-minute rate; the process "restarts" (new engine and scheduler over the same
  // store) at seeded random points, sometimes after downtime. Catch-up kAll keeps every
  // missed occurrence, so every one of them must start exactly once.
  Harness h;
  ScheduleDefinition d = definition("tick", "rate(10 minutes)", pass_machine());
  d.catch_up = CatchUpPolicy::kAll;
  d.catch_up_limit = 1000;
  d.overlap = OverlapPolicy::kAllowAll;
  ASSERT_THAT(h.scheduler->add(d), IsOk());
  std::uint64_t seed = 42;
  auto next_random = [&] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return seed >> 33;
  };
  std::map<std::string, int> counts;
  const std::int64_t end = kStart + 30 * kDay;
  while (h.clock->now() < end) {
    const std::int64_t until = std::min(
        end,
        h.clock->now() + static_cast<std::int64_t>(next_random() % (2 * kDay / kMinute)) * kMinute);
    h.run_until(until, 3 * kMinute);
    for (const std::string& s : h.recorder->started) ++counts[s];
    h.clock->advance(static_cast<std::int64_t>(next_random() % 300) * kMinute);  // downtime
    h.make("local");
    ASSERT_THAT(h.scheduler->add(d), IsOk());
  }
  h.scheduler->step();
  for (const std::string& s : h.recorder->started) ++counts[s];
  const std::int64_t expected = (h.clock->now() - kStart) / (10 * kMinute) + 1;
  EXPECT_EQ(static_cast<std::int64_t>(counts.size()), expected);
  for (const auto& [name, n] : counts) EXPECT_EQ(n, 1) << name;
}

TEST(SchedulerTest, TwoSchedulersSharingAStoreStartEachOccurrenceOnce) {
  auto store = make_memory_schedule_store();
  Harness a(store, "node-a"), b(store, "node-b");
  b.clock = a.clock;
  b.make("node-b");
  ScheduleDefinition d = definition("shared", "rate(5 minutes)", pass_machine());
  d.overlap = OverlapPolicy::kAllowAll;
  ASSERT_THAT(a.scheduler->add(d), IsOk());
  ASSERT_THAT(b.scheduler->add(d), IsOk());
  for (int i = 0; i < 24 * 60; ++i) {
    a.clock->advance(kMinute);
    if (i % 2 == 0) {
      a.scheduler->step();
      b.scheduler->step();
    } else {
      b.scheduler->step();
      a.scheduler->step();
    }
  }
  std::multiset<std::string> all(a.recorder->started.begin(), a.recorder->started.end());
  all.insert(b.recorder->started.begin(), b.recorder->started.end());
  std::set<std::string> unique(all.begin(), all.end());
  EXPECT_EQ(all.size(), unique.size());
  EXPECT_EQ(unique.size(), 24u * 12u + 1u);
  EXPECT_FALSE(a.recorder->started.empty());
  EXPECT_FALSE(b.recorder->started.empty());
}

TEST(SchedulerTest, ClaimLeftByACrashIsStartedOnceOnRestart) {
  Harness h;
  ScheduleDefinition d = definition("job", "cron(0 3 * * ? *)", pass_machine());
  ASSERT_THAT(h.scheduler->add(d), IsOk());
  // The state a process leaves when it dies after claiming 03:00 and before starting it.
  Result<std::optional<StoredScheduleState>> stored = h.store->load("job");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  Result<internal::ScheduleState> state = internal::decode_schedule_state("job", (*stored)->state);
  ASSERT_TRUE(state.ok());
  state->last = kStart + 3 * kHour;
  state->claim = internal::ScheduleClaim{kStart + 3 * kHour, "local", kStart + 3 * kHour};
  ASSERT_THAT(
      h.store->put({"job", internal::encode_schedule_state(*state), (*stored)->version + 1}),
      IsOk());
  h.clock->set(kStart + 3 * kHour + 5 * kMinute);
  h.make("local");
  ASSERT_THAT(h.scheduler->add(d), IsOk());
  h.run_until(kStart + 4 * kHour);
  EXPECT_THAT(h.recorder->started, ElementsAre("job-20240101T030000Z"));
  // Another owner's fresh claim is left alone until its lease ends.
  state->claim = internal::ScheduleClaim{kStart + 3 * kHour, "other", h.clock->now()};
  state->runs.clear();
  Result<std::optional<StoredScheduleState>> now_stored = h.store->load("job");
  ASSERT_THAT(
      h.store->put({"job", internal::encode_schedule_state(*state), (*now_stored)->version + 1}),
      IsOk());
  h.make("local");
  ASSERT_THAT(h.scheduler->add(d), IsOk());
  h.run_until(h.clock->now() + 4 * kMinute);
  EXPECT_TRUE(h.recorder->started.empty());  // the engine is new: nothing started
  h.run_until(h.clock->now() + 5 * kMinute);
  EXPECT_THAT(h.recorder->started, ElementsAre("job-20240101T030000Z"));
}

TEST(SchedulerTest, StateMachineLimitMakesOccurrencesWaitForASlot) {
  // Two hourly schedules of one machine whose runs take 30 minutes, at most one running.
  Harness h;
  h.scheduler.reset();
  SchedulerOptions so;
  so.clock = h.clock;
  so.store = h.store;
  so.listeners = {h.recorder};
  so.state_machine_limits = {{"Etl", 1}};
  h.scheduler = std::make_unique<Scheduler>(*h.engine, std::move(so));
  for (const char* name : {"a", "b"}) {
    ScheduleDefinition d = definition(name, "cron(0 * * * ? *)", wait_machine(30 * 60));
    d.state_machine_name = "Etl";
    d.overlap = OverlapPolicy::kAllowAll;
    ASSERT_THAT(h.scheduler->add(d), IsOk());
  }
  h.scheduler->step();
  h.engine->step();
  h.run_until(kStart + 2 * kHour);
  // 00:00 a runs to 00:30, b waits and runs 00:31-01:01; at 01:00 both wait: a runs
  // 01:02-01:32, b 01:33-02:03.
  EXPECT_THAT(h.recorder->started, ElementsAre("a-20240101T000000Z", "b-20240101T000000Z",
                                               "a-20240101T010000Z", "b-20240101T010000Z"));
  EXPECT_TRUE(h.recorder->skipped.empty());
  Result<ScheduleInfo> b = h.scheduler->describe("b");
  ASSERT_TRUE(b.ok());
  EXPECT_THAT(b->running, ElementsAre("b-20240101T010000Z"));
}

TEST(SchedulerTest, InvalidDefinitionsNameTheField) {
  Harness h;
  struct Bad {
    ScheduleDefinition def;
    std::string message;
  };
  std::vector<Bad> cases;
  cases.push_back({definition("a b", "rate(1 hour)", pass_machine()),
                   "schedule \"a b\": name: must be 1 to 64 letters, digits, '.', '-' or '_'"});
  cases.push_back({definition("m", "rate(1 hour)", nullptr),
                   "schedule \"m\": machine: a state machine is required"});
  cases.push_back({definition("e", "rate(1 hours)", pass_machine()),
                   "schedule \"e\": expression: Invalid Schedule Expression rate(1 hours): a "
                   "value of 1 takes the singular unit 'hour', not 'hours'"});
  ScheduleDefinition w = definition("w", "rate(1 hour)", pass_machine());
  w.flexible_window_minutes = 1441;
  cases.push_back({w,
                   "schedule \"w\": flexible_window_minutes: must be 0 (off) or 1 to 1440, "
                   "not 1441"});
  ScheduleDefinition p = definition("p", "rate(1 hour)", pass_machine());
  p.execution_name_pattern = "fixed";
  cases.push_back({p,
                   "schedule \"p\": execution_name_pattern: must contain "
                   "<aws.scheduler.scheduled-time> or <aws.scheduler.execution-id>, so that "
                   "each occurrence gets its own execution name"});
  ScheduleDefinition n = definition("n", "rate(1 hour)", pass_machine());
  n.execution_name_pattern = "run:<aws.scheduler.execution-id>";
  cases.push_back({n,
                   "schedule \"n\": execution_name_pattern: the execution name "
                   "\"run:" +
                       internal::occurrence_id("n", 0) +
                       "\" contains the character ':' (code 58), which execution names may not "
                       "hold"});
  ScheduleDefinition z = definition("z", "rate(1 hour)", pass_machine());
  z.time_zone = "Nowhere/Town";
  cases.push_back({z, ""});
  for (const Bad& c : cases) {
    SCOPED_TRACE(c.def.name);
    Status s = h.scheduler->add(c.def);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    if (!c.message.empty()) {
      EXPECT_EQ(s.message(), c.message);
    } else {
      EXPECT_THAT(s.message(), HasSubstr("expression: Invalid time zone \"Nowhere/Town\""));
    }
  }
  ASSERT_THAT(h.scheduler->add(definition("dup", "rate(1 hour)", pass_machine())), IsOk());
  EXPECT_THAT(h.scheduler->add(definition("dup", "rate(1 hour)", pass_machine())),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST(ScheduleStoreTest, PutIsAConditionalUpdateOnTheVersion) {
  std::vector<std::shared_ptr<ScheduleStore>> stores = {make_memory_schedule_store()};
#ifdef STEPWISE_TEST_SQLITE
  testing_support::TempDir dir;
  Result<std::shared_ptr<ScheduleStore>> sqlite = open_sqlite_schedule_store(dir.file("s.db"));
  ASSERT_TRUE(sqlite.ok()) << sqlite.status().to_string();
  stores.push_back(*sqlite);
#endif
  for (auto& store : stores) {
    EXPECT_THAT(store->put({"a", "{}", 2}),
                StatusIs(StatusCode::kFailedPrecondition,
                         "schedule state \"a\" was written with version 2 but the stored version "
                         "is none (another scheduler updated it)"));
    ASSERT_THAT(store->put({"a", "one", 1}), IsOk());
    EXPECT_THAT(store->put({"a", "other", 1}), StatusIs(StatusCode::kFailedPrecondition));
    ASSERT_THAT(store->put({"a", "two", 2}), IsOk());
    Result<std::optional<StoredScheduleState>> got = store->load("a");
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->state, "two");
    EXPECT_EQ((*got)->version, 2u);
    ASSERT_THAT(store->remove("a"), IsOk());
    got = store->load("a");
    ASSERT_TRUE(got.ok());
    EXPECT_FALSE(got->has_value());
  }
}

#ifdef STEPWISE_TEST_SQLITE
TEST(ScheduleStoreTest, SqliteStoreSharesTheCheckpointFileAndSurvivesReopening) {
  testing_support::TempDir dir;
  const std::string path = dir.file("runs.db");
  {
    Result<std::shared_ptr<ScheduleStore>> store = open_sqlite_schedule_store(path);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    ASSERT_THAT((*store)->put({"nightly", "{\"x\":1}", 1}), IsOk());
  }
  Result<std::shared_ptr<CheckpointStore>> checkpoints = open_sqlite_checkpoint_store(path);
  ASSERT_TRUE(checkpoints.ok()) << checkpoints.status().to_string();
  Result<std::shared_ptr<ScheduleStore>> again = open_sqlite_schedule_store(path);
  ASSERT_TRUE(again.ok());
  Result<std::optional<StoredScheduleState>> got = (*again)->load("nightly");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->state, "{\"x\":1}");
  EXPECT_EQ((*got)->version, 1u);
  // A file that is not a checkpoint database is refused.
  const std::string foreign = dir.file("foreign.txt");
  std::FILE* f = std::fopen(foreign.c_str(), "w");
  std::fputs("not a database, not at all, definitely not one", f);
  std::fclose(f);
  EXPECT_THAT(open_sqlite_schedule_store(foreign), StatusIs(StatusCode::kDataLoss));
}

TEST(SchedulerTest, TwoSchedulersOnOneSqliteFileStartEachOccurrenceOnce) {
  testing_support::TempDir dir;
  const std::string path = dir.file("runs.db");
  Result<std::shared_ptr<ScheduleStore>> s1 = open_sqlite_schedule_store(path);
  Result<std::shared_ptr<ScheduleStore>> s2 = open_sqlite_schedule_store(path);
  ASSERT_TRUE(s1.ok() && s2.ok());
  Harness a(*s1, "node-a"), b(*s2, "node-b");
  b.clock = a.clock;
  b.make("node-b");
  ScheduleDefinition d = definition("shared", "cron(0/10 * * * ? *)", pass_machine());
  d.overlap = OverlapPolicy::kAllowAll;
  ASSERT_THAT(a.scheduler->add(d), IsOk());
  ASSERT_THAT(b.scheduler->add(d), IsOk());
  for (int i = 0; i < 6 * 60; ++i) {
    a.clock->advance(kMinute);
    (i % 3 == 0 ? b : a).scheduler->step();
    (i % 3 == 0 ? a : b).scheduler->step();
  }
  std::multiset<std::string> all(a.recorder->started.begin(), a.recorder->started.end());
  all.insert(b.recorder->started.begin(), b.recorder->started.end());
  EXPECT_EQ(all.size(), 6u * 6u + 1u);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
}

TEST(SchedulerTest, ClaimWhoseExecutionIsInTheCheckpointStoreIsNotStartedAgain) {
  // The process died after starting (and checkpointing) the execution of its claim, before
  // clearing the claim: the restarted scheduler finds the execution in the checkpoint store.
  testing_support::TempDir dir;
  Result<std::shared_ptr<CheckpointStore>> checkpoints =
      open_sqlite_checkpoint_store(dir.file("runs.db"));
  Result<std::shared_ptr<ScheduleStore>> store = open_sqlite_schedule_store(dir.file("runs.db"));
  ASSERT_TRUE(checkpoints.ok() && store.ok());
  auto clock = std::make_shared<ManualClock>(kStart + 3 * kHour);
  ScheduleDefinition d = definition("job", "cron(0 3 * * ? *)", pass_machine());
  {
    EngineOptions eo;
    eo.clock = clock;
    eo.checkpoint_store = *checkpoints;
    Engine engine(std::move(eo));
    StartOptions so;
    so.name = "job-20240101T030000Z";
    ASSERT_TRUE(engine.start(d.machine, nlohmann::json::object(), so).ok());
    engine.run_all();
    internal::ScheduleState state;
    state.last = kStart + 3 * kHour;
    state.anchor = kStart;
    state.claim = internal::ScheduleClaim{kStart + 3 * kHour, "local", kStart + 3 * kHour};
    ASSERT_THAT((*store)->put({"job", internal::encode_schedule_state(state), 1}), IsOk());
  }
  EngineOptions eo;
  eo.clock = clock;
  eo.checkpoint_store = *checkpoints;
  Engine engine(std::move(eo));
  auto recorder = std::make_shared<Recorder>();
  SchedulerOptions so;
  so.clock = clock;
  so.store = *store;
  so.checkpoint_store = *checkpoints;
  so.listeners = {recorder};
  Scheduler scheduler(engine, std::move(so));
  ASSERT_THAT(scheduler.add(d), IsOk());
  for (int i = 0; i < 30; ++i) {
    clock->advance(kMinute);
    scheduler.step();
    engine.step();
  }
  EXPECT_TRUE(recorder->started.empty());
  EXPECT_TRUE(recorder->errors.empty());
  EXPECT_FALSE(engine.find("job-20240101T030000Z"));
  Result<ScheduleInfo> info = scheduler.describe("job");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->last_occurrence, kStart + 3 * kHour);
  EXPECT_TRUE(info->running.empty());
}
#endif

}  // namespace
}  // namespace stepwise
