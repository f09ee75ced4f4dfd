// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Clang's thread-safety analysis (-Wthread-safety, on in every clang build of this tree):
// attribute macros that state which mutex guards which data and which functions need or take
// it, and `Mutex`/`MutexLock`/`CondVar`, a std::mutex, a scoped lock and a condition variable
// that carry the attributes (the standard library's do not). With other compilers the macros
// expand to nothing and `Mutex` is a plain std::mutex underneath, so annotated code costs
// nothing.
//
//   class Counter {
//    public:
//     void add(int n) { MutexLock lock(mu_); total_ += n; }
//    private:
//     Mutex mu_;
//     int total_ GUARDED_BY(mu_) = 0;
//   };
#ifndef STEPWISE_SRC_UTIL_THREAD_ANNOTATIONS_H_
#define STEPWISE_SRC_UTIL_THREAD_ANNOTATIONS_H_

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define STEPWISE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define STEPWISE_THREAD_ANNOTATION(x)
#endif

// On a type: objects of it are capabilities (mutexes) named `x` in diagnostics.
#define CAPABILITY(x) STEPWISE_THREAD_ANNOTATION(capability(x))
// On an RAII type: it holds a capability for its lifetime.
#define SCOPED_CAPABILITY STEPWISE_THREAD_ANNOTATION(scoped_lockable)
// On a data member: read and written only while holding `x`.
#define GUARDED_BY(x) STEPWISE_THREAD_ANNOTATION(guarded_by(x))
// On a pointer member: the data it points to is guarded by `x`.
#define PT_GUARDED_BY(x) STEPWISE_THREAD_ANNOTATION(pt_guarded_by(x))
// On a function: callers must hold the capabilities (exclusively / shared).
#define REQUIRES(...) STEPWISE_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) STEPWISE_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// On a function: it acquires / releases the capabilities (no arguments: `this`).
#define ACQUIRE(...) STEPWISE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) STEPWISE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) STEPWISE_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// On a function: callers must not hold the capabilities (it takes them itself).
#define EXCLUDES(...) STEPWISE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// On a function: it returns a reference to the capability `x`.
#define RETURN_CAPABILITY(x) STEPWISE_THREAD_ANNOTATION(lock_returned(x))
// On a function whose locking the analysis cannot follow; say why next to it.
#define NO_THREAD_SAFETY_ANALYSIS STEPWISE_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace stepwise::internal {

// A std::mutex the analysis knows about. `native()` is for std::condition_variable.
class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mu_.try_lock(); }
  std::mutex& native() RETURN_CAPABILITY(this) { return mu_; }

 private:
  std::mutex mu_;
};

// Holds `mu` from construction to destruction, like std::lock_guard.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  ~MutexLock() RELEASE() { mu_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

// A std::condition_variable waited on with a `Mutex` the caller holds (REQUIRES), so the
// analysis sees the guarded data read around a wait as read under the lock. Waits may wake
// spuriously: call them in a loop that tests the condition.
//
//   MutexLock lock(mu_);
//   while (queue_.empty()) ready_.wait(mu_);
class CondVar {
 public:
  void wait(Mutex& mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.native(), std::adopt_lock);
    cv_.wait(lock);
    lock.release();  // `mu` stays held by the caller
  }
  // False when `deadline` passed before a notification.
  template <typename Clock, typename Duration>
  bool wait_until(Mutex& mu, const std::chrono::time_point<Clock, Duration>& deadline)
      REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.native(), std::adopt_lock);
    bool notified = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return notified;
  }
  void notify_one() { cv_.notify_one(); }
  void notify_all() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_THREAD_ANNOTATIONS_H_
