// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `SystemClock`: the only place the library reads the system time.
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "stepwise/clock.h"

namespace stepwise {

struct SystemClock::Impl {
  std::mutex mu;
  std::condition_variable cv;
  bool woken = false;  // GUARDED_BY(mu)
};

SystemClock::SystemClock() : impl_(new Impl) {}
SystemClock::~SystemClock() { delete impl_; }

std::int64_t SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::wait_until(std::int64_t deadline) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  auto tp = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(deadline)));
  impl_->cv.wait_until(lock, tp, [this] { return impl_->woken; });
  impl_->woken = false;
}

void SystemClock::wake() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->woken = true;
  }
  impl_->cv.notify_all();
}

}  // namespace stepwise
