// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Distributed Maps end to end: ItemReader over a local bucket, MaxItems, ItemBatcher,
// tolerated failures, ResultWriter files, Map Run events and summary, child histories.
#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include <gtest/gtest.h>

#include "stepwise/local_object_store.h"
#include "stepwise/stepwise.h"
#include "support/engine_support.h"
#include "support/temp_dir.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;
using testing_support::event_types;

std::string map_def(const std::string& reader, const std::string& extra = "",
                    const std::string& processor_state = R"({"Type":"Pass","End":true})") {
  return R"({"StartAt":"M","States":{"M":{"Type":"Map",)" + reader + extra +
         R"("ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
            "StartAt":"P","States":{"P":)" +
         processor_state + R"(}},"End":true}}})";
}

std::string jsonl_reader(const std::string& key, const std::string& more = "") {
  return R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSONL")" +
         more + R"(},"Parameters":{"Bucket":"in","Key":")" + key + R"("}},)";
}

class DistributedMapTest : public ::testing::Test {
 protected:
  DistributedMapTest() {
    store_->add_bucket("in", dir_.path() / "in");
    store_->add_bucket("out", dir_.path() / "out");
    std::filesystem::create_directories(dir_.path() / "in");
  }
  void put(const std::string& key, const std::string& text) {
    std::ofstream(dir_.path() / "in" / key, std::ios::binary) << text;
  }
  void put_lines(const std::string& key, int n) {
    std::ofstream out(dir_.path() / "in" / key);
    for (int i = 0; i < n; ++i) out << "{\"i\":" << i << "}\n";
  }
  Engine make_engine(std::shared_ptr<TaskExecutor> executor = nullptr) {
    EngineOptions o;
    o.object_store = store_;
    o.clock = std::make_shared<ManualClock>(1700000000LL * 1000000000LL);
    o.task_executor = std::move(executor);
    return Engine(std::move(o));
  }
  testing_support::TempDir dir_;
  std::shared_ptr<LocalObjectStore> store_ = std::make_shared<LocalObjectStore>();
};

TEST_F(DistributedMapTest, JsonLinesItemsWithMaxItemsReturnInlineInOrder) {
  put_lines("a.jsonl", 10);
  Engine engine = make_engine();
  auto id = engine.start(
      compile(map_def(jsonl_reader("a.jsonl", R"(,"MaxItems":4)"), R"("MaxConcurrency":2,)")),
      json::object());
  ASSERT_TRUE(id.ok());
  auto r = engine.run(*id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, ExecutionStatus::kSucceeded) << r->to_json();
  EXPECT_EQ(r->output, json::parse(R"([{"i":0},{"i":1},{"i":2},{"i":3}])"));
  EXPECT_EQ(event_types(**engine.history(*id)),
            (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                      "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded",
                                      "MapStateExited", "ExecutionSucceeded"}));
  auto runs = engine.list_map_runs(*id);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  const MapRunDescription& run = (*runs)[0];
  EXPECT_EQ(run.status, "SUCCEEDED");
  EXPECT_EQ(run.item_counts.total, 4);
  EXPECT_EQ(run.item_counts.succeeded, 4);
  EXPECT_EQ(run.max_concurrency, 2);
  EXPECT_EQ(engine.describe_map_run(run.map_run_arn)->map_run_arn, run.map_run_arn);
  // Each child execution has its own history.
  ASSERT_EQ(run.children.size(), 4u);
  EXPECT_EQ(run.children[0].status, "SUCCEEDED");
  EXPECT_EQ(event_types(run.children[0].history),
            (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                      "ExecutionSucceeded"}));
}

TEST_F(DistributedMapTest, MalformedLineFailsTheMapWithItemReaderFailed) {
  put("bad.jsonl", "{\"i\":0}\nnot json\n");
  Engine engine = make_engine();
  auto id = engine.start(compile(map_def(jsonl_reader("bad.jsonl"))), json::object());
  auto r = engine.run(*id);
  EXPECT_EQ(r->status, ExecutionStatus::kFailed);
  EXPECT_EQ(r->error, "States.ItemReaderFailed");
  EXPECT_EQ(r->cause,
            "Failed to parse JSONL: line 2 (offset 8) of in/bad.jsonl is not valid JSON.");
  auto types = event_types(**engine.history(*id));
  EXPECT_NE(std::find(types.begin(), types.end(), "MapRunFailed"), types.end());
}

