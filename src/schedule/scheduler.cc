// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Scheduler` (stepwise/schedule.h). Each schedule's state is written to the store with a
// version check before anything is started, so that one occurrence is claimed by exactly one
// scheduler; the claim is then settled (the execution started, or found already started after a
// crash) and cleared. Runs are remembered until they are seen finished, for the overlap policy
// and for deadlines; a deadline miss is written (`alerted`) before it is reported, so a restart
// does not report it again. Executions start through the public `Engine::start` only.
#include <algorithm>
#include <cctype>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "schedule/expression.h"
#include "schedule/schedule_state.h"
#include "stepwise/schedule.h"

namespace stepwise {

using internal::ScheduleRun;
using internal::ScheduleState;

namespace {

// Most occurrences one step looks at per schedule; a longer backlog continues next step.
constexpr std::size_t kMaxDuePerStep = 100000;

enum class RunStatus { kRunning, kFinished, kUnknown };

bool valid_schedule_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

std::string describe_time(std::int64_t t) { return internal::format_utc_seconds(t); }

// a + b, saturating, with a negative b taken as 0 (deadlines and leases are host-given
// durations).
std::int64_t add_saturating(std::int64_t a, std::int64_t b) {
  if (b < 0) b = 0;
  return a > std::numeric_limits<std::int64_t>::max() - b ? std::numeric_limits<std::int64_t>::max()
                                                          : a + b;
}

}  // namespace

struct Scheduler::Impl {
  struct Entry {
    ScheduleDefinition def;
    ScheduleExpression expr;
    ScheduleState state;
    std::uint64_t version = 0;
    std::string arn;
    // The fire moment of the next occurrence after `state.last`, cached for that `last`, so
    // that a step over many schedules with nothing due costs a comparison each.
    mutable bool cache_valid = false;
    mutable std::optional<std::int64_t> cache_last;
    mutable std::optional<std::int64_t> cache_fire;
    // Where `step` finds it: `idle` (nothing running, claimed or waiting) keyed by its next
    // fire moment, or `active` (looked at every step).
    std::optional<std::int64_t> idle_key;
    bool in_active = false;
  };

  Engine& engine;
  SchedulerOptions options;
  std::map<std::string, Entry, std::less<>> schedules;
  // A step looks only at the active schedules and the idle ones that are due, so that many
  // schedules with nothing due cost little.
  std::set<std::pair<std::int64_t, Entry*>> idle;
  std::set<Entry*> active;

  void unqueue(Entry& e) {
    if (e.idle_key) idle.erase({*e.idle_key, &e});
    if (e.in_active) active.erase(&e);
    e.idle_key.reset();
    e.in_active = false;
  }

  void requeue(Entry& e) {
    unqueue(e);
    if (e.state.claim || !e.state.runs.empty() || e.state.buffered) {
      active.insert(&e);
      e.in_active = true;
    } else if (!e.state.paused && e.def.enabled) {
      if (std::optional<std::int64_t> t = next_fire(e)) {
        idle.insert({*t, &e});
        e.idle_key = t;
      }
    }
  }

  Impl(Engine& e, SchedulerOptions o) : engine(e), options(std::move(o)) {
    if (!options.store) options.store = make_memory_schedule_store();
    if (!options.clock) options.clock = std::make_shared<SystemClock>();
  }

  std::int64_t now() const { return options.clock->now(); }

  // --- Store ---

  Status save(Entry& e) {
    StoredScheduleState s{e.def.name, internal::encode_schedule_state(e.state), e.version + 1};
    Status st = options.store->put(s);
    if (st.ok()) {
      e.version = s.version;
      return st;
    }
    // Another scheduler moved the state on (or the store failed): continue from what it holds.
    Status reload = load(e);
    if (!reload.ok()) report_error(e.def.name, reload);
    return st;
  }

  Status load(Entry& e) {
    Result<std::optional<StoredScheduleState>> stored = options.store->load(e.def.name);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return not_found_error("no stored state");
    Result<ScheduleState> state = internal::decode_schedule_state(e.def.name, (*stored)->state);
    if (!state.ok()) return state.status();
    e.state = std::move(*state);
    e.version = (*stored)->version;
    return {};
  }

  void report_error(std::string_view schedule, const Status& status) {
    for (auto& l : options.listeners) l->on_error(schedule, status);
  }

  // --- Occurrences ---

  std::optional<std::int64_t> next_occurrence(const Entry& e, std::int64_t after) const {
    const std::int64_t anchor = e.state.anchor.value_or(0);
    std::optional<std::int64_t> t = e.expr.next_after(after, anchor);
    if (t && e.def.start_date && *t < *e.def.start_date) {
      t = e.expr.next_after(*e.def.start_date - 1, anchor);
    }
    if (t && e.def.end_date && *t > *e.def.end_date) return std::nullopt;
    return t;
  }

