// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Execution history in the shape of AWS's GetExecutionHistory (docs/guide.md section 7):
// sequential ids from 1, `previousEventId`, a timestamp, the event type and one
// `<camelCase>EventDetails` member.
#ifndef STEPWISE_HISTORY_H_
#define STEPWISE_HISTORY_H_

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/export.h"

namespace stepwise {

// An immutable text shared by reference: one allocation holds the count, the size and the
// characters. History events share a state's serialized output with the next state's input.
// Copies from any number of threads are safe (the count is atomic).
class STEPWISE_EXPORT SharedText {
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

// One history event. Value type; safe to use from any number of threads.
struct STEPWISE_EXPORT HistoryEvent {
  std::int64_t id = 0;
  std::int64_t previous_event_id = 0;
  std::int64_t timestamp = 0;  // nanoseconds since the epoch
  // The event type, e.g. "TaskStateEntered". Points to static storage (valid forever).
  std::string_view type;
  // The details member as AWS names it (e.g. "stateEnteredEventDetails"); empty when none.
  // Points to static storage.
  std::string_view details_key;
  nlohmann::json details;  // AWS's fields; `input`/`output` are JSON strings as AWS gives them

  // The engine's compact form of `details` for its most frequent events, kept until the
  // history is read: events from `Engine::history` and given to listeners always have
  // `details` built and `compact.shape == kNone`. The strings it points to belong to the
  // state machine and the engine's options, so an event whose compact form is set is valid
  // only while its engine and execution are.
  struct Compact {
    enum Shape : std::uint8_t {
      kNone,              // `details` holds everything
      kStateEntered,      // {name: a, input: text, inputDetails}
      kStateExited,       // {name: a, output: text, outputDetails}
      kTaskScheduled,     // {resourceType: a, resource: b, region: c, parameters: text,
                          //  timeoutInSeconds: n when n > 0}
      kLambdaScheduled,   // {resource: a, input: text, inputDetails,
                          //  timeoutInSeconds: n when n > 0}
      kTaskStarted,       // {resourceType: a, resource: b}
      kTaskSucceeded,     // {resourceType: a, resource: b, output: text, outputDetails}
      kMapIteration,      // {name: a, index: n}
      kExecutionStarted,  // {input: text, inputDetails, roleArn: a}
      kOutput,            // {output: text, outputDetails}
      kMapStateStarted,   // {length: n}
      kFailure,           // {resourceType: a, resource: b (both when set), error, cause}:
                          //  text is the error, a NUL, then the cause; n's bit 0 says the
                          //  error is present, bit 1 the cause
    };
    // Strings of the state machine or the engine's options (stable while both live).
    const std::string* a = nullptr;
    const std::string* b = nullptr;
    const std::string* c = nullptr;
    SharedText text;  // a JSON text (input, output or parameters)
    std::int64_t n = 0;
    Shape shape = kNone;
  };
  Compact compact;

  // The event as AWS's JSON: {"id", "previousEventId", "timestamp", "type", "<details>"}.
  nlohmann::json to_json() const;
  // The details as AWS's JSON, from whichever form holds them.
  nlohmann::json built_details() const;
  // Builds `details` from the compact form and drops it (nothing to do when there is none).
  void materialize();
};

namespace detail {

// A sequence with random access, like a vector, whose storage grows in blocks of 8, 16, 32,
// ... elements (each block twice the one before; an execution that waits after a few events
// holds a block of 8 records of 72 bytes, not one of 16). Appending never moves the elements
// already stored and never holds two copies of them at once; references stay valid until
// `clear()`. A block's elements are constructed as they are appended, so the untouched end
// of the last block costs address space only.
template <typename T>
class BlockList {
 public:
  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator() = default;
    reference operator*() const { return (*list_)[i_]; }
    pointer operator->() const { return &(*list_)[i_]; }
    reference operator[](difference_type n) const {
      return (*list_)[i_ + static_cast<std::size_t>(n)];
    }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator t = *this;
      ++i_;
      return t;
    }
    const_iterator& operator--() {
      --i_;
      return *this;
    }
    const_iterator operator--(int) {
      const_iterator t = *this;
      --i_;
      return t;
    }
    const_iterator& operator+=(difference_type n) {
      i_ += static_cast<std::size_t>(n);
      return *this;
    }
    const_iterator& operator-=(difference_type n) {
      i_ -= static_cast<std::size_t>(n);
      return *this;
    }
    friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
    friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
    friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.i_ == b.i_;
    }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) {
      return a.i_ <=> b.i_;
    }

