// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Time, for everything that waits: Wait states, retry backoff, task timeouts and heartbeats,
// and the machine's TimeoutSeconds. No other code in the library reads the system time.
#ifndef STEPWISE_CLOCK_H_
#define STEPWISE_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "stepwise/export.h"

namespace stepwise {

// A source of time in nanoseconds since the Unix epoch, with a way to wait.
//
// Host interface. The engine calls `now` on the thread that calls `step()` or `run()`, and
// `wait_until` only from `Engine::run()`. Implementations must be thread-safe.
class STEPWISE_EXPORT Clock {
 public:
  virtual ~Clock() = default;
  Clock() = default;
  Clock(const Clock&) = delete;  // an interface: share clocks by pointer
  Clock& operator=(const Clock&) = delete;
  // Current time, nanoseconds since 1970-01-01T00:00:00Z.
  virtual std::int64_t now() const = 0;
  // Blocks until `deadline` has passed or `wake()` is called, whichever is first. A virtual
  // clock advances itself to `deadline` and returns at once.
  virtual void wait_until(std::int64_t deadline) = 0;
  // Interrupts a `wait_until` in progress (a task completed on another thread).
  virtual void wake() {}
  // True for clocks whose time only moves when told to (tests, `--virtual-time`).
  virtual bool is_virtual() const { return false; }
};

// The real clock. Thread-safe: all methods may be called concurrently. Owns its wait state,
// so it can be neither copied nor moved (share it by `std::shared_ptr`).
class STEPWISE_EXPORT SystemClock final : public Clock {
 public:
  SystemClock();
  ~SystemClock() override;
  SystemClock(const SystemClock&) = delete;
  SystemClock& operator=(const SystemClock&) = delete;
  std::int64_t now() const override;
  void wait_until(std::int64_t deadline) override;
  void wake() override;

 private:
  struct Impl;
  Impl* impl_;
};

// Virtual time for tests: starts at a given instant and moves only through `advance`, `set`,
// or `Engine::run()` jumping to the next deadline, so a one-year Wait finishes instantly and
// exactly. While a task whose executor marked it real-time (`TaskCompletion::mark_real_time`:
// a process, a thread-pool task) is in flight, `Engine::run()` moves it with the wall clock
// instead, so that task's timeouts are real seconds. Thread-safe: all methods may be called
// concurrently.
class STEPWISE_EXPORT ManualClock final : public Clock {
 public:
  // Default start: 2024-01-01T00:00:00Z.
  explicit ManualClock(std::int64_t start = 1704067200LL * 1000000000LL) : now_(start) {}
  std::int64_t now() const override { return now_.load(); }
  void wait_until(std::int64_t deadline) override {
    std::int64_t cur = now_.load();
    while (deadline > cur && !now_.compare_exchange_weak(cur, deadline)) {
    }
  }
  bool is_virtual() const override { return true; }
  void advance(std::int64_t nanos) { now_ += nanos; }
  void set(std::int64_t t) { now_ = t; }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace stepwise

#endif  // STEPWISE_CLOCK_H_