  std::int64_t fire_time(const Entry& e, std::int64_t scheduled) const {
    return scheduled +
           internal::flexible_offset(options.random_seed, e.def.name, scheduled,
                                     e.def.flexible_window_minutes * internal::kNanosPerMinute);
  }

  internal::OccurrenceContext context(const Entry& e, std::int64_t scheduled) const {
    return {e.def.name, e.arn, scheduled, internal::occurrence_id(e.def.name, scheduled)};
  }

  std::string execution_name(const Entry& e, std::int64_t scheduled) const {
    return internal::substitute_keywords(e.def.execution_name_pattern, context(e, scheduled), true);
  }

  RunStatus run_status(std::string_view execution) const {
    if (std::optional<ExecutionId> id = engine.find(execution)) {
      Result<ExecutionStatus> s = engine.status(*id);
      if (s.ok())
        return *s == ExecutionStatus::kRunning ? RunStatus::kRunning : RunStatus::kFinished;
    }
    if (options.checkpoint_store) {
      ExecutionFilter filter;
      filter.name_prefix = std::string(execution);
      filter.limit = 1;
      Result<std::vector<ExecutionSummary>> found = options.checkpoint_store->list(filter);
      if (found.ok() && !found->empty() && found->front().name == execution) {
        return found->front().status == "RUNNING" ? RunStatus::kRunning : RunStatus::kFinished;
      }
    }
    return RunStatus::kUnknown;
  }

  // --- Starting ---

  // Claims occurrence `t` (written first), then settles the claim. False when the claim could
  // not be written (another scheduler got there first, or the store failed): the state was
  // reloaded and the caller must not continue with what it computed before.
  bool start_occurrence(Entry& e, std::int64_t t) {
    e.state.last = std::max(e.state.last.value_or(t), t);
    e.state.claim = internal::ScheduleClaim{t, options.owner, now()};
    if (e.state.buffered == t) e.state.buffered.reset();
    if (Status s = save(e); !s.ok()) {
      if (s.code() != StatusCode::kFailedPrecondition) report_error(e.def.name, s);
      return false;
    }
    settle_claim(e);
    return true;
  }

  // Starts the claimed occurrence's execution unless it exists (a crash after the start), then
  // clears the claim.
  void settle_claim(Entry& e) {
    const std::int64_t t = e.state.claim->scheduled;
    const std::string name = execution_name(e, t);
    bool started = run_status(name) != RunStatus::kUnknown;
    if (!started) {
      StartOptions so;
      so.name = name;
      so.state_machine_name = e.def.state_machine_name;
      so.express = e.def.express;
      Result<ExecutionId> id =
          engine.start(e.def.machine, internal::substitute_input(e.def.input, context(e, t)), so);
      if (id.ok()) {
        started = true;
        for (auto& l : options.listeners) l->on_started(e.def.name, t, name);
      } else {
        report_error(e.def.name, Status(id.status().code(),
                                        "schedule \"" + e.def.name + "\": starting execution \"" +
                                            name + "\" failed: " + id.status().message()));
      }
    }
    e.state.claim.reset();
    if (started) e.state.runs.push_back({name, t, false});
    if (Status s = save(e); !s.ok()) report_error(e.def.name, s);
  }

  void skip(Entry& e, std::int64_t t, std::string_view reason) {
    e.state.last = std::max(e.state.last.value_or(t), t);
    for (auto& l : options.listeners) l->on_skipped(e.def.name, t, reason);
  }

  // --- Stepping ---

  // Forgets finished runs and reports deadline misses (written before reported).
  void check_runs(Entry& e, std::int64_t now_ns) {
    std::vector<DeadlineMiss> misses;
    bool dirty = false;
    std::vector<ScheduleRun> kept;
    for (ScheduleRun& r : e.state.runs) {
      if (run_status(r.execution) != RunStatus::kRunning) {
        dirty = true;
        continue;
      }
      const std::int64_t due = add_saturating(r.scheduled, e.def.deadline);
      if (e.def.deadline > 0 && !r.alerted && now_ns >= due) {
        r.alerted = true;
        dirty = true;
        misses.push_back({e.def.name, r.execution, r.scheduled, due});
      }
      kept.push_back(r);
    }
    if (!dirty) return;
    e.state.runs = std::move(kept);
    if (Status s = save(e); !s.ok()) {
      report_error(e.def.name, s);
      return;  // not written: not reported (the next step, or the other scheduler, will)
    }
    for (const DeadlineMiss& m : misses) {
      if (options.on_deadline_missed) options.on_deadline_missed(m);
      for (auto& l : options.listeners) l->on_deadline_missed(m);
    }
  }

