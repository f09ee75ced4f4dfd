// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `SharedText` (one allocation: count, size, characters) and `shared_json_text`: JSON text
// into a reused per-thread buffer, then one SharedText.
#include "history/shared_text.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>

#include "util/json_text.h"

namespace stepwise::internal {

struct SharedText::Rep {
  std::atomic<std::uint32_t> refs;
  std::uint32_t size;
  char* chars() { return reinterpret_cast<char*>(this + 1); }
};

SharedText::SharedText(std::string_view text) {
  void* memory = ::operator new(sizeof(Rep) + text.size());
  rep_ = ::new (memory) Rep{{1}, static_cast<std::uint32_t>(text.size())};
  std::memcpy(rep_->chars(), text.data(), text.size());
}

SharedText::SharedText(const SharedText& other) noexcept : rep_(other.rep_) {
  if (rep_ != nullptr) rep_->refs.fetch_add(1, std::memory_order_relaxed);
}

SharedText& SharedText::operator=(const SharedText& other) noexcept {
  if (rep_ != other.rep_) {
    SharedText copy(other);
    std::swap(rep_, copy.rep_);
  }
  return *this;
}

std::string_view SharedText::view() const {
  return rep_ == nullptr ? std::string_view() : std::string_view(rep_->chars(), rep_->size);
}

void SharedText::release() noexcept {
  Rep* rep = std::exchange(rep_, nullptr);
  if (rep->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep->~Rep();
    ::operator delete(rep);
  }
}

SharedText shared_json_text(const nlohmann::json& v) {
  thread_local std::string buffer;
  buffer.clear();
  append_json_text(buffer, v);
  SharedText text(buffer);
  if (buffer.capacity() > 64 * 1024) std::string().swap(buffer);  // keep no large buffer
  return text;
}

}  // namespace stepwise::internal
