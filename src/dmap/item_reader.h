// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Streaming ItemReader sources of a Distributed Map (ASL-REFERENCE.md section 11.3): one item
// at a time from an object in the host's `ObjectStore` (JSON array, JSON Lines, CSV, S3
// inventory manifest) or from a listObjectsV2 listing, or from an in-memory array (the Map's
// input). Memory is bounded by the largest item, never by the object's size.
//
// Design choices:
// - Every stream can report its `position()` (a small JSON value: byte offset, row number,
//   listing key, manifest file) and later `seek()` back to it on a freshly opened stream, so a
//   resumed Map re-opens its source and skips what it already read instead of checkpointing
//   the items.
// - The JSON array reader is an incremental tokenizer: it finds each element's end by
//   tracking nesting depth and string escapes, and parses one element at a time.
// - Errors are Statuses whose message is the States.ItemReaderFailed cause.
#ifndef STEPWISE_SRC_DMAP_ITEM_READER_H_
#define STEPWISE_SRC_DMAP_ITEM_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/object_store.h"
#include "stepwise/status.h"

namespace stepwise::internal {

// A resolved ItemReader: the ReaderConfig plus the evaluated Parameters/Arguments.
struct ItemReaderConfig {
  enum class Source : std::uint8_t { kGetObject, kListObjects };
  enum class InputType : std::uint8_t { kNone, kJson, kJsonl, kCsv, kManifest };
  Source source = Source::kGetObject;
  InputType input_type = InputType::kNone;
  std::string bucket, key, prefix;
  char delimiter = ',';
  bool headers_given = false;
  std::vector<std::string> headers;
};

// Reads `reader_config` (the ReaderConfig object, may be null) and `parameters` (evaluated
// Parameters or Arguments) for `resource`. kInvalidArgument with the ItemReaderFailed cause.
Result<ItemReaderConfig> parse_item_reader_config(const std::string& resource,
                                                  const nlohmann::json& reader_config,
                                                  const nlohmann::json& parameters);

class ItemStream {
 public:
  virtual ~ItemStream() = default;
  // The next item: true, or false at the end. An error Status ends the stream.
  virtual Result<bool> next(nlohmann::json& item) = 0;
  // Where the next item starts.
  virtual nlohmann::json position() const = 0;
  // Continues from a `position()` of a stream over the same source.
  virtual Status seek(const nlohmann::json& position) = 0;
};

// Opens a stream over an object store source. Fails (missing bucket or key, bad CSV headers)
// with the ItemReaderFailed cause as message.
Result<std::unique_ptr<ItemStream>> open_item_stream(ObjectStore& store,
                                                     const ItemReaderConfig& config);

// A stream over the elements of an array already in memory (a Map without an ItemReader).
// REQUIRES: `items` is an array.
std::unique_ptr<ItemStream> array_item_stream(nlohmann::json items);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_DMAP_ITEM_READER_H_
