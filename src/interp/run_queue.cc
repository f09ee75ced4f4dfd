// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// RunQueue and TimerQueue (run_queue.h).
#include "interp/run_queue.h"

namespace stepwise::internal {

void RunQueue::add(Frame& f) {
  f.serial = next_serial_++;
  live_.emplace(f.serial, &f);
}

Frame* RunQueue::live(std::uint64_t serial) const {
  auto it = live_.find(serial);
  return it == live_.end() ? nullptr : it->second;
}

void RunQueue::schedule(Frame& f) {
  if (!f.queued && !f.aborted) {
    f.queued = true;
    runnable_.push_back(f.serial);
  }
}

Frame* RunQueue::next() {
  while (!runnable_.empty()) {
    std::uint64_t serial = runnable_.front();
    runnable_.pop_front();
    if (Frame* f = live(serial)) {
      f->queued = false;
      return f;
    }
  }
  return nullptr;
}

void TimerQueue::set(Frame& f, std::int64_t at) {
  f.timer.wake_at = at;
  ++f.timer.generation;
  heap_.push({at, f.execution->id, f.serial, f.timer.generation});
}

std::optional<Timer> TimerQueue::pop_due(std::int64_t now) {
  if (heap_.empty() || heap_.top().at > now) return std::nullopt;
  Timer t = heap_.top();
  heap_.pop();
  return t;
}

}  // namespace stepwise::internal
