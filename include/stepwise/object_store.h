// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `ObjectStore`: the S3 resources a Distributed Map reads and writes (ItemReader's
// `arn:aws:states:::s3:getObject` and `arn:aws:states:::s3:listObjectsV2`, ResultWriter's
// `arn:aws:states:::s3:putObject`), as a host-implementable interface. Definitions keep AWS's
// resource names and `Bucket`/`Key`/`Prefix` parameters, so they deploy to AWS unchanged; the
// engine resolves them through the store given in `EngineOptions::object_store`.
// `LocalObjectStore` (stepwise/local_object_store.h, in stepwise::tools) serves buckets from
// local directories.
//
// Reads are streams (an object is never required in memory as a whole) and may start at a
// byte offset, which is how a resumed Distributed Map skips what it already read. Puts are
// atomic: nothing is visible under the key until `ObjectWriter::commit` succeeds, and an
// abandoned writer leaves nothing behind.
#ifndef STEPWISE_OBJECT_STORE_H_
#define STEPWISE_OBJECT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/export.h"
#include "stepwise/status.h"

namespace stepwise {

// One object as listObjectsV2 describes it.
struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  // Quoted, as S3 writes it (`"\"9b2cf535f27731c974343645a3985328\""`).
  std::string etag;
  // Seconds since the Unix epoch.
  std::int64_t last_modified = 0;
  std::string storage_class = "STANDARD";
};

// A sequential read of one object. Not thread-safe: use from one thread at a time.
class STEPWISE_EXPORT ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  ObjectReader() = default;
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;
  // Reads up to `n` bytes into `buffer`; returns how many were read, 0 at the end of the
  // object. kUnavailable or kDataLoss when the read fails.
  virtual Result<std::size_t> read(char* buffer, std::size_t n) = 0;
};

// An atomic put of one object. Not thread-safe: use from one thread at a time.
class STEPWISE_EXPORT ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  ObjectWriter() = default;
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;
  // Appends `data`. Nothing is visible under the key before `commit`.
  virtual Status write(std::string_view data) = 0;
  // Makes the whole object visible at once, replacing any object under the key. After a
  // failed commit nothing is visible. A writer destroyed without a commit leaves nothing.
  virtual Status commit() = 0;
  // Bytes written so far.
  virtual std::uint64_t size() const = 0;
};

// The host's object storage.
//
// The engine calls every method on the thread that calls `Engine::step()` (never concurrently
// for one engine); an implementation shared by several engines must be thread-safe.
// Failures are Statuses: kNotFound for a missing bucket or key (the Map fails with
// States.ItemReaderFailed or States.ResultWriterFailed and the status message as cause), any
// other code for an I/O failure.
class STEPWISE_EXPORT ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  ObjectStore() = default;
  ObjectStore(const ObjectStore&) = delete;
  ObjectStore& operator=(const ObjectStore&) = delete;

  // Opens `bucket`/`key` for reading from byte `offset` (0: the start).
  virtual Result<std::unique_ptr<ObjectReader>> get_object(std::string_view bucket,
                                                           std::string_view key,
                                                           std::uint64_t offset = 0) = 0;
  // One page of listObjectsV2: objects under `prefix` whose keys sort after `start_after`
  // (all when empty), in key order, at most `max_keys` of them.
  virtual Result<std::vector<ObjectInfo>> list_objects(std::string_view bucket,
                                                       std::string_view prefix,
                                                       std::string_view start_after,
                                                       std::size_t max_keys) = 0;
  // Starts an atomic put of `bucket`/`key`.
  virtual Result<std::unique_ptr<ObjectWriter>> put_object(std::string_view bucket,
                                                           std::string_view key) = 0;
};

}  // namespace stepwise

#endif  // STEPWISE_OBJECT_STORE_H_
