// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Round trips: hand-written definitions that use every field of every state type, in JSONPath
// and JSONata, serialize back through `StateMachine::to_json()` equal to the input. Also the
// `states()` summary (order, depth, pointers) and the fingerprint.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stepwise/parser.h"

namespace stepwise {
namespace {

using nlohmann::json;

std::string all_messages(const ParseResult& result) {
  std::string s;
  for (const Diagnostic& d : result.diagnostics()) s += "  " + d.to_string() + "\n";
  return s;
}

// Every JSONPath field of every state type.
const char* const kJsonPathEverything = R"json({
  "Comment": "every JSONPath field",
  "Version": "1.0",
  "TimeoutSeconds": 3600,
  "QueryLanguage": "JSONPath",
  "StartAt": "PassAll",
  "States": {
    "PassAll": {
      "Type": "Pass", "Comment": "pass", "QueryLanguage": "JSONPath",
      "InputPath": "$.in", "OutputPath": "$.out", "ResultPath": "$.res",
      "Parameters": {"a": 1, "b.$": "$.b", "c.$": "States.Format('x{}', $.c)", "ctx.$": "$$.Execution.Id",
                     "nested": {"d.$": "$.d", "list": [1, {"e.$": "$.e"}]}},
      "Result": {"static": "$.not.a.path", "n": [1, 2.5, null, true]},
      "Assign": {"counter": 0, "copy.$": "$.x", "fmt.$": "States.UUID()"},
      "Next": "PassNulls"
    },
    "PassNulls": {"Type": "Pass", "InputPath": null, "OutputPath": null, "ResultPath": null, "Next": "TaskPaths"},
    "TaskPaths": {
      "Type": "Task", "Comment": "task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "InputPath": "$", "OutputPath": "$.Payload", "ResultPath": "$.result",
      "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token", "input.$": "$"}},
      "ResultSelector": {"body.$": "$.Payload.body"},
      "TimeoutSecondsPath": "$.timeout", "HeartbeatSecondsPath": "$.heartbeat",
      "Credentials": {"RoleArn.$": "$.role"},
      "Retry": [
        {"ErrorEquals": ["States.Timeout", "Custom.Error"], "IntervalSeconds": 3, "MaxAttempts": 0,
         "BackoffRate": 1.5, "MaxDelaySeconds": 60, "JitterStrategy": "FULL", "Comment": "first"},
        {"ErrorEquals": ["States.TaskFailed"], "JitterStrategy": "NONE"},
        {"ErrorEquals": ["States.ALL"]}
      ],
      "Catch": [
        {"ErrorEquals": ["Custom.Error"], "Next": "FailPaths", "ResultPath": "$.error",
         "Assign": {"failed": true, "why.$": "$.Cause"}, "Comment": "to fail"},
        {"ErrorEquals": ["States.ALL"], "Next": "FailLiteral", "ResultPath": null}
      ],
      "Assign": {"lastResult.$": "$.Payload"},
      "Next": "TaskLiterals"
    },
    "TaskLiterals": {
      "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:worker:$LATEST",
      "TimeoutSeconds": 300, "HeartbeatSeconds": 60,
      "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/worker"},
      "Next": "ChoiceAll"
    },
    "ChoiceAll": {
      "Type": "Choice", "Comment": "choice", "InputPath": "$.c", "OutputPath": "$",
      "Assign": {"chose": "something"},
      "Choices": [
        {"Variable": "$.s", "StringEquals": "a", "Next": "WaitSeconds", "Comment": "rule",
         "Assign": {"branch": 1}},
        {"Variable": "$.s", "StringMatches": "log-*.txt", "Next": "WaitSeconds"},
        {"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.limit", "Next": "WaitSecondsPath"},
        {"Variable": "$.t", "TimestampLessThan": "2024-01-01T00:00:00Z", "Next": "WaitTimestamp"},
        {"And": [{"Variable": "$.b", "BooleanEquals": true},
                 {"Or": [{"Variable": "$.x", "IsPresent": false}, {"Variable": "$.x", "IsNull": true}]},
                 {"Not": {"Variable": "$counter", "NumericLessThan": 3}}],
         "Next": "WaitTimestampPath"}
      ],
      "Default": "ParallelAll"
    },
    "WaitSeconds": {"Type": "Wait", "Seconds": 0, "InputPath": "$", "OutputPath": "$", "Assign": {"waited": true}, "Next": "ParallelAll"},
    "WaitSecondsPath": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "ParallelAll"},
    "WaitTimestamp": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00.123+02:00", "Next": "ParallelAll"},
    "WaitTimestampPath": {"Type": "Wait", "TimestampPath": "$.when", "Next": "ParallelAll"},
    "ParallelAll": {
      "Type": "Parallel", "Comment": "parallel", "InputPath": "$", "OutputPath": "$",
      "Parameters": {"shared.$": "$.shared"}, "ResultSelector": {"first.$": "$[0]"}, "ResultPath": "$.branches",
      "Assign": {"parallelDone": true},
      "Retry": [{"ErrorEquals": ["States.BranchFailed"], "MaxAttempts": 1}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "FailLiteral"}],
      "Branches": [
        {"Comment": "branch one", "StartAt": "B1", "States": {"B1": {"Type": "Succeed", "InputPath": "$", "OutputPath": "$"}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Next": "B3"}, "B3": {"Type": "Fail", "Error": "E"}}}
      ],
      "Next": "MapDistributed"
    },
    "MapDistributed": {
      "Type": "Map", "Comment": "distributed",
      "InputPath": "$", "OutputPath": "$", "ResultPath": "$.mapped", "ResultSelector": {"count.$": "States.ArrayLength($)"},
      "ItemsPath": "$.items",
      "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"},
      "ItemReader": {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"],
                         "CSVDelimiter": "SEMICOLON", "MaxItems": 1000},
        "Parameters": {"Bucket": "bucket", "Key.$": "$.key"}
      },
      "ItemBatcher": {"MaxItemsPerBatch": 10, "MaxInputBytesPerBatch": 1024, "BatchInput": {"job.$": "$.job"}},
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"},
                       "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}},
      "MaxConcurrency": 100,
      "ToleratedFailurePercentage": 12.5,
      "ToleratedFailureCount": 3,
      "Label": "Distributed_1",
      "Assign": {"mapped": true},
      "Retry": [{"ErrorEquals": ["States.ItemReaderFailed"], "IntervalSeconds": 2}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "FailLiteral", "ResultPath": "$.mapError"}],
      "ItemProcessor": {
        "Comment": "processor",
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "Item",
        "States": {"Item": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:headObject", "End": true}}
      },
      "Next": "MapIterator"
    },
    "MapIterator": {
      "Type": "Map", "ItemsPath": "$.rows", "Parameters": {"row.$": "$$.Map.Item.Value"},
      "MaxConcurrencyPath": "$.concurrency",
      "ToleratedFailurePercentagePath": "$.pct", "ToleratedFailureCountPath": "$.cnt",
      "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2",
                     "ReaderConfig": {"MaxItemsPath": "$.max"}},
      "ItemBatcher": {"MaxItemsPerBatchPath": "$.per", "MaxInputBytesPerBatchPath": "$.bytes"},
      "Iterator": {"StartAt": "Row", "States": {"Row": {"Type": "Pass", "End": true}}},
      "Next": "SucceedAll"
    },
    "SucceedAll": {"Type": "Succeed", "Comment": "done", "InputPath": "$.x", "OutputPath": "$.y"},
    "FailPaths": {"Type": "Fail", "Comment": "paths", "ErrorPath": "$.error.Error", "CausePath": "States.Format('failed: {}', $.error.Cause)"},
    "FailLiteral": {"Type": "Fail", "Error": "Custom.Failed", "Cause": "it failed"}
  }
})json";