TEST_F(DistributedMapTest, MissingObjectAndMissingStoreFailWithItemReaderFailed) {
  Engine engine = make_engine();
  ExecutionResult r = *engine.run(compile(map_def(jsonl_reader("gone.jsonl"))), json::object());
  EXPECT_EQ(r.error, "States.ItemReaderFailed");
  EXPECT_EQ(r.cause, "The specified key does not exist. (Bucket: in, Key: gone.jsonl)");
  Engine bare;
  ExecutionResult r2 = *bare.run(compile(map_def(jsonl_reader("gone.jsonl"))), json::object());
  EXPECT_EQ(r2.error, "States.ItemReaderFailed");
  EXPECT_EQ(r2.cause, "no object store is configured");
}

TEST_F(DistributedMapTest, NonPositiveMaxItemsFails) {
  put_lines("a.jsonl", 3);
  Engine engine = make_engine();
  ExecutionResult r =
      *engine.run(compile(map_def(R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
          "ReaderConfig":{"InputType":"JSONL","MaxItemsPath":"$.n"},
          "Parameters":{"Bucket":"in","Key":"a.jsonl"}},)")),
                  json{{"n", 0}});
  EXPECT_EQ(r.error, "States.ItemReaderFailed");
  EXPECT_EQ(r.cause, "field MaxItems must be positive");
}

TEST_F(DistributedMapTest, BatchesRespectCountAndByteLimits) {
  put_lines("a.jsonl", 5);
  Engine engine = make_engine();
  ExecutionResult r = *engine.run(
      compile(map_def(
          jsonl_reader("a.jsonl"), R"("ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"b":1}},)",
          R"j({"Type":"Pass","Parameters":{"n.$":"States.ArrayLength($.Items)","b.$":"$.BatchInput.b"},"End":true})j")),
      json::object());
  EXPECT_EQ(r.output, json::parse(R"([{"n":2,"b":1},{"n":2,"b":1},{"n":1,"b":1}])")) << r.to_json();
  // One item larger than MaxInputBytesPerBatch cannot be batched.
  put("big.jsonl", "{\"s\":\"" + std::string(100, 'x') + "\"}\n");
  ExecutionResult big = *engine.run(
      compile(map_def(jsonl_reader("big.jsonl"), R"("ItemBatcher":{"MaxInputBytesPerBatch":50},)")),
      json::object());
  EXPECT_EQ(big.error, "States.ItemReaderFailed");
  EXPECT_EQ(big.cause,
            "The item at index 0 is 108 bytes, larger than the batch limit of 50 "
            "bytes (MaxInputBytesPerBatch).");
}

TEST_F(DistributedMapTest, ChildFailuresBeyondTheToleratedCountFailTheRun) {
  put_lines("a.jsonl", 6);
  auto fail_odd = std::make_shared<FunctionExecutor>([](const json& in) -> json {
    if (in["i"].get<int>() % 2 == 1) throw TaskError("Odd", "odd item");
    return in;
  });
  std::string task = R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true})";
  {
    Engine engine = make_engine(fail_odd);
    ExecutionResult r = *engine.run(
        compile(map_def(jsonl_reader("a.jsonl"), R"("ToleratedFailureCount":3,)", task)),
        json::object());
    EXPECT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
    EXPECT_EQ(r.output[1], json::parse(R"({"Error":"Odd","Cause":"odd item"})"));
  }
  {
    Engine engine = make_engine(fail_odd);
    auto id = engine.start(
        compile(map_def(jsonl_reader("a.jsonl"), R"("MaxConcurrency":1,)", task)), json::object());
    auto r = engine.run(*id);
    EXPECT_EQ(r->error, "States.ExceedToleratedFailureThreshold");
    EXPECT_EQ(r->cause, "The specified tolerated failure threshold was exceeded");
    auto run = (*engine.list_map_runs(*id))[0];
    EXPECT_EQ(run.status, "FAILED");
    EXPECT_EQ(run.item_counts.failed, 1);
    EXPECT_EQ(run.item_counts.succeeded, 1);
  }
}

// Fails item 0 at once; the others never complete.
class FirstFailsOthersHang final : public TaskExecutor {
 public:
  void start(const TaskRequest& r, TaskCompletion c) override {
    if ((*r.input)["i"].get<int>() == 0) c.fail("Item.Bad", "item 0");
  }
};

