// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Schedules (target `stepwise::schedule`, docs/schedules.md): EventBridge Scheduler's schedule
// expressions (`rate(...)`, `cron(...)`, `at(...)`) evaluated in an IANA time zone, and the
// `Scheduler`, which starts executions of state machines on an `Engine` when they are due,
// with overlap and catch-up policies, flexible time windows, deadlines, and its state in a
// `ScheduleStore` so that a restart neither loses nor doubles an occurrence.
//
// Design choices:
// - Times are nanoseconds since the Unix epoch, as everywhere in the engine; schedules are
//   evaluated to the minute (EventBridge Scheduler's precision), `rate` from its anchor.
// - Daylight saving time follows EventBridge Scheduler's documented rules: a cron time that
//   does not exist (clocks jump forward) is skipped, one that exists twice (clocks fall back)
//   fires once, at its first instant; a rate is a fixed duration (a day is 24 hours).
// - Time zones come from the system's tzdata (/usr/share/zoneinfo) through Howard Hinnant's
//   date library, which this target links privately.
// - The scheduler is stepped by the host on the engine's thread, like `Engine::step`.
#ifndef STEPWISE_SCHEDULE_H_
#define STEPWISE_SCHEDULE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/clock.h"
#include "stepwise/engine.h"
#include "stepwise/export.h"
#include "stepwise/state_machine.h"
#include "stepwise/status.h"

namespace stepwise {

namespace internal {
struct CompiledSchedule;
}

// A parsed schedule expression bound to a time zone. Immutable after construction; safe to use
// from any number of threads.
//
//   Result<ScheduleExpression> e = ScheduleExpression::parse("cron(0 9 ? * MON-FRI *)",
//                                                            "Europe/Paris");
//   std::optional<std::int64_t> next = e->next_after(clock.now());
class STEPWISE_EXPORT ScheduleExpression {
 public:
  enum class Kind { kRate, kCron, kAt };

  // Parses `text` (`rate(5 minutes)`, `cron(0 9 ? * MON-FRI *)`, `at(2026-12-24T18:00:00)`)
  // and looks up `time_zone` (an IANA name such as "America/New_York"; "UTC" by default).
  // Fails with kInvalidArgument and a message that names the field and the bad token, e.g.
  // "Invalid Schedule Expression cron(0 9 * * MON *): day-of-month and day-of-week cannot
  // both be set; use ? in one of them", or "Invalid time zone \"Mars/Olympus\": ...". An
  // expression that can never fire (`cron(0 0 31 2 ? *)`) is also refused.
  static Result<ScheduleExpression> parse(std::string_view text,
                                          std::string_view time_zone = "UTC");

  Kind kind() const;
  const std::string& text() const;
  const std::string& time_zone() const;
  // For `rate`: the interval in nanoseconds; 0 otherwise.
  std::int64_t rate_interval() const;

  // The first occurrence strictly after `after` (nanoseconds since the epoch), or nullopt when
  // there is none (an `at` time already passed, a cron year range ended). `rate` occurrences
  // are `anchor + k * interval` for k >= 0 (EventBridge Scheduler starts a rate at the
  // schedule's start date, or at its creation without one).
  std::optional<std::int64_t> next_after(std::int64_t after, std::int64_t anchor = 0) const;

  // `t` as ISO 8601 local time in this expression's zone with its UTC offset, to the second:
  // "2026-03-08T03:00:00-04:00".
  std::string format_local(std::int64_t t) const;