// Every JSONata field of every state type.
const char* const kJsonataEverything = R"json({
  "Comment": "every JSONata field",
  "QueryLanguage": "JSONata",
  "StartAt": "PassAll",
  "States": {
    "PassAll": {
      "Type": "Pass", "Comment": "pass", "QueryLanguage": "JSONata",
      "Output": {"sum": "{% $states.input.a + 1 %}", "const": [1, "two"]},
      "Assign": {"counter": "{% $counter + 1 %}", "fixed": 5},
      "Next": "TaskAll"
    },
    "TaskAll": {
      "Type": "Task", "Comment": "task", "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
      "Output": "{% $states.result.Payload %}",
      "TimeoutSeconds": "{% $timeout %}", "HeartbeatSeconds": 30,
      "Credentials": {"RoleArn": "{% $role %}"},
      "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 2, "BackoffRate": 2,
                 "MaxDelaySeconds": 5, "JitterStrategy": "FULL", "Comment": "r"}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "FailAll",
                 "Output": "{% $states.errorOutput %}", "Assign": {"err": "{% $states.errorOutput.Error %}"},
                 "Comment": "c"}],
      "Assign": {"result": "{% $states.result %}"},
      "Next": "ChoiceAll"
    },
    "ChoiceAll": {
      "Type": "Choice", "Comment": "choice",
      "Output": "{% $states.input %}", "Assign": {"chosen": true},
      "Choices": [
        {"Condition": "{% $counter > 3 %}", "Next": "WaitSeconds", "Output": {"x": 1},
         "Assign": {"path": "a"}, "Comment": "first"},
        {"Condition": true, "Next": "WaitTimestamp"}
      ],
      "Default": "ParallelAll"
    },
    "WaitSeconds": {"Type": "Wait", "Seconds": "{% $wait %}", "Output": "{% $states.input %}", "Assign": {"w": 1}, "Next": "ParallelAll"},
    "WaitTimestamp": {"Type": "Wait", "Timestamp": "2024-05-01T12:00:00Z", "Next": "ParallelAll"},
    "ParallelAll": {
      "Type": "Parallel", "Arguments": {"shared": "{% $states.input.shared %}"}, "Output": "{% $states.result[0] %}",
      "Assign": {"p": 1},
      "Retry": [{"ErrorEquals": ["States.BranchFailed"]}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "FailAll"}],
      "Branches": [{"StartAt": "B1", "States": {"B1": {"Type": "Succeed", "Output": {"done": true}}}}],
      "Next": "MapAll"
    },
    "MapAll": {
      "Type": "Map", "Comment": "map",
      "Items": "{% $states.input.items %}",
      "ItemSelector": {"value": "{% $states.context.Map.Item.Value %}"},
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                     "Arguments": {"Bucket": "b", "Key": "{% $key %}"},
                     "ReaderConfig": {"InputType": "JSONL", "MaxItems": "{% $max %}"}},
      "ItemBatcher": {"MaxItemsPerBatch": "{% $per %}", "MaxInputBytesPerBatch": 2048, "BatchInput": {"j": "{% $job %}"}},
      "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "out"},
                       "WriterConfig": {"OutputType": "JSON", "Transformation": "FLATTEN"}},
      "MaxConcurrency": "{% $concurrency %}",
      "ToleratedFailurePercentage": "{% $pct %}",
      "ToleratedFailureCount": 2,
      "Label": "JsonataMap",
      "Output": "{% $states.result %}",
      "Assign": {"m": 1},
      "Retry": [{"ErrorEquals": ["States.ALL"]}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "FailAll", "Output": {"e": "{% $states.errorOutput %}"}}],
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}},
      "Next": "InlineMap"
    },
    "InlineMap": {
      "Type": "Map", "Items": [1, 2, 3], "MaxConcurrency": 2,
      "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Inline",
                        "States": {"Inline": {"Type": "Pass", "Output": "{% $states.input * 2 %}", "End": true}}},
      "End": true
    },
    "FailAll": {"Type": "Fail", "Comment": "fail", "Error": "{% $states.input.Error %}", "Cause": "static cause"}
  }
})json";

