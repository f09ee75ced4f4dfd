// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A sequence with random access whose storage grows in blocks of F, 2F, 4F, ... elements
// (each block twice the one before), for the engine's history records: a Map of 10,000 items
// records 90,000 events, and appending never moves or copies the ones already recorded nor
// holds two copies of them at once. The first block (F elements) is inside the list, so a short
// list allocates nothing; the list is neither copied nor moved. References stay valid until
// `clear()`. A block's elements are constructed as they are appended.
#ifndef STEPWISE_SRC_UTIL_BLOCK_LIST_H_
#define STEPWISE_SRC_UTIL_BLOCK_LIST_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace stepwise::internal {

template <typename T, std::size_t F>
class BlockList {
  static_assert(F > 0);

 public:
  BlockList() = default;
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
    if (next_ == end_) [[unlikely]]
      grow();
    T* slot = ::new (static_cast<void*>(next_)) T(std::forward<Args>(args)...);
    ++next_;
    ++size_;
    return *slot;
  }

  void clear() {
    if constexpr (!std::is_trivially_destructible_v<T>) {
      std::size_t left = size_;
      for (std::size_t b = 0; left > 0; ++b) {
        T* block = b == 0 ? first() : more_[b - 1];
        std::size_t n = std::min(left, F << b);
        for (std::size_t i = 0; i < n; ++i) block[i].~T();
        left -= n;
      }
    }
    for (std::size_t b = 0; b < more_.size(); ++b) {
      std::allocator<T>().deallocate(more_[b], F << (b + 1));
    }
    more_.clear();
    next_ = first();
    end_ = first() + F;
    size_ = 0;
  }

 private:
  T* first() const {
    return std::launder(reinterpret_cast<T*>(const_cast<unsigned char*>(first_)));
  }
  // Block b holds F * 2^b elements from index F * (2^b - 1).
  T* locate(std::size_t i) const {
    std::size_t b = static_cast<std::size_t>(std::bit_width(i / F + 1)) - 1;
    T* block = b == 0 ? first() : more_[b - 1];
    return block + (i - F * ((std::size_t{1} << b) - 1));
  }
  void grow() {
    std::size_t n = F << (more_.size() + 1);
    more_.reserve(more_.size() + 1);  // first: a failure then leaks nothing
    more_.push_back(std::allocator<T>().allocate(n));
    next_ = more_.back();
    end_ = next_ + n;
  }

  alignas(T) unsigned char first_[sizeof(T) * F];  // block 0
  std::vector<T*> more_;                           // blocks 1, 2, ...
  T* next_ = first();                              // where the next element goes
  T* end_ = first() + F;                           // the end of the last block
  std::size_t size_ = 0;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_BLOCK_LIST_H_