  // The due occurrences (fire time passed), oldest first.
  std::vector<std::int64_t> due_occurrences(const Entry& e, std::int64_t now_ns) const {
    std::vector<std::int64_t> due;
    std::optional<std::int64_t> t =
        next_occurrence(e, e.state.last.value_or(std::numeric_limits<std::int64_t>::min() / 2));
    while (t && fire_time(e, *t) <= now_ns && due.size() < kMaxDuePerStep) {
      due.push_back(*t);
      t = next_occurrence(e, *t);
    }
    return due;
  }

  // Runs of state machine `machine` this scheduler has running, over all its schedules.
  std::size_t running_of(std::string_view machine) const {
    std::size_t n = 0;
    for (const auto& [name, other] : schedules) {
      if (other.def.state_machine_name == machine) n += other.state.runs.size();
    }
    return n;
  }

  bool at_limit(const Entry& e) const {
    auto it = options.state_machine_limits.find(e.def.state_machine_name);
    return it != options.state_machine_limits.end() &&
           running_of(e.def.state_machine_name) >= it->second;
  }

  bool can_start(const Entry& e) const {
    return (e.def.overlap == OverlapPolicy::kAllowAll || e.state.runs.empty()) && !at_limit(e);
  }

  void fire_due(Entry& e, std::int64_t now_ns) {
    std::vector<std::int64_t> due = due_occurrences(e, now_ns);
    if (due.empty()) return;
    std::vector<bool> missed;
    for (std::int64_t t : due) missed.push_back(now_ns - fire_time(e, t) > options.late_tolerance);
    std::vector<bool> start =
        internal::select_catch_up(missed, e.def.catch_up, e.def.catch_up_limit);
    bool unsaved = false;
    for (std::size_t i = 0; i < due.size(); ++i) {
      const std::int64_t t = due[i];
      if (!start[i]) {
        skip(e, t, "missed");
        unsaved = true;
      } else if (can_start(e)) {
        if (!start_occurrence(e, t)) return;
        unsaved = false;
      } else if (!e.state.buffered && (at_limit(e) || e.def.overlap == OverlapPolicy::kBufferOne)) {
        e.state.buffered = t;  // waits for the running run, or for a slot of its machine
        e.state.last = std::max(e.state.last.value_or(t), t);
        unsaved = true;
      } else {
        skip(e, t, at_limit(e) ? "concurrency" : "overlap");
        unsaved = true;
      }
    }
    if (unsaved) {
      if (Status s = save(e); !s.ok()) report_error(e.def.name, s);
    }
  }

  // Settles claims and forgets finished runs (every schedule before any fires, so that
  // limits count the runs of a machine correctly).
  void check_entry(Entry& e, std::int64_t now_ns) {
    if (e.state.claim) {
      const bool mine = e.state.claim->owner == options.owner;
      if (!mine && now_ns < add_saturating(e.state.claim->claimed_at, options.claim_lease)) return;
      settle_claim(e);
    }
    check_runs(e, now_ns);
  }

  std::optional<std::int64_t> next_fire(const Entry& e) const {
    if (!e.cache_valid || e.cache_last != e.state.last) {
      std::optional<std::int64_t> t =
          next_occurrence(e, e.state.last.value_or(std::numeric_limits<std::int64_t>::min() / 2));
      e.cache_fire = t ? std::optional<std::int64_t>(fire_time(e, *t)) : std::nullopt;
      e.cache_last = e.state.last;
      e.cache_valid = true;
    }
    return e.cache_fire;
  }

  void fire_entry(Entry& e, std::int64_t now_ns) {
    if (e.state.claim) return;  // another scheduler's claim, not settled yet
    if (e.state.buffered && can_start(e)) start_occurrence(e, *e.state.buffered);
    if (e.state.paused || !e.def.enabled) return;
    if (std::optional<std::int64_t> f = next_fire(e); f && *f <= now_ns) fire_due(e, now_ns);
  }

  std::optional<std::int64_t> next_due(const Entry& e) const {
    std::optional<std::int64_t> best;
    auto consider = [&](std::int64_t t) { best = best ? std::min(*best, t) : t; };
    if (e.state.claim) consider(add_saturating(e.state.claim->claimed_at, options.claim_lease));
    for (const ScheduleRun& r : e.state.runs) {
      if (e.def.deadline > 0 && !r.alerted) consider(add_saturating(r.scheduled, e.def.deadline));
    }
    if (!e.state.paused && e.def.enabled) {
      if (std::optional<std::int64_t> t = next_fire(e)) consider(*t);
    }
    return best;
  }

