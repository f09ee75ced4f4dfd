// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// History payloads as `SharedText`: an immutable text in one allocation (the count, the size
// and the characters), shared by every event that carries it; a state's serialized output is
// the next state's input.
#ifndef STEPWISE_SRC_HISTORY_SHARED_TEXT_H_
#define STEPWISE_SRC_HISTORY_SHARED_TEXT_H_

#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace stepwise::internal {

// An immutable text shared by reference. Copies from any number of threads are safe (the
// count is atomic).
class SharedText {
 public:
  SharedText() = default;
  explicit SharedText(std::string_view text);
  SharedText(const SharedText& other) noexcept;
  SharedText& operator=(const SharedText& other) noexcept;
  SharedText(SharedText&& other) noexcept : rep_(std::exchange(other.rep_, nullptr)) {}
  // Inline, as are `reset` and the destructor: the engine moves and drops empty and shared
  // texts several times per history event, and a call per move cost more than the move.
  SharedText& operator=(SharedText&& other) noexcept {
    if (this != &other) {
      reset();
      rep_ = std::exchange(other.rep_, nullptr);
    }
    return *this;
  }
  ~SharedText() { reset(); }

  explicit operator bool() const { return rep_ != nullptr; }
  // The text; empty when there is none.
  std::string_view view() const;
  std::string str() const { return std::string(view()); }
  void reset() noexcept {
    if (rep_ != nullptr) release();
  }

 private:
  struct Rep;
  // Drops this reference to `rep_` (not null); the last one frees it.
  void release() noexcept;
  Rep* rep_ = nullptr;
};

// The text of `v` (what `v.dump()` writes) as a SharedText: written into a per-thread buffer
// first, then copied once. Throws what `dump()` throws (invalid UTF-8 in a string).
SharedText shared_json_text(const nlohmann::json& v);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_HISTORY_SHARED_TEXT_H_
