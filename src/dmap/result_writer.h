// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// ResultWriter of a Distributed Map (ASL-REFERENCE.md section 11.5): streams child execution
// records into `<Prefix>/<map run id>/SUCCEEDED_n.json`, `FAILED_n.json` and `PENDING_n.json`
// through the host's `ObjectStore`, then writes `manifest.json` last. Each file is an atomic
// put, so a crash leaves either a complete file or none, and a run without its manifest is
// visibly incomplete.
#ifndef STEPWISE_SRC_DMAP_RESULT_WRITER_H_
#define STEPWISE_SRC_DMAP_RESULT_WRITER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "stepwise/object_store.h"
#include "stepwise/status.h"

namespace stepwise::internal {

struct ResultWriterConfig {
  enum class Transformation : std::uint8_t { kNone, kCompact, kFlatten };
  bool exports = false;  // Resource + Parameters/Arguments: results go to the object store
  std::string bucket, prefix;
  Transformation transformation = Transformation::kCompact;
  bool jsonl = false;  // OutputType JSONL
};

// Reads the ResultWriter object and its evaluated Parameters/Arguments (null when absent).
// kInvalidArgument with the States.ResultWriterFailed cause.
Result<ResultWriterConfig> parse_result_writer_config(const nlohmann::json& source,
                                                      const nlohmann::json& parameters);

// Index of a result file kind.
enum class ResultKind : std::uint8_t { kSucceeded = 0, kFailed = 1, kPending = 2 };

class ResultFileWriter {
 public:
  ResultFileWriter(ObjectStore& store, ResultWriterConfig config, std::string map_run_arn,
                   std::string run_id);
  // Appends one record to the file of its kind, rolling over at the size limit.
  Status add(ResultKind kind, const nlohmann::json& record);
  // Commits the open files, then the manifest. Returns the Map's result:
  // {"MapRunArn": ..., "ResultWriterDetails": {"Bucket": ..., "Key": ".../manifest.json"}}.
  Result<nlohmann::json> finish();
  // Test hook: roll over after this many bytes (default 5 GB, as AWS).
  void test_set_file_limit(std::uint64_t bytes) { limit_ = bytes; }

 private:
  Status roll(ResultKind kind);
  std::string base() const;
  ObjectStore& store_;
  ResultWriterConfig config_;
  std::string map_run_arn_, run_id_;
  std::uint64_t limit_ = 5ULL * 1024 * 1024 * 1024;
  struct Open {
    std::unique_ptr<ObjectWriter> writer;
    std::string key;
    std::size_t records = 0;
    std::size_t next_index = 0;
  };
  std::array<Open, 3> open_;
  nlohmann::json files_ = {{"FAILED", nlohmann::json::array()},
                           {"PENDING", nlohmann::json::array()},
                           {"SUCCEEDED", nlohmann::json::array()}};
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_DMAP_RESULT_WRITER_H_
