// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Stepping's two queues. `RunQueue`: the live frames by serial and the frames ready to
// advance, first in, first out (a frame is queued at most once); finished frames are buried
// and destroyed after the advance that may still have them on its call stack. `TimerQueue`:
// when frames wake (Wait, retry backoff, task timeouts and heartbeats), soonest first; a frame
// re-arming its timer bumps its generation, which makes the older entries stale.
#ifndef STEPWISE_SRC_INTERP_RUN_QUEUE_H_
#define STEPWISE_SRC_INTERP_RUN_QUEUE_H_

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "interp/execution.h"

namespace stepwise::internal {

class RunQueue {
 public:
  // Gives `f` its serial and makes it live.
  void add(Frame& f);
  // `f` is no longer live: queue and timer entries naming it are skipped.
  void remove(const Frame& f);
  // The live frame with `serial`, or null.
  Frame* live(std::uint64_t serial) const;
  // Queues `f` to advance (unless queued already or aborted).
  void schedule(Frame& f);
  // The next live queued frame, taken off the queue; null when none.
  Frame* next();
  bool empty() const { return runnable_.empty(); }
  // Destroys `f` after the current advance.
  void bury(std::unique_ptr<Frame> f) { graveyard_.push_back(std::move(f)); }
  void clear_graveyard() { graveyard_.clear(); }

 private:
  // A serial is a slot index (low 32 bits) and the slot's generation (high 32 bits): a
  // slot is reused once its frame is removed, and the generation makes the serials of its
  // earlier frames stale. Lookups are an index, and the table stays as large as the most
  // frames ever live at once (16 bytes each) instead of a hash node per frame.
  struct Slot {
    Frame* frame = nullptr;
    std::uint64_t serial = 0;
  };
  std::deque<std::uint64_t> runnable_;  // frame serials
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::unique_ptr<Frame>> graveyard_;
};

struct Timer {
  std::int64_t at;
  ExecutionId execution;
  std::uint64_t frame_serial;
  std::uint64_t generation;
  bool operator>(const Timer& o) const { return at > o.at; }
};

class TimerQueue {
 public:
  // Arms `f`'s timer for `at` (the frame's earlier entries become stale).
  void set(Frame& f, std::int64_t at);
  // The soonest entry at or before `now`, taken off the heap.
  std::optional<Timer> pop_due(std::int64_t now);
  // The soonest entry `valid` accepts; invalid ones met on the way are dropped.
  template <typename Valid>
  std::optional<std::int64_t> next(Valid&& valid) {
    while (!heap_.empty()) {
      if (valid(heap_.top())) return heap_.top().at;
      heap_.pop();
    }
    return std::nullopt;
  }

 private:
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> heap_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_RUN_QUEUE_H_