TEST_F(DistributedMapTest, AFailedRunListsItsFailedAndAbortedChildrenInFailedFiles) {
  put_lines("a.jsonl", 6);
  std::string task = R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true})";
  std::string writer =
      R"("MaxConcurrency":3,"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"f"}},)";
  Engine engine = make_engine(std::make_shared<FirstFailsOthersHang>());
  ExecutionResult r =
      *engine.run(compile(map_def(jsonl_reader("a.jsonl"), writer, task)), json::object());
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(r.error, "States.ExceedToleratedFailureThreshold");
  // The manifest lists the FAILED file: the failed child and the two aborted ones.
  std::vector<std::filesystem::path> manifests;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir_.path() / "out")) {
    if (e.path().filename() == "manifest.json") manifests.push_back(e.path());
  }
  ASSERT_EQ(manifests.size(), 1u);
  json m = json::parse(std::ifstream(manifests[0]));
  ASSERT_EQ(m["ResultFiles"]["FAILED"].size(), 1u) << m;
  json failed = json::parse(
      std::ifstream(dir_.path() / "out" / m["ResultFiles"]["FAILED"][0]["Key"].get<std::string>()));
  std::multiset<std::string> statuses;
  for (const json& rec : failed) statuses.insert(rec["Status"].get<std::string>());
  EXPECT_EQ(statuses, (std::multiset<std::string>{"ABORTED", "ABORTED", "FAILED"}));
}

TEST_F(DistributedMapTest, ResultWriterWritesResultFilesThenTheManifest) {
  put_lines("a.jsonl", 3);
  Engine engine = make_engine();
  ExecutionResult r =
      *engine.run(compile(map_def(jsonl_reader("a.jsonl"),
                                  R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
                          "Parameters":{"Bucket":"out","Prefix":"runs"}},)")),
                  json::object());
  ASSERT_EQ(r.status, ExecutionStatus::kSucceeded) << r.to_json();
  std::string key = r.output["ResultWriterDetails"]["Key"];
  EXPECT_EQ(r.output["ResultWriterDetails"]["Bucket"], "out");
  std::ifstream mf(dir_.path() / "out" / key);
  json manifest = json::parse(mf);
  EXPECT_EQ(manifest["MapRunArn"], r.output["MapRunArn"]);
  EXPECT_EQ(manifest["DestinationBucket"], "out");
  ASSERT_EQ(manifest["ResultFiles"]["SUCCEEDED"].size(), 1u);
  EXPECT_TRUE(manifest["ResultFiles"]["FAILED"].empty());
  std::ifstream sf(dir_.path() / "out" /
                   manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].get<std::string>());
  json records = json::parse(sf);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0]["Status"], "SUCCEEDED");
  EXPECT_EQ(records[0]["Input"], "{\"i\":0}");
  EXPECT_EQ(records[0]["Output"], "{\"i\":0}");
}

TEST_F(DistributedMapTest, UnwritableResultWriterTargetFailsWithoutAManifest) {
  put_lines("a.jsonl", 2);
  // The bucket directory is a file: nothing can be written under it.
  std::ofstream(dir_.path() / "blocked") << "x";
  store_->add_bucket("blocked", dir_.path() / "blocked");
  Engine engine = make_engine();
  ExecutionResult r =
      *engine.run(compile(map_def(jsonl_reader("a.jsonl"),
                                  R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
                          "Parameters":{"Bucket":"blocked","Prefix":"p"}},)")),
                  json::object());
  EXPECT_EQ(r.error, "States.ResultWriterFailed");
  EXPECT_TRUE(r.cause->starts_with("cannot create ")) << *r.cause;
}

TEST_F(DistributedMapTest, WriterConfigAloneFlattensInlineResults) {
  Engine engine = make_engine();
  ExecutionResult r = *engine.run(
      compile(map_def(
          "",
          R"("ItemsPath":"$.xs","ResultWriter":{"WriterConfig":{"OutputType":"JSON","Transformation":"FLATTEN"}},)")),
      json{{"xs", json::parse("[[1,2],[3],4]")}});
  EXPECT_EQ(r.output, json::parse("[1,2,3,4]")) << r.to_json();
}

// Each child execution has a context object of its own: its name, input and ARN, and the
// Map Run's state machine name, as AWS gives child executions.
TEST_F(DistributedMapTest, ChildExecutionsHaveTheirOwnContextObject) {
  put_lines("ctx.jsonl", 3);
  auto machine = compile(
      map_def(jsonl_reader("ctx.jsonl"), R"("Label":"Agg",)",
              R"({"Type":"Pass","Parameters":{"name.$":"$$.Execution.Name","id.$":"$$.Execution.Id",
          "input.$":"$$.Execution.Input","sm.$":"$$.StateMachine.Name","state.$":"$$.State.Name"},
          "End":true})"));
  ASSERT_TRUE(machine);
  Engine engine = make_engine();
  auto id = engine.start(machine, json::object(), {.name = "parent", .state_machine_name = "etl"});
  ASSERT_TRUE(id.ok());
  auto r = engine.run(*id);
  ASSERT_EQ(r->status, ExecutionStatus::kSucceeded) << r->to_json();
  ASSERT_EQ(r->output.size(), 3u);
  std::set<std::string> names;
  for (int i = 0; i < 3; ++i) {
    const json& out = r->output[i];
    EXPECT_EQ(out["input"], (json{{"i", i}}));
    EXPECT_EQ(out["sm"], "etl/Agg");
    EXPECT_EQ(out["state"], "P");
    std::string name = out["name"];
    EXPECT_NE(name, "parent");
    EXPECT_EQ(out["id"], "arn:aws:states:us-east-1:111111111111:execution:etl/Agg:" + name);
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 3u) << "each child has its own name";
}

