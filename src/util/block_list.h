// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A sequence with random access whose storage grows in blocks of 8, 16, 32, ... elements
// (each block twice the one before), for the engine's history records: a Map of 10,000 items
// records 90,000 events, and appending never moves or copies the ones already recorded nor
// holds two copies of them at once. References stay valid until `clear()`. A block's elements
// are constructed as they are appended, so the untouched end of the last block costs address
// space only. The first block's address is held inline: a list of at most 8 elements makes one
// allocation.
#ifndef STEPWISE_SRC_UTIL_BLOCK_LIST_H_
#define STEPWISE_SRC_UTIL_BLOCK_LIST_H_

#include <bit>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace stepwise::internal {

template <typename T>
class BlockList {
 public:
  BlockList() = default;
  // Not copied or moved: the engine keeps one per execution, in place.
  BlockList(const BlockList&) = delete;
  BlockList& operator=(const BlockList&) = delete;
  ~BlockList() { clear(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return *locate(i); }
  T& operator[](std::size_t i) { return *locate(i); }
  const T& back() const { return next_[-1]; }
  T& back() { return next_[-1]; }

  // Appends an element constructed from `args` and returns it.
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (next_ == end_) grow();
    T* slot = ::new (static_cast<void*>(next_)) T(std::forward<Args>(args)...);
    ++next_;
    ++size_;
    return *slot;
  }

  void clear() {
    for (std::size_t i = size_; i > 0; --i) locate(i - 1)->~T();
    if (first_ != nullptr) std::allocator<T>().deallocate(first_, kFirstBlock);
    for (std::size_t b = 0; b < more_.size(); ++b) {
      std::allocator<T>().deallocate(more_[b], kFirstBlock << (b + 1));
    }
    first_ = nullptr;
    more_.clear();
    next_ = end_ = nullptr;
    size_ = 0;
  }

 private:
  static constexpr std::size_t kFirstBlock = 8;  // elements in block 0

  T* block(std::size_t b) const { return b == 0 ? first_ : more_[b - 1]; }
  // Block b holds 8 * 2^b elements from index 8 * (2^b - 1).
  T* locate(std::size_t i) const {
    std::size_t b = static_cast<std::size_t>(std::bit_width(i / kFirstBlock + 1)) - 1;
    return block(b) + (i - kFirstBlock * ((std::size_t{1} << b) - 1));
  }
  void grow() {
    if (first_ == nullptr) {
      first_ = std::allocator<T>().allocate(kFirstBlock);
      next_ = first_;
      end_ = first_ + kFirstBlock;
      return;
    }
    std::size_t n = kFirstBlock << (more_.size() + 1);
    more_.reserve(more_.size() + 1);  // first: a failure then leaks nothing
    more_.push_back(std::allocator<T>().allocate(n));
    next_ = more_.back();
    end_ = next_ + n;
  }

  T* first_ = nullptr;    // block 0
  std::vector<T*> more_;  // blocks 1, 2, ...
  T* next_ = nullptr;     // where the next element goes, in the last block
  T* end_ = nullptr;      // the end of the last block
  std::size_t size_ = 0;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_BLOCK_LIST_H_
