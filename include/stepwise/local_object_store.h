// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `LocalObjectStore`: an `ObjectStore` (stepwise/object_store.h) whose buckets are directories
// of the local file system, for Distributed Maps run on one machine. Part of stepwise::tools
// (link `stepwise::tools`).
#ifndef STEPWISE_LOCAL_OBJECT_STORE_H_
#define STEPWISE_LOCAL_OBJECT_STORE_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepwise/export.h"
#include "stepwise/object_store.h"
#include "stepwise/status.h"

namespace stepwise {

// An object store on the local file system: each bucket is a directory, each key a path
// under it (`a/b.json` is `<dir>/a/b.json`). Keys may not escape the directory (`..`
// segments are refused with kInvalidArgument). Puts write `<path>.stepwise-tmp-<n>` and
// rename it into place, so a crash never leaves a partial object under the key. ETags are a
// digest of size and modification time, not of the content (S3 uses the MD5 of the content),
// so listing a large bucket reads no file data.
//
// Thread-safe: all methods may be called concurrently.
//
//   auto store = std::make_shared<LocalObjectStore>();
//   store->add_bucket("lake", "/data/lake");
//   options.object_store = store;
class STEPWISE_EXPORT LocalObjectStore final : public ObjectStore {
 public:
  LocalObjectStore() = default;
  explicit LocalObjectStore(std::map<std::string, std::filesystem::path> buckets)
      : buckets_(std::move(buckets)) {}
  // Maps bucket `name` to directory `dir` (which need not exist yet; puts create it).
  // REQUIRES: not called while the store is in use.
  void add_bucket(std::string name, std::filesystem::path dir) {
    buckets_[std::move(name)] = std::move(dir);
  }

  Result<std::unique_ptr<ObjectReader>> get_object(std::string_view bucket, std::string_view key,
                                                   std::uint64_t offset = 0) override;
  Result<std::vector<ObjectInfo>> list_objects(std::string_view bucket, std::string_view prefix,
                                               std::string_view start_after,
                                               std::size_t max_keys) override;
  Result<std::unique_ptr<ObjectWriter>> put_object(std::string_view bucket,
                                                   std::string_view key) override;

 private:
  Result<std::filesystem::path> resolve(std::string_view bucket, std::string_view key) const;
  std::map<std::string, std::filesystem::path> buckets_;
};

}  // namespace stepwise

#endif  // STEPWISE_LOCAL_OBJECT_STORE_H_
