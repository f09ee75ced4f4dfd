// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// RunQueue and TimerQueue (run_queue.h).
#include "interp/run_queue.h"

namespace stepwise::internal {

void RunQueue::add(Frame& f) {
  std::uint32_t index;
  if (free_slots_.empty()) {
    index = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  } else {
    index = free_slots_.back();
    free_slots_.pop_back();
  }
  Slot& slot = slots_[index];
  std::uint64_t generation = (slot.serial >> 32) + 1;  // never 0: serial 0 names no frame
  slot.serial = (generation << 32) | index;
  slot.frame = &f;
  f.serial = slot.serial;
}

void RunQueue::remove(const Frame& f) {
  std::uint64_t index = f.serial & 0xFFFFFFFFu;
  if (index < slots_.size() && slots_[index].serial == f.serial && slots_[index].frame != nullptr) {
    slots_[index].frame = nullptr;
    free_slots_.push_back(static_cast<std::uint32_t>(index));
  }
}

Frame* RunQueue::live(std::uint64_t serial) const {
  std::uint64_t index = serial & 0xFFFFFFFFu;
  if (index >= slots_.size() || slots_[index].serial != serial) return nullptr;
  return slots_[index].frame;
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
