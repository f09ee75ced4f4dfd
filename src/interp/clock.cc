// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `SystemClock`: the only place the library reads the system time.
#include <chrono>

#include "stepwise/clock.h"
#include "util/thread_annotations.h"

namespace stepwise {

struct SystemClock::Impl {
  internal::Mutex mu;
  internal::CondVar cv;
  bool woken GUARDED_BY(mu) = false;  // set by `wake`, cleared by the wait it ends
};

SystemClock::SystemClock() : impl_(new Impl) {}
SystemClock::~SystemClock() { delete impl_; }

std::int64_t SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::wait_until(std::int64_t deadline) {
  auto tp = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(deadline)));
  internal::MutexLock lock(impl_->mu);
  while (!impl_->woken) {
    if (!impl_->cv.wait_until(impl_->mu, tp)) break;
  }
  impl_->woken = false;
}

void SystemClock::wake() {
  {
    internal::MutexLock lock(impl_->mu);
    impl_->woken = true;
  }
  impl_->cv.notify_all();
}

}  // namespace stepwise
