// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Checkpoint records damaged in storage: `resume` and `redrive` fail with kDataLoss naming the
// damaged key. Found by checkpoint_fuzz:
// - a required key missing from the "exec", "run", "f:" or "d:" record
//   (corpus/checkpoint/finding_7a067282e39d): the loader read such keys with `const
//   json::operator[]`, which asserts (undefined behaviour with NDEBUG);
// - a frame phase its state cannot be in, such as a Wait state waiting for a task
//   (corpus/checkpoint/finding_64139b9b09942af6): stepping it read the Task fields of the Wait
//   state (a null pointer);
// - a float where an integer belongs (corpus/checkpoint/finding_4d2c705c2aab4c33, "start"
//   written with 88 digits): nlohmann casts the float to the integer type, undefined behaviour
//   when it does not fit.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/checkpoint.h"
#include "stepwise/clock.h"
#include "stepwise/engine.h"
#include "stepwise/task_executor.h"
#include "support/engine_support.h"
#include "support/status_matchers.h"

namespace stepwise {
namespace {

using nlohmann::json;
using ::testing::Eq;
using testing_support::compile;
using testing_support::StatusIs;

// A memory store whose `load` removes `field` from the record `key` (or, given `replacement`,
// sets it to that), as damaged storage might.
class DamagingStore : public CheckpointStore {
 public:
  DamagingStore(std::string key, std::string field, std::optional<json> replacement)
      : key_(std::move(key)), field_(std::move(field)), replacement_(std::move(replacement)) {}

  Status commit(const CheckpointBatch& batch) override { return inner_->commit(batch); }
  Result<StoredExecution> load(std::string_view name) override {
    Result<StoredExecution> stored = inner_->load(name);
    if (!damage_ || !stored.ok()) return stored;
    for (CheckpointRecord& r : stored->records) {
      if (r.key != key_) continue;
      json record = json::parse(r.value);
      if (replacement_) {
        record[field_] = *replacement_;
      } else {
        record.erase(field_);
      }
      r.value = record.dump();
    }
    return stored;
  }
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& filter) override {
    return inner_->list(filter);
  }
  Status remove(std::string_view name) override { return inner_->remove(name); }

  void start_damaging() { damage_ = true; }

 private:
  std::shared_ptr<CheckpointStore> inner_ = make_memory_checkpoint_store();
  std::string key_;
  std::string field_;
  std::optional<json> replacement_;
  bool damage_ = false;
};

// The fuzz target's definition: a Wait, then a Task that fails, caught by nothing.
constexpr const char* kMachine = R"({"StartAt": "W", "States": {
    "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
    "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}})";

EngineOptions options_with(std::shared_ptr<CheckpointStore> store) {
  EngineOptions options;
  options.checkpoint_store = std::move(store);
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<FunctionExecutor>(
      [](const json&) -> json { throw TaskError("Lambda.Boom", "failed"); });
  return options;
}

struct DamagedCase {
  const char* key;                  // the record
  const char* field;                // the damaged key
  std::optional<json> replacement;  // its damaged value; none: the key is removed
  const char* problem;              // the end of the expected message
};

// `state`, the state the execution is in, replaces "{state}" in the case's problem.
std::string expected_message(const DamagedCase& c, const std::string& state) {
  std::string problem = c.problem;
  if (auto at = problem.find("{state}"); at != std::string::npos) problem.replace(at, 7, state);
  return "the checkpoint of execution 'x' is unreadable: " + problem;
}

class DamagedRecordTest : public ::testing::TestWithParam<DamagedCase> {};

TEST_P(DamagedRecordTest, ResumingFailsWithDataLossNamingTheMissingKey) {
  auto store =
      std::make_shared<DamagingStore>(GetParam().key, GetParam().field, GetParam().replacement);
  auto machine = compile(kMachine);
  {
    Engine engine(options_with(store));
    StartOptions so;
    so.name = "x";
    ASSERT_TRUE(engine.start(machine, json{{"in", 1}}, so).ok());
    engine.step();  // waiting in W, checkpointed
  }
  store->start_damaging();
  Engine engine(options_with(store));
  EXPECT_THAT(engine.resume("x", machine).status(),
              StatusIs(StatusCode::kDataLoss, Eq(expected_message(GetParam(), "W"))));
}

TEST_P(DamagedRecordTest, RedrivingFailsWithDataLossNamingTheMissingKey) {
  auto store =
      std::make_shared<DamagingStore>(GetParam().key, GetParam().field, GetParam().replacement);
  auto machine = compile(kMachine);
  {
    Engine engine(options_with(store));
    StartOptions so;
    so.name = "x";
    Result<ExecutionResult> failed = engine.run(machine, json{{"in", 1}}, so);
    ASSERT_TRUE(failed.ok());
    ASSERT_EQ(failed->error, "Lambda.Boom");
  }
  store->start_damaging();
  Engine engine(options_with(store));
  EXPECT_THAT(engine.redrive("x", machine).status(),
              StatusIs(StatusCode::kDataLoss, Eq(expected_message(GetParam(), "T"))));
}

INSTANTIATE_TEST_SUITE_P(
    RequiredKeys, DamagedRecordTest,
    ::testing::Values(
        DamagedCase{"run", "rd", {}, "[json.exception.out_of_range.403] key 'rd' not found"},
        DamagedCase{"run", "ne", {}, "[json.exception.out_of_range.403] key 'ne' not found"},
        DamagedCase{"exec", "ctx", {}, "[json.exception.out_of_range.403] key 'ctx' not found"},
        DamagedCase{"exec", "start", {}, "[json.exception.out_of_range.403] key 'start' not found"},
        DamagedCase{"f:0", "s", {}, "[json.exception.out_of_range.403] key 's' not found"},
        DamagedCase{"f:0", "rcs", {}, "[json.exception.out_of_range.403] key 'rcs' not found"},
        DamagedCase{"d:0", "in", {}, "[json.exception.out_of_range.403] key 'in' not found"},
        DamagedCase{"d:0", "v", {}, "[json.exception.out_of_range.403] key 'v' not found"},
        DamagedCase{"exec", "start", json(1.7e88), "'start' is not an integer"},
        DamagedCase{"run", "rng", json(1e30), "'rng' is not an integer"},
        DamagedCase{"run", "mrc", json(-1e300), "'mrc' is not an integer"},
        DamagedCase{"f:0", "ee", json(9.3e18), "'ee' is not an integer"},
        DamagedCase{"f:0", "p", json("1"), "'p' is not an integer"},
        DamagedCase{"f:0", "p", json(5), "frame phase 5 does not fit state '{state}'"},
        DamagedCase{"f:0", "p", json(200), "unknown frame phase"},
        DamagedCase{"f:0", "rcs", json::array({1, 1e300}),
                    "'rcs' holds a value that is not an integer"}),
    [](const ::testing::TestParamInfo<DamagedCase>& info) {
      std::string name = std::string(info.param.key) + "_" + info.param.field +
                         (info.param.replacement ? "_damaged" : "_missing") +
                         std::to_string(info.index);
      for (char& c : name) {
        if (c == ':') c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace stepwise