// A JSONPath machine with a JSONata state in it.
const char* const kMixed = R"json({
  "StartAt": "Path",
  "States": {
    "Path": {"Type": "Pass", "Parameters": {"x.$": "$.x"}, "Next": "Ata"},
    "Ata": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.x %}", "End": true}
  }
})json";

TEST(RoundTripTest, EveryFieldSerializesBackEqual) {
  for (const char* text : {kJsonPathEverything, kJsonataEverything, kMixed}) {
    json original = json::parse(text);
    SCOPED_TRACE(original.value("Comment", "mixed"));
    ParseResult parsed = parse_state_machine(text);
    ASSERT_TRUE(parsed.ok()) << all_messages(parsed);
    EXPECT_TRUE(parsed.diagnostics().empty()) << all_messages(parsed);
    json exported = parsed.machine()->to_json();
    EXPECT_EQ(exported, original) << "diff: " << json::diff(original, exported).dump(2);
    // Byte-exact, too: `==` would let 2 and 2.0 compare equal.
    EXPECT_EQ(exported.dump(), original.dump());
    // The export loads again to the same machine.
    ParseResult again = parse_state_machine(exported);
    ASSERT_TRUE(again.ok()) << all_messages(again);
    EXPECT_EQ(again.machine()->to_json(), exported);
    EXPECT_EQ(again.machine()->fingerprint(), parsed.machine()->fingerprint());
  }
}

