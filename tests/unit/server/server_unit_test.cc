// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The API server's parts without HTTP: Signature Version 4 against AWS's published example,
// ARNs, names and page tokens, and `Server::call`'s answers and error shapes.
#include <gtest/gtest.h>

#include "server/api_error.h"
#include "server/aws_names.h"
#include "server/sigv4.h"
#include "stepwise/server.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

// AWS's worked example of Signature Version 4 (IAM ListUsers, 2015-08-30T12:36:00Z).
SignedRequest aws_example() {
  SignedRequest r;
  r.method = "GET";
  r.path = "/";
  r.query = "Action=ListUsers&Version=2010-05-08";
  r.headers.emplace("content-type", "application/x-www-form-urlencoded; charset=utf-8");
  r.headers.emplace("host", "iam.amazonaws.com");
  r.headers.emplace("x-amz-date", "20150830T123600Z");
  r.headers.emplace("authorization",
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                    "SignedHeaders=content-type;host;x-amz-date, "
                    "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
  return r;
}

const std::map<std::string, std::string> kKeys = {
    {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};
constexpr std::int64_t kExampleTime = 1440938160LL * 1'000'000'000;

TEST(SigV4Test, AwsPublishedExampleVerifies) {
  EXPECT_FALSE(verify_sigv4(aws_example(), kKeys, kExampleTime, 300).has_value());
}

TEST(SigV4Test, AChangedBodyHeaderOrKeyIsRejected) {
  SignedRequest r = aws_example();
  r.body = "tampered";
  std::optional<ApiError> e = verify_sigv4(r, kKeys, kExampleTime, 300);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type(), "InvalidSignatureException");

  r = aws_example();
  r.headers.find("host")->second = "evil.example.com";
  EXPECT_EQ(verify_sigv4(r, kKeys, kExampleTime, 300)->type(), "InvalidSignatureException");

  EXPECT_EQ(verify_sigv4(aws_example(), {{"OTHER", "x"}}, kExampleTime, 300)->type(),
            "UnrecognizedClientException");
  EXPECT_EQ(verify_sigv4(aws_example(), {{"AKIDEXAMPLE", "wrong"}}, kExampleTime, 300)->type(),
            "InvalidSignatureException");
}

TEST(SigV4Test, RequestsOutsideTheClockSkewAreRejected) {
  std::optional<ApiError> e =
      verify_sigv4(aws_example(), kKeys, kExampleTime + 301LL * 1'000'000'000, 300);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->type(), "InvalidSignatureException");
  EXPECT_NE(std::string(e->what()).find("Signature expired"), std::string::npos);
}

TEST(SigV4Test, UnsignedAndMalformedAuthorizationsAreRejected) {
  SignedRequest r = aws_example();
  r.headers.erase("authorization");
  EXPECT_EQ(verify_sigv4(r, kKeys, kExampleTime, 300)->type(),
            "MissingAuthenticationTokenException");
  r.headers.emplace("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
  EXPECT_EQ(verify_sigv4(r, kKeys, kExampleTime, 300)->type(), "IncompleteSignatureException");
  r.headers.find("authorization")->second = "Basic dXNlcjpwYXNz";
  EXPECT_EQ(verify_sigv4(r, kKeys, kExampleTime, 300)->type(), "IncompleteSignatureException");
}

TEST(ArnSchemeTest, ParsesWhatItBuildsAndRejectsTheRest) {
  ArnScheme arns("aws", "us-east-1", "123456789012");
  Arn a = arns.parse(arns.version("m", 3) + "#HappyPath", "stateMachine");
  EXPECT_EQ(a.name, "m");
  EXPECT_EQ(a.qualifier, "3");
  EXPECT_EQ(a.test_case, "HappyPath");
  Arn e = arns.parse(arns.execution("m", "run-1"), "execution");
  EXPECT_EQ(e.name, "m");
  EXPECT_EQ(e.qualifier, "run-1");
  for (const char* bad : {"", "arn", "arn:aws:states:us-east-1:123456789012:stateMachine:",
                          "arn:aws:states:eu-west-1:123456789012:stateMachine:m",
                          "arn:aws:states:us-east-1:999999999999:stateMachine:m",
                          "arn:aws:states:us-east-1:123456789012:activity:m"}) {
    try {
      arns.parse(bad, "stateMachine");
      ADD_FAILURE() << bad;
    } catch (const ApiError& err) {
      EXPECT_EQ(err.type(), "InvalidArn") << bad;
    }
  }
}

TEST(NamesTest, AwsNameRulesAreEnforced) {
  EXPECT_NO_THROW(check_resource_name("run-1_ok.v2"));
  for (std::string bad :
       {std::string(), std::string(81, 'a'), std::string("a b"), std::string("a/b"),
        std::string("a:b"), std::string("a\x01"), std::string("a\xc2\x85")}) {
    EXPECT_THROW(check_resource_name(bad), ApiError) << bad;
  }
}

TEST(PageTokenTest, TokensRoundTripAndForgeriesAreRejected) {
  std::string t = make_page_token("ListExecutions:x", 40);
  EXPECT_EQ(page_offset(json{{"nextToken", t}}, "ListExecutions:x"), 40u);
  EXPECT_THROW(page_offset(json{{"nextToken", t}}, "ListExecutions:y"), ApiError);
  EXPECT_THROW(
      page_offset(json{{"nextToken", "swp1.41." + t.substr(t.rfind('.') + 1)}}, "ListExecutions:x"),
      ApiError);
  EXPECT_THROW(page_offset(json{{"nextToken", "garbage"}}, "ListExecutions:x"), ApiError);
  EXPECT_EQ(page_offset(json::object(), "ListExecutions:x"), 0u);
}

TEST(TimestampTest, EpochSecondsKeepMilliseconds) {
  EXPECT_DOUBLE_EQ(epoch_seconds(1'700'000'000'123'456'789LL), 1700000000.123);
  EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00.250Z"), kExampleTime + 250'000'000);
  EXPECT_FALSE(parse_iso8601("yesterday").has_value());
}

class ServerCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    options.clock = std::make_shared<ManualClock>();
    auto server = Server::create(std::move(options));
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }
  std::unique_ptr<Server> server_;
};

TEST_F(ServerCallTest, UnknownActionsAndBadBodiesGetAwsErrorShapes) {
  auto [status, body] = server_->call("Frobnicate", json::object());
  EXPECT_EQ(status, 400);
  EXPECT_EQ(body["__type"], "UnknownOperationException");
  std::tie(status, body) = server_->call("ListStateMachines", json::array());
  EXPECT_EQ(body["__type"], "SerializationException");
  std::tie(status, body) = server_->call("CreateStateMachine", {{"name", "x"}});
  EXPECT_EQ(body["__type"], "ValidationException");
  EXPECT_EQ(body["message"],
            "1 validation error detected: Value null at 'definition' failed to satisfy "
            "constraint: Member must not be null");
}

TEST_F(ServerCallTest, StartsAndRunsWithoutHttpOnAVirtualClock) {
  json create = {{"name", "m"},
                 {"roleArn", "arn:aws:iam::123456789012:role/r"},
                 {"definition", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,
                                   "End":true}}})"}};
  auto [status, created] = server_->call("CreateStateMachine", create);
  ASSERT_EQ(status, 200) << created.dump();
  auto [s2, started] = server_->call(
      "StartExecution", {{"stateMachineArn", created["stateMachineArn"]}, {"name", "e"}});
  ASSERT_EQ(s2, 200) << started.dump();
  EXPECT_EQ(started["executionArn"], "arn:aws:states:us-east-1:123456789012:execution:m:e");
  auto [s3, described] =
      server_->call("DescribeExecution", {{"executionArn", started["executionArn"]}});
  ASSERT_EQ(s3, 200);
  EXPECT_EQ(described["status"], "RUNNING");
}

}  // namespace
}  // namespace stepwise::internal