  Status validate(const ScheduleDefinition& d) const;
  Status add(ScheduleDefinition d);
  Status set_paused(std::string_view name, bool paused);
};

Status Scheduler::Impl::validate(const ScheduleDefinition& d) const {
  auto bad = [&](const std::string& field, const std::string& why) {
    return invalid_argument_error("schedule \"" + d.name + "\": " + field + ": " + why);
  };
  if (!valid_schedule_name(d.name)) {
    return bad("name", "must be 1 to 64 letters, digits, '.', '-' or '_'");
  }
  if (!d.machine) return bad("machine", "a state machine is required");
  if (d.flexible_window_minutes < 0 || d.flexible_window_minutes > 1440) {
    return bad("flexible_window_minutes",
               "must be 0 (off) or 1 to 1440, not " + std::to_string(d.flexible_window_minutes));
  }
  if (d.start_date && d.end_date && *d.end_date <= *d.start_date) {
    return bad("end_date", "must be after start_date");
  }
  if (d.catch_up == CatchUpPolicy::kAll && d.catch_up_limit == 0) {
    return bad("catch_up_limit", "must be at least 1 with CatchUpPolicy::kAll");
  }
  if (d.deadline < 0) return bad("deadline", "must not be negative");
  const std::string& p = d.execution_name_pattern;
  if (p.find("<aws.scheduler.scheduled-time>") == std::string::npos &&
      p.find("<aws.scheduler.execution-id>") == std::string::npos) {
    return bad("execution_name_pattern",
               "must contain <aws.scheduler.scheduled-time> or <aws.scheduler.execution-id>, so "
               "that each occurrence gets its own execution name");
  }
  internal::OccurrenceContext sample{d.name, "", 0, internal::occurrence_id(d.name, 0)};
  if (auto problem =
          internal::execution_name_problem(internal::substitute_keywords(p, sample, true))) {
    return bad("execution_name_pattern", *problem);
  }
  return {};
}

Status Scheduler::Impl::add(ScheduleDefinition d) {
  STEPWISE_RETURN_IF_ERROR(validate(d));
  if (schedules.count(d.name) != 0) {
    return failed_precondition_error("schedule \"" + d.name + "\" already exists");
  }
  Result<ScheduleExpression> expr = ScheduleExpression::parse(d.expression, d.time_zone);
  if (!expr.ok()) {
    return Status(expr.status().code(),
                  "schedule \"" + d.name + "\": expression: " + expr.status().message());
  }
  const std::string name = d.name;
  Entry e{std::move(d), std::move(*expr), {},           0,    "", false,
          std::nullopt, std::nullopt,     std::nullopt, false};
  e.arn = "arn:" + options.partition + ":scheduler:" + options.region + ":" + options.account +
          ":schedule/default/" + name;
  Status loaded = load(e);
  if (loaded.code() == StatusCode::kNotFound) {
    // A new schedule: nothing before now fires; a rate counts from its start date or now.
    const std::int64_t t = now();
    e.state = ScheduleState{};
    e.state.last = t - 1;
    e.state.anchor = e.def.start_date.value_or(t);
    e.version = 0;
    Status s = save(e);  // on a race with another node, `save` reloaded its state
    if (!s.ok() && s.code() != StatusCode::kFailedPrecondition) return s;
  } else if (!loaded.ok()) {
    return loaded;
  }
  auto [it, inserted] = schedules.emplace(name, std::move(e));
  requeue(it->second);
  return {};
}

Status Scheduler::Impl::set_paused(std::string_view name, bool paused) {
  auto it = schedules.find(name);
  if (it == schedules.end()) return not_found_error("no schedule \"" + std::string(name) + "\"");
  Entry& e = it->second;
  if (e.state.paused == paused) return {};
  e.state.paused = paused;
  // Occurrences due while paused are skipped: resuming starts from now.
  if (!paused) e.state.last = std::max(e.state.last.value_or(now()), now());
  Status s = save(e);
  requeue(e);
  return s;
}

Scheduler::Scheduler(Engine& engine, SchedulerOptions options)
    : impl_(std::make_unique<Impl>(engine, std::move(options))) {}
Scheduler::~Scheduler() = default;

Status Scheduler::add(ScheduleDefinition definition) { return impl_->add(std::move(definition)); }

Status Scheduler::remove(std::string_view name) {
  auto it = impl_->schedules.find(name);
  if (it == impl_->schedules.end()) {
    return not_found_error("no schedule \"" + std::string(name) + "\"");
  }
  STEPWISE_RETURN_IF_ERROR(impl_->options.store->remove(name));
  impl_->unqueue(it->second);
  impl_->schedules.erase(it);
  return {};
}

Status Scheduler::pause(std::string_view name) { return impl_->set_paused(name, true); }
Status Scheduler::resume(std::string_view name) { return impl_->set_paused(name, false); }

Status Scheduler::set_enabled(std::string_view name, bool enabled) {
  auto it = impl_->schedules.find(name);
  if (it == impl_->schedules.end()) {
    return not_found_error("no schedule \"" + std::string(name) + "\"");
  }
  Impl::Entry& e = it->second;
  if (e.def.enabled == enabled) return {};
  e.def.enabled = enabled;
  Status s;
  if (enabled) {
    const std::int64_t t = impl_->now();
    e.state.last = std::max(e.state.last.value_or(t), t);  // skip what was due while disabled
    s = impl_->save(e);
  }
  impl_->requeue(e);
  return s;
}

std::optional<std::int64_t> Scheduler::step() {
  const std::int64_t now = impl_->now();
  std::vector<Impl::Entry*> work(impl_->active.begin(), impl_->active.end());
  for (auto it = impl_->idle.begin(); it != impl_->idle.end() && it->first <= now; ++it) {
    work.push_back(it->second);
  }
  std::sort(work.begin(), work.end(),
            [](const Impl::Entry* a, const Impl::Entry* b) { return a->def.name < b->def.name; });
  for (Impl::Entry* e : work) impl_->check_entry(*e, now);
  for (Impl::Entry* e : work) impl_->fire_entry(*e, now);
  for (Impl::Entry* e : work) impl_->requeue(*e);
  return next_deadline();
}

std::optional<std::int64_t> Scheduler::next_deadline() const {
  std::optional<std::int64_t> best;
  if (!impl_->idle.empty()) best = impl_->idle.begin()->first;
  for (const Impl::Entry* e : impl_->active) {
    if (std::optional<std::int64_t> t = impl_->next_due(*e)) best = best ? std::min(*best, *t) : *t;
  }
  return best;
}

Result<ScheduleInfo> Scheduler::describe(std::string_view name) const {
  auto it = impl_->schedules.find(name);
  if (it == impl_->schedules.end()) {
    return not_found_error("no schedule \"" + std::string(name) + "\"");
  }
  const Impl::Entry& e = it->second;
  ScheduleInfo info;
  info.name = e.def.name;
  info.paused = e.state.paused;
  info.enabled = e.def.enabled;
  info.last_occurrence = e.state.last;
  info.next_occurrence = impl_->next_occurrence(
      e, e.state.last.value_or(std::numeric_limits<std::int64_t>::min() / 2));
  if (info.next_occurrence) info.next_fire = impl_->fire_time(e, *info.next_occurrence);
  info.buffered = e.state.buffered;
  for (const ScheduleRun& r : e.state.runs) info.running.push_back(r.execution);
  return info;
}

std::vector<std::string> Scheduler::names() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : impl_->schedules) out.push_back(name);
  return out;
}