 private:
  explicit ScheduleExpression(std::shared_ptr<const internal::CompiledSchedule> impl)
      : impl_(std::move(impl)) {}
  std::shared_ptr<const internal::CompiledSchedule> impl_;
};

// --- Persistence ---

// The stored state of one schedule: an opaque JSON text the scheduler writes (last occurrence
// handled, the occurrence being started, a buffered run, pause, runs watched for deadlines)
// and the version that fences concurrent writers.
struct StoredScheduleState {
  std::string name;
  std::string state;          // JSON text, opaque to the store
  std::uint64_t version = 0;  // 1 for the first write, +1 for each later write
};

// Durable storage of schedule states (docs/schedules.md, "Persistence").
//
// Host interface. The scheduler calls every method on the thread that calls
// `Scheduler::step()` and its other methods; a store shared by several schedulers (processes,
// nodes of a fleet) must be safe for that use. Failures are reported as a non-OK `Status`.
class STEPWISE_EXPORT ScheduleStore {
 public:
  virtual ~ScheduleStore() = default;
  ScheduleStore() = default;
  ScheduleStore(const ScheduleStore&) = delete;
  ScheduleStore& operator=(const ScheduleStore&) = delete;

  // The state of schedule `name`, or nullopt when none is stored.
  virtual Result<std::optional<StoredScheduleState>> load(std::string_view name) = 0;
  // Writes `state` atomically if and only if `state.version` is the stored version plus one
  // (1 when nothing is stored): the conditional update that makes each occurrence fire once
  // across processes. Fails with kFailedPrecondition, changing nothing, otherwise.
  virtual Status put(const StoredScheduleState& state) = 0;
  // Deletes the state of `name`; deleting a missing one is not an error.
  virtual Status remove(std::string_view name) = 0;
};

// A store in memory: durable only while the process lives. Thread-safe.
STEPWISE_EXPORT std::shared_ptr<ScheduleStore> make_memory_schedule_store();

// Opens (creating it if missing) the SQLite database at `path` and keeps schedule states in
// its table `schedule_states`. The file may be the one the SQLite checkpoint store uses
// (`open_sqlite_checkpoint_store`): it is opened as a checkpoint database first, so that a
// foreign file is refused unmodified. Only in builds with SQLite (STEPWISE_WITH_SQLITE);
// kFailedPrecondition otherwise. Thread-safe.
STEPWISE_EXPORT Result<std::shared_ptr<ScheduleStore>> open_sqlite_schedule_store(
    const std::string& path);

// --- The scheduler ---

// What happens to an occurrence that is due while a run it started earlier still runs
// (Temporal's overlap policies).
enum class OverlapPolicy {
  kSkip,       // the new occurrence is skipped
  kBufferOne,  // the first such occurrence starts when the running one ends; later ones skip
  kAllowAll,   // every occurrence starts
};

// What happens to occurrences missed while the scheduler was not stepped (downtime): those
// whose fire time is older than `SchedulerOptions::late_tolerance`.
enum class CatchUpPolicy {
  kNone,    // missed occurrences are skipped
  kLatest,  // only the latest missed occurrence starts
  kAll,     // all missed occurrences start, oldest first, at most `catch_up_limit` (the latest)
};

// One schedule. Keywords in `input` strings and in `execution_name_pattern`:
// `<aws.scheduler.scheduled-time>` (2026-01-05T09:00:00Z in the input, 20260105T090000Z in
// names, which may not hold ':'), `<aws.scheduler.schedule-arn>`, `<aws.scheduler.execution-id>`
// (16 hexadecimal digits, the same for every attempt of one occurrence),
// `<aws.scheduler.attempt-number>` (1) and `<stepwise.schedule-name>`.
struct ScheduleDefinition {
  // Unique within a scheduler: 1 to 64 letters, digits, '.', '-' or '_' (AWS's rule).
  std::string name;
  std::string expression;                  // rate(...), cron(...) or at(...)
  std::string time_zone = "UTC";           // IANA name
  std::optional<std::int64_t> start_date;  // no occurrence before it; anchors a rate
  std::optional<std::int64_t> end_date;    // no occurrence after it
  // Fire each occurrence at a random moment within this many minutes after it (1-1440),
  // seeded by `SchedulerOptions::random_seed`, the schedule name and the occurrence, so the
  // same occurrence always gets the same moment. 0: off. Default: 0.
  int flexible_window_minutes = 0;
  // The target. `machine` is required.
  std::shared_ptr<const StateMachine> machine;
  std::string state_machine_name = "stepwise";
  bool express = false;
  // The execution input; keywords in its strings are substituted. Default: {}.
  nlohmann::json input = nlohmann::json::object();
  // The name of each execution; must contain `<aws.scheduler.scheduled-time>` or
  // `<aws.scheduler.execution-id>` so that each occurrence has its own. The result must be a
  // valid execution name (1-80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~
  // ` $ & , ; : / or control characters). Default: "<stepwise.schedule-name>-<aws.scheduler.
  // scheduled-time>".
  std::string execution_name_pattern = "<stepwise.schedule-name>-<aws.scheduler.scheduled-time>";
  OverlapPolicy overlap = OverlapPolicy::kSkip;
  CatchUpPolicy catch_up = CatchUpPolicy::kLatest;
  std::size_t catch_up_limit = 100;
  // The run must finish within this many nanoseconds of its scheduled time; when it does not,
  // `SchedulerOptions::on_deadline_missed` and the listeners' `on_deadline_missed` are called
  // once (the run is not failed). 0: no deadline. Default: 0.
  std::int64_t deadline = 0;
  // A disabled schedule fires nothing; occurrences due while disabled are skipped.
  bool enabled = true;
};

// A run that missed its deadline.
struct DeadlineMiss {
  std::string schedule;
  std::string execution_name;
  std::int64_t scheduled_time = 0;
  std::int64_t deadline = 0;  // the instant it should have finished by
};

// Receives what the scheduler does. All methods default to doing nothing.
//
// Host interface. The scheduler calls it on the thread that calls `Scheduler::step()`.
class STEPWISE_EXPORT ScheduleListener {
 public:
  virtual ~ScheduleListener() = default;
  ScheduleListener() = default;
  ScheduleListener(const ScheduleListener&) = delete;
  ScheduleListener& operator=(const ScheduleListener&) = delete;
  // An execution was started for the occurrence `scheduled_time`.
  virtual void on_started(std::string_view /*schedule*/, std::int64_t /*scheduled_time*/,
                          std::string_view /*execution_name*/) {}
  // An occurrence was skipped; `reason` is "overlap", "missed" or "concurrency".
  virtual void on_skipped(std::string_view /*schedule*/, std::int64_t /*scheduled_time*/,
                          std::string_view /*reason*/) {}
  virtual void on_deadline_missed(const DeadlineMiss& /*miss*/) {}
  // Starting an execution or writing the store failed.
  virtual void on_error(std::string_view /*schedule*/, const Status& /*status*/) {}
};

// A listener that writes one line of text per event to a function (no logging library):
// "schedule nightly: deadline missed by run nightly-20260105T020000Z (scheduled
// 2026-01-05T02:00:00Z, deadline 2026-01-05T04:00:00Z)".
STEPWISE_EXPORT std::shared_ptr<ScheduleListener> make_line_schedule_listener(
    std::function<void(std::string_view line)> write);

struct SchedulerOptions {
  // Time source: set it to the engine's clock (`EngineOptions::clock`). Default: a
  // `SystemClock`.
  std::shared_ptr<Clock> clock;
  // Where schedule states are kept. Default: a memory store.
  std::shared_ptr<ScheduleStore> store;
  // The engine's checkpoint store, if it has one: consulted after a restart to learn whether
  // the execution of an occurrence claimed before the crash exists and whether runs watched for
  // deadlines finished. Default: none (only the engine is asked).
  std::shared_ptr<CheckpointStore> checkpoint_store;
  // This process's name in a fleet. A claimed occurrence whose execution did not start is
  // started again by the same owner at once and by another owner after `claim_lease`.
  // Default: "local".
  std::string owner = "local";
  std::int64_t claim_lease = 300LL * 1000000000LL;
  // An occurrence whose fire time is older than this when the scheduler sees it is "missed"
  // (`CatchUpPolicy`). Default: 60 s (EventBridge Scheduler's precision).
  std::int64_t late_tolerance = 60LL * 1000000000LL;
  // Most executions of a state machine (by `ScheduleDefinition::state_machine_name`) that this
  // scheduler's runs may have running at once. A due occurrence over the limit waits (one per
  // schedule, whatever its overlap policy) and starts when a run of that machine ends; a
  // further one while one waits is skipped ("concurrency"). Machines not listed: no limit.
  // Default: none.
  std::map<std::string, std::size_t, std::less<>> state_machine_limits;
  // Seed of the flexible time windows. Default: 0.
  std::uint64_t random_seed = 0;
  // Called once per run that misses its deadline. Default: none.
  std::function<void(const DeadlineMiss&)> on_deadline_missed;
  std::vector<std::shared_ptr<ScheduleListener>> listeners;
  // For `<aws.scheduler.schedule-arn>`: arn:<partition>:scheduler:<region>:<account>:
  // schedule/default/<name>. Default: "aws", "us-east-1", "111111111111".
  std::string partition = "aws";
  std::string region = "us-east-1";
  std::string account = "111111111111";
};

// What `Scheduler::describe` reports.
struct ScheduleInfo {
  std::string name;
  bool paused = false;
  bool enabled = true;
  std::optional<std::int64_t> last_occurrence;  // latest occurrence started or skipped
  std::optional<std::int64_t> next_occurrence;  // next scheduled time
  std::optional<std::int64_t> next_fire;        // next fire moment (flexible window applied)
  std::optional<std::int64_t> buffered;         // an occurrence waiting (kBufferOne)
  std::vector<std::string> running;             // executions started and not seen finished
};

// Starts executions on `engine` when schedules are due. Stepped by the host like the engine:
//
//   Scheduler scheduler(engine, {.clock = clock, .store = store});
//   scheduler.add({.name = "nightly", .expression = "cron(0 2 * * ? *)",
//                  .time_zone = "Europe/London", .machine = etl});
//   for (;;) {
//     std::optional<std::int64_t> due = scheduler.step();
//     StepReport r = engine.step();
//     ... sleep until the earliest of `due`, `r.next_deadline` ...
//   }
//
// Not thread-safe: use from one thread at a time, the thread that steps `engine`. The engine
// must outlive the scheduler.
class STEPWISE_EXPORT Scheduler {
 public:
  Scheduler(Engine& engine, SchedulerOptions options);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Adds a schedule and loads its stored state (a restarted process continues where the
  // previous one stopped). kInvalidArgument for a bad name, expression, time zone, window,
  // date range, name pattern or a null machine, naming the field; kFailedPrecondition when a
  // schedule of that name exists; the store's status when loading fails.
  Status add(ScheduleDefinition definition);
  // Forgets a schedule and deletes its stored state. kNotFound when absent.
  Status remove(std::string_view name);
  // Pause and resume, persisted: occurrences due while paused are skipped. kNotFound when
  // absent.
  Status pause(std::string_view name);
  Status resume(std::string_view name);
  // Enable or disable (not persisted: the definition's `enabled`). kNotFound when absent.
  Status set_enabled(std::string_view name, bool enabled);

  // Starts what is due (in schedule-name order, each schedule's occurrences oldest first),
  // applies the policies, checks deadlines, and returns the next instant at which something
  // is due (an occurrence or a deadline), if any. Errors go to the listeners.
  std::optional<std::int64_t> step();
  // What `step` would return now, without doing anything.
  std::optional<std::int64_t> next_deadline() const;

  Result<ScheduleInfo> describe(std::string_view name) const;
  std::vector<std::string> names() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace stepwise

#endif  // STEPWISE_SCHEDULE_H_