// Regression: BackoffRate written as the integer 2 came back as 2.0, which changed the
// fingerprint of the exported definition.
TEST(RoundTripTest, NumbersKeepTheirIntegerOrFloatForm) {
  const char* text =
      R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f",)"
      R"("Retry":[{"ErrorEquals":["A"],"BackoffRate":2},{"ErrorEquals":["B"],"BackoffRate":2.0},)"
      R"({"ErrorEquals":["C"],"BackoffRate":1.25}],"End":true}}})";
  ParseResult parsed = parse_state_machine(text);
  ASSERT_TRUE(parsed.ok()) << all_messages(parsed);
  EXPECT_EQ(parsed.machine()->to_json().dump(), json::parse(text).dump());
}

TEST(RoundTripTest, MachineAccessorsReflectTheRoot) {
  ParseResult parsed = parse_state_machine(kJsonPathEverything);
  ASSERT_TRUE(parsed.ok()) << all_messages(parsed);
  const StateMachine& m = *parsed.machine();
  EXPECT_EQ(m.start_at(), "PassAll");
  EXPECT_EQ(m.query_language(), QueryLanguage::kJSONPath);
  EXPECT_EQ(m.timeout_seconds(), 3600);
  // 15 root states, 3 in Parallel branches, 1 in each Map processor.
  EXPECT_EQ(m.state_count(), 20u);

  ParseResult jsonata = parse_state_machine(kJsonataEverything);
  ASSERT_TRUE(jsonata.ok()) << all_messages(jsonata);
  EXPECT_EQ(jsonata.machine()->query_language(), QueryLanguage::kJSONata);
  EXPECT_EQ(jsonata.machine()->timeout_seconds(), std::nullopt);
}

TEST(RoundTripTest, StatesSummaryIsDepthFirstWithDepthAndPointer) {
  const char* text = R"json({
    "StartAt": "First",
    "States": {
      "First": {"Type": "Parallel", "Next": "Mapper", "Branches": [
        {"StartAt": "InBranch", "States": {"InBranch": {"Type": "Map", "End": true,
          "ItemProcessor": {"StartAt": "Deep", "States": {"Deep": {"Type": "Succeed"}}}}}},
        {"StartAt": "Other/Branch", "States": {"Other/Branch": {"Type": "Pass", "End": true}}}]},
      "Mapper": {"Type": "Map", "QueryLanguage": "JSONata", "Next": "Zed",
        "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}}},
      "Zed": {"Type": "Succeed"}
    }
  })json";
  ParseResult parsed = parse_state_machine(text);
  ASSERT_TRUE(parsed.ok()) << all_messages(parsed);
  struct Want {
    std::string name;
    StateType type;
    QueryLanguage ql;
    std::string pointer;
    int depth;
  };
  const std::vector<Want> want = {
      {"First", StateType::kParallel, QueryLanguage::kJSONPath, "/States/First", 0},
      {"InBranch", StateType::kMap, QueryLanguage::kJSONPath,
       "/States/First/Branches/0/States/InBranch", 1},
      {"Deep", StateType::kSucceed, QueryLanguage::kJSONPath,
       "/States/First/Branches/0/States/InBranch/ItemProcessor/States/Deep", 2},
      {"Other/Branch", StateType::kPass, QueryLanguage::kJSONPath,
       "/States/First/Branches/1/States/Other~1Branch", 1},
      {"Mapper", StateType::kMap, QueryLanguage::kJSONata, "/States/Mapper", 0},
      // Nested states default to the machine's query language, not the Map's (SPEC24).
      {"Item", StateType::kPass, QueryLanguage::kJSONPath,
       "/States/Mapper/ItemProcessor/States/Item", 1},
      {"Zed", StateType::kSucceed, QueryLanguage::kJSONPath, "/States/Zed", 0},
  };
  std::vector<StateInfo> states = parsed.machine()->states();
  ASSERT_EQ(states.size(), want.size());
  EXPECT_EQ(parsed.machine()->state_count(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].name);
    EXPECT_EQ(states[i].name, want[i].name);
    EXPECT_EQ(states[i].type, want[i].type);
    EXPECT_EQ(states[i].query_language, want[i].ql);
    EXPECT_EQ(states[i].pointer, want[i].pointer);
    EXPECT_EQ(states[i].depth, want[i].depth);
  }
}

