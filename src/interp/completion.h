// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The shared state behind a `TaskCompletion`: a one-shot slot that an executor fills from any
// thread. A completion delivered inside `TaskExecutor::start` on the stepping thread is read
// straight from the slot (no queue); any other is posted to the engine's inbox and wakes the
// clock.
#ifndef STEPWISE_SRC_INTERP_COMPLETION_H_
#define STEPWISE_SRC_INTERP_COMPLETION_H_

#include <cstdint>
#include <memory>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/thread_annotations.h"
#include "stepwise/clock.h"
#include "stepwise/errors.h"
#include "util/json_limits.h"

namespace stepwise::internal {

struct CompletionSlot;

// Completions posted from other threads. Thread-safe: all methods may be called concurrently.
struct Inbox {
  // An activity task waiting for a worker (Engine::get_activity_task).
  struct Activity {
    std::string arn;
    std::string token;
    std::string input;  // JSON text
    std::uint64_t key = 0;
  };
  Mutex mu;
  std::vector<std::shared_ptr<CompletionSlot>> ready GUARDED_BY(mu);
  std::vector<std::uint64_t> heartbeats GUARDED_BY(mu);  // task keys
  std::shared_ptr<Clock> clock GUARDED_BY(mu);
  // Under a virtual clock: the real clock `Engine::run` waits on while a real-time task is in
  // flight (`TaskCompletion::mark_real_time`); completions and heartbeats wake it too.
  std::shared_ptr<Clock> real_clock GUARDED_BY(mu);
  // Tasks in flight by token, for Engine::send_task_* (any thread). A task is registered once
  // its executor's `start` has returned without completing it (most complete inside `start`,
  // and would pay a map insertion and removal for nothing); activities are registered when
  // queued.
  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::weak_ptr<CompletionSlot>, TokenHash, std::equal_to<>>
      by_token GUARDED_BY(mu);
  // The task whose executor's `start` is running on the stepping thread, not yet in `by_token`:
  // an executor may hand its token to another thread that calls Engine::send_task_* before
  // `start` returns. The engine keeps the slot alive meanwhile.
  CompletionSlot* starting GUARDED_BY(mu) = nullptr;
  std::deque<Activity> activities GUARDED_BY(mu);
  // (task key, worker name) of activity tasks taken by a worker (ActivityStarted events).
  std::vector<std::pair<std::uint64_t, std::string>> activity_started GUARDED_BY(mu);
};

struct CompletionSlot {
  Mutex mu;
  bool done GUARDED_BY(mu) = false;
  bool in_start GUARDED_BY(mu) = false;   // the engine is inside start()
  bool real_time GUARDED_BY(mu) = false;  // TaskCompletion::mark_real_time
  std::thread::id starter;                // the stepping thread during start()
  std::optional<nlohmann::json> output GUARDED_BY(mu);
  std::optional<Failure> failure GUARDED_BY(mu);
  std::uint64_t key = 0;
  std::string token;
  std::weak_ptr<Inbox> inbox;
  std::size_t max_payload_depth = 0;  // EngineOptions::max_payload_depth; 0: no limit

  // Marks the slot as inside the executor's `start`, before any other thread can reach it
  // (a fresh slot, or one recycled with no other reference): no lock is needed yet.
  void begin_start() NO_THREAD_SAFETY_ANALYSIS { in_start = true; }

  // Records the outcome once; posts it unless it came synchronously from start(). A result
  // nested deeper than `max_payload_depth` is replaced by States.DataLimitExceeded here, on
  // the completing thread, before the engine copies, records or checkpoints it.
  void complete(std::optional<nlohmann::json> out, std::optional<Failure> fail) {
    if (out && json_depth_exceeds(*out, max_payload_depth)) {
      out.reset();
      fail = Failure(std::string(errors::kDataLimitExceeded),
                     depth_limit_cause("The task result", max_payload_depth));
    }
    std::shared_ptr<Inbox> box;
    {
      MutexLock lock(mu);
      if (done) return;
      done = true;
      output = std::move(out);
      failure = std::move(fail);
      if (in_start && std::this_thread::get_id() == starter) return;
      box = inbox.lock();
    }
    if (!box) return;
    std::shared_ptr<CompletionSlot> self(self_weak.lock());
    if (!self) return;
    std::shared_ptr<Clock> clock, real_clock;
    {
      MutexLock lock(box->mu);
      box->ready.push_back(std::move(self));
      clock = box->clock;  // kept alive past the engine's destruction by this copy
      real_clock = box->real_clock;
    }
    if (clock) clock->wake();
    if (real_clock) real_clock->wake();
  }

  // Resets the task's HeartbeatSeconds timer (ignored once the task is done).
  void heartbeat() {
    std::shared_ptr<Inbox> box;
    {
      MutexLock lock(mu);
      if (done) return;
      box = inbox.lock();
    }
    if (!box) return;
    std::shared_ptr<Clock> clock, real_clock;
    {
      MutexLock lock(box->mu);
      box->heartbeats.push_back(key);
      clock = box->clock;
      real_clock = box->real_clock;
    }
    if (clock) clock->wake();
    if (real_clock) real_clock->wake();
  }

  std::weak_ptr<CompletionSlot> self_weak;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_COMPLETION_H_
