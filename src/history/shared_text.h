// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// History payloads as `SharedText`: an immutable text (a count, the size and the characters in
// one block), shared by every event that carries it; a state's serialized output is the next
// state's input. An execution that keeps its history makes them in its `TextArena`.
#ifndef STEPWISE_SRC_HISTORY_SHARED_TEXT_H_
#define STEPWISE_SRC_HISTORY_SHARED_TEXT_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <utility>

namespace stepwise::internal {

// An immutable text shared by reference: one block holds a count, the size and the
// characters. Copies from any number of threads are safe (the count is atomic). A text made
// by a `TextArena` is not counted: its arena owns it, and copies of it must not outlive the
// arena.
class SharedText {
 public:
  SharedText() = default;
  // A counted copy of `text` on the heap.
  explicit SharedText(std::string_view text);
  // Copies, moves, `reset` and the destructor are inline: the engine moves, copies and drops
  // texts several times per history event.
  SharedText(const SharedText& other) noexcept : rep_(other.rep_) { acquire(); }
  SharedText& operator=(const SharedText& other) noexcept {
    if (rep_ != other.rep_) {
      reset();
      rep_ = other.rep_;
      acquire();
    }
    return *this;
  }
  SharedText(SharedText&& other) noexcept : rep_(std::exchange(other.rep_, nullptr)) {}
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
  std::string_view view() const {
    return rep_ == nullptr ? std::string_view()
                           : std::string_view(reinterpret_cast<const char*>(rep_ + 1), rep_->size);
  }
  std::string str() const { return std::string(view()); }
  void reset() noexcept {
    if (rep_ != nullptr) {
      if (rep_->refs.load(std::memory_order_relaxed) != kUncounted) release();
      rep_ = nullptr;
    }
  }

 private:
  friend class TextArena;
  struct Rep {
    std::atomic<std::uint32_t> refs;
    std::uint32_t size;
  };
  static constexpr std::uint32_t kUncounted = 0xFFFFFFFF;  // a text of a TextArena
  // Writes an uncounted text at `memory` (sizeof(Rep) + text.size() bytes, aligned for Rep).
  static SharedText uncounted_at(void* memory, std::string_view text) {
    SharedText t;
    t.rep_ = ::new (memory) Rep{{kUncounted}, static_cast<std::uint32_t>(text.size())};
    std::memcpy(reinterpret_cast<char*>(t.rep_ + 1), text.data(), text.size());
    return t;
  }

  void acquire() noexcept {
    if (rep_ != nullptr && rep_->refs.load(std::memory_order_relaxed) != kUncounted) {
      rep_->refs.fetch_add(1, std::memory_order_relaxed);
    }
  }
  // Drops this counted reference to `rep_` (not null); the last one frees it.
  void release() noexcept;
  Rep* rep_ = nullptr;
};

// Texts of one owner (an execution's history), bump-allocated and freed all at once with the
// arena: making one costs no heap allocation of its own, and its copies count nothing. The
// first texts go to a small block inside the arena.
class TextArena {
 public:
  TextArena() = default;
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;
  ~TextArena();

  SharedText make(std::string_view text) {
    std::size_t n = footprint(text.size());
    if (static_cast<std::size_t>(end_ - pos_) < n) [[unlikely]]
      return SharedText::uncounted_at(room(n), text);
    void* at = pos_;
    pos_ += n;
    return SharedText::uncounted_at(at, text);
  }

 private:
  static constexpr std::size_t kAlign = alignof(SharedText::Rep);
  static std::size_t footprint(std::size_t size) {
    return (sizeof(SharedText::Rep) + size + kAlign - 1) & ~(kAlign - 1);
  }
  // `n` bytes in a new block: the new current block, or for a large text one of its own.
  void* room(std::size_t n);

  struct Block;                  // a heap block: the previous one, then the texts
  Block* blocks_ = nullptr;      // the newest
  std::size_t next_size_ = 128;  // doubles up to 64 KiB
  alignas(SharedText::Rep) char inline_[96];
  char* pos_ = inline_;
  char* end_ = inline_ + sizeof(inline_);
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_HISTORY_SHARED_TEXT_H_