// --- The line listener ---

namespace {

class LineListener final : public ScheduleListener {
 public:
  explicit LineListener(std::function<void(std::string_view)> write) : write_(std::move(write)) {}
  void on_started(std::string_view schedule, std::int64_t scheduled,
                  std::string_view execution) override {
    write_("schedule " + std::string(schedule) + ": started " + std::string(execution) +
           " (scheduled " + describe_time(scheduled) + ")");
  }
  void on_skipped(std::string_view schedule, std::int64_t scheduled,
                  std::string_view reason) override {
    write_("schedule " + std::string(schedule) + ": skipped the occurrence of " +
           describe_time(scheduled) + " (" + std::string(reason) + ")");
  }
  void on_deadline_missed(const DeadlineMiss& m) override {
    write_("schedule " + m.schedule + ": deadline missed by run " + m.execution_name +
           " (scheduled " + describe_time(m.scheduled_time) + ", deadline " +
           describe_time(m.deadline) + ")");
  }
  void on_error(std::string_view schedule, const Status& status) override {
    write_("schedule " + std::string(schedule) + ": error: " + status.to_string());
  }

 private:
  std::function<void(std::string_view)> write_;
};

}  // namespace

std::shared_ptr<ScheduleListener> make_line_schedule_listener(
    std::function<void(std::string_view line)> write) {
  return std::make_shared<LineListener>(std::move(write));
}

}  // namespace stepwise