// Counts calls per item; items whose "i" is a multiple of 7 fail their first attempt.
class CountingExecutor final : public TaskExecutor {
 public:
  void start(const TaskRequest& r, TaskCompletion c) override {
    int i = (*r.input)["i"].get<int>();
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++calls_[i];
    }
    if (i % 7 == 0 && r.attempt == 0) {
      c.fail("Item.Flaky", "first attempt");
      return;
    }
    c.succeed(json{{"i", i}, {"square", i * i}});
  }
  std::map<int, int> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::map<int, int> calls_;
};

// A Standard execution stopped in the middle of a Distributed Map (the engine goes away between
// steps, as in a crash) resumes in a fresh engine: finished items are not run again, and the
// result is the uninterrupted one, inline or written with ResultWriter.
TEST_F(DistributedMapTest, ResumeRerunsOnlyUnfinishedItems) {
  put_lines("items.jsonl", 40);
  const std::string task = R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
      "Retry":[{"ErrorEquals":["Item.Flaky"],"IntervalSeconds":1}],"End":true})";
  for (bool export_results : {false, true}) {
    SCOPED_TRACE(export_results ? "ResultWriter" : "inline results");
    std::string writer =
        export_results
            ? R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"out","Prefix":"run"}},)"
            : "";
    auto machine =
        compile(map_def(jsonl_reader("items.jsonl"), R"("MaxConcurrency":3,)" + writer, task));
    ASSERT_TRUE(machine);
    for (std::size_t cut : {1u, 5u, 17u, 40u, 77u}) {
      SCOPED_TRACE("cut after " + std::to_string(cut) + " transitions");
      auto executor = std::make_shared<CountingExecutor>();
      auto checkpoints = make_memory_checkpoint_store();
      auto clock = std::make_shared<ManualClock>(1700000000LL * 1000000000LL);
      EngineOptions o;
      o.object_store = store_;
      o.clock = clock;
      o.task_executor = executor;
      o.checkpoint_store = checkpoints;
      std::string name = "resume-" + std::to_string(cut) + (export_results ? "-w" : "");
      {
        Engine first(o);
        ASSERT_TRUE(first.start(machine, json::object(), {.name = name}).ok());
        std::size_t done = 0;
        while (done < cut) {
          StepReport rep = first.step({.max_transitions = 1});
          done += rep.transitions;
          if (rep.running == 0) break;
          if (!rep.runnable && rep.next_deadline) clock->set(*rep.next_deadline);
        }
      }
      Engine second(o);
      Result<ExecutionId> id = second.resume(name);
      ASSERT_TRUE(id.ok()) << id.status().to_string();
      Result<ExecutionResult> r = second.run(*id);
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r->status, ExecutionStatus::kSucceeded) << r->to_json();
      std::map<int, int> calls = executor->calls();
      ASSERT_EQ(calls.size(), 40u);
      for (auto [i, n] : calls) EXPECT_EQ(n, i % 7 == 0 ? 2 : 1) << "item " << i;
      if (!export_results) {
        ASSERT_EQ(r->output.size(), 40u);
        for (int i = 0; i < 40; ++i) EXPECT_EQ(r->output[i], (json{{"i", i}, {"square", i * i}}));
      } else {
        ASSERT_TRUE(r->output.contains("ResultWriterDetails")) << r->output;
        std::string key = r->output["ResultWriterDetails"]["Key"];
        std::ifstream manifest(dir_.path() / "out" / key);
        json m = json::parse(manifest);
        std::size_t results = 0;
        for (const json& file : m["ResultFiles"]["SUCCEEDED"]) {
          std::ifstream in(dir_.path() / "out" / file["Key"].get<std::string>());
          results += json::parse(in).size();
        }
        EXPECT_EQ(results, 40u);
      }
      // Nothing of the Map Run is left in the store.
      Result<StoredExecution> stored = checkpoints->load(name);
      ASSERT_TRUE(stored.ok());
      for (const CheckpointRecord& rec : stored->records) {
        EXPECT_EQ(rec.key.rfind("r:", 0), std::string::npos) << rec.key;
      }
    }
  }
}

}  // namespace
}  // namespace stepwise