TEST(RoundTripTest, FingerprintIsStableAndCanonical) {
  ParseResult a = parse_state_machine(kJsonPathEverything);
  ParseResult b = parse_state_machine(kJsonPathEverything);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::string& fp = a.machine()->fingerprint();
  EXPECT_EQ(fp.size(), 64u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos) << fp;
  EXPECT_EQ(fp, b.machine()->fingerprint());

  // Whitespace and key order do not matter; the text overload and the json overload agree.
  ParseResult spaced = parse_state_machine(
      "{ \"States\" : { \"A\" : { \"End\" : true, \"Type\" : \"Pass\" } },\n \"StartAt\" : \"A\" "
      "}");
  ParseResult compact =
      parse_state_machine(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})");
  ParseResult from_json = parse_state_machine(
      json::parse(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})"));
  ASSERT_TRUE(spaced.ok() && compact.ok() && from_json.ok());
  EXPECT_EQ(spaced.machine()->fingerprint(), compact.machine()->fingerprint());
  EXPECT_EQ(from_json.machine()->fingerprint(), compact.machine()->fingerprint());
}

TEST(RoundTripTest, FingerprintDiffersForDifferentDefinitions) {
  const char* texts[] = {
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})",
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Comment":"x"}}})",
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Result":1}}})",
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Result":1.0}}})",
      R"({"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}})",
      R"({"StartAt":"A","States":{"A":{"Type":"Succeed"}}})",
      R"({"StartAt":"A","TimeoutSeconds":5,"States":{"A":{"Type":"Succeed"}}})",
  };
  std::vector<std::string> seen;
  for (const char* text : texts) {
    SCOPED_TRACE(text);
    ParseResult parsed = parse_state_machine(text);
    ASSERT_TRUE(parsed.ok()) << all_messages(parsed);
    const std::string& fp = parsed.machine()->fingerprint();
    for (const std::string& other : seen) EXPECT_NE(fp, other);
    seen.push_back(fp);
  }
}

TEST(RoundTripTest, WarningsAccompanyAValidMachine) {
  ParseOptions options;
  options.warnings = true;
  ParseResult parsed = parse_state_machine(
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":"$.y"},"End":true}}})", options);
  ASSERT_TRUE(parsed.ok()) << all_messages(parsed);
  ASSERT_EQ(parsed.diagnostics().size(), 1u) << all_messages(parsed);
  const Diagnostic& d = parsed.diagnostics()[0];
  EXPECT_EQ(d.code, DiagnosticCode::kPassResultIsStatic);
  EXPECT_EQ(d.severity, Severity::kWarning);
  EXPECT_EQ(d.pointer, "/States/A/Result/x");
  // Without the option, no warning.
  EXPECT_TRUE(
      parse_state_machine(
          R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":"$.y"},"End":true}}})")
          .diagnostics()
          .empty());
}

}  // namespace
}  // namespace stepwise
