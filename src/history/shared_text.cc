// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `SharedText` (one allocation: count, size, characters) and `TextArena`, blocks of uncounted
// texts freed together.
#include "history/shared_text.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>

namespace stepwise::internal {

SharedText::SharedText(std::string_view text) {
  void* memory = ::operator new(sizeof(Rep) + text.size());
  rep_ = ::new (memory) Rep{{1}, static_cast<std::uint32_t>(text.size())};
  std::memcpy(reinterpret_cast<char*>(rep_ + 1), text.data(), text.size());
}

void SharedText::release() noexcept {
  if (rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep_->~Rep();
    ::operator delete(rep_);
  }
}

struct TextArena::Block {
  Block* previous;
};

TextArena::~TextArena() {
  while (blocks_ != nullptr) {
    Block* b = blocks_;
    blocks_ = b->previous;
    ::operator delete(b);
  }
}

void* TextArena::room(std::size_t n) {
  // A text larger than half the next block gets a block of its own (texts then go on to the
  // current block's remainder): an execution that makes a few texts and waits holds no block
  // larger than they need. Each block makes the next twice as large.
  bool own = n > next_size_ / 2;
  std::size_t size = own ? n : next_size_;
  if (next_size_ < 64 * 1024) next_size_ *= 2;
  static_assert(sizeof(Block) % kAlign == 0);
  auto* b = static_cast<Block*>(::operator new(sizeof(Block) + size));
  b->previous = blocks_;
  blocks_ = b;
  char* start = reinterpret_cast<char*>(b + 1);
  if (own) return start;
  pos_ = start + n;
  end_ = start + size;
  return start;
}

}  // namespace stepwise::internal