   private:
    friend class BlockList;
    const_iterator(const BlockList* list, std::size_t i) : list_(list), i_(i) {}
    const BlockList* list_ = nullptr;
    std::size_t i_ = 0;
  };
  using value_type = T;
  using size_type = std::size_t;
  using iterator = const_iterator;

  BlockList() = default;
  BlockList(const BlockList& other) {
    for (const T& e : other) push_back(e);
  }
  BlockList& operator=(const BlockList& other) {
    if (this != &other) {
      clear();
      for (const T& e : other) push_back(e);
    }
    return *this;
  }
  BlockList(BlockList&& other) noexcept
      : blocks_(std::exchange(other.blocks_, {})),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  BlockList& operator=(BlockList&& other) noexcept {
    if (this != &other) {
      clear();
      blocks_ = std::exchange(other.blocks_, {});
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
  }
  ~BlockList() { clear(); }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return locate(i); }
  T& operator[](std::size_t i) { return locate(i); }
  const T& front() const { return locate(0); }
  const T& back() const { return locate(size_ - 1); }
  T& back() { return locate(size_ - 1); }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }

  // Appends a default element and returns it.
  T& emplace_back() {
    if (size_ == capacity_) {
      std::size_t n = kFirstBlock << blocks_.size();
      blocks_.push_back(std::allocator<T>().allocate(n));
      capacity_ += n;
    }
    T* slot = &locate(size_);
    ::new (static_cast<void*>(slot)) T();
    ++size_;
    return *slot;
  }
  void push_back(T value) { emplace_back() = std::move(value); }
  void clear() {
    for (std::size_t i = size_; i > 0; --i) locate(i - 1).~T();
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      std::allocator<T>().deallocate(blocks_[b], kFirstBlock << b);
    }
    blocks_.clear();
    size_ = 0;
    capacity_ = 0;
  }

 private:
  static constexpr std::size_t kFirstBlock = 8;  // elements in block 0

  // Block b holds 8 * 2^b elements from index 8 * (2^b - 1).
  T& locate(std::size_t i) const {
    std::size_t b = static_cast<std::size_t>(std::bit_width(i / kFirstBlock + 1)) - 1;
    return blocks_[b][i - kFirstBlock * ((std::size_t{1} << b) - 1)];
  }

  std::vector<T*> blocks_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace detail

// An execution's events in order (see detail::BlockList: a Map of 10,000 items records 90,000
// events, and appending never moves or copies the ones already recorded).
using History = detail::BlockList<HistoryEvent>;

// Exports a history as AWS's `{"events": [...]}`.
STEPWISE_EXPORT nlohmann::json history_to_json(const History& events);

// Receives events as they happen.
//
// Host interface. The engine calls `on_event` on the thread that calls `step()`, in event
// order, never concurrently for one engine. The event is valid only during the call.
class STEPWISE_EXPORT HistoryListener {
 public:
  virtual ~HistoryListener() = default;
  HistoryListener() = default;
  HistoryListener(const HistoryListener&) = delete;  // an interface: share by pointer
  HistoryListener& operator=(const HistoryListener&) = delete;
  virtual void on_event(const std::string& execution_name, const HistoryEvent& event) = 0;
};

}  // namespace stepwise

#endif  // STEPWISE_HISTORY_H_
