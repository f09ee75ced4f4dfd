// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Runs every TestState case recorded from AWS (../shared/conformance/asl/test_state_api)
// through `stepwise::test_state`. A case listed in test_state_expected_failures.txt (with its
// reason) may fail; any other failure fails this test, and so does a listed case that passes.
// The pass count must stay at or above 95% of the cases. Skips when the corpus is absent.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "asl_suite.h"
#include "support/corpus.h"

namespace stepwise {
namespace {

std::map<std::string, std::string> expected_failures() {
  std::map<std::string, std::string> out;
  const char* src = std::getenv("STEPWISE_SOURCE_DIR");
  std::filesystem::path file = std::filesystem::path(src ? src : ".") / "tests" / "conformance" /
                               "test_state_expected_failures.txt";
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find(' ');
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return out;
}

TEST(TestStateConformanceTest, RecordedTestStateCallsBehaveAsOnAws) {
  auto dir = testing_support::conformance_dir();
  if (!dir || !std::filesystem::is_directory(*dir / "asl" / "test_state_api")) {
    GTEST_SKIP() << "../shared/conformance/asl/test_state_api is absent; the AWS-recorded "
                    "corpus is not part of this repository";
  }
  auto cases = tools::find_test_state_cases(*dir / "asl" / "test_state_api");
  auto allowed = expected_failures();
  int passed = 0, failed = 0;
  for (const auto& c : cases) {
    tools::CaseResult r = tools::run_test_state_case(c);
    std::string key = r.group + "/" + r.name;
    bool listed = allowed.count(key) > 0;
    if (r.outcome == tools::CaseResult::Outcome::kPassed) {
      ++passed;
      EXPECT_FALSE(listed) << key << " passes now: remove it from test_state_expected_failures.txt";
    } else {
      ++failed;
      EXPECT_TRUE(listed) << key << " fails: " << r.reason;
    }
  }
  std::cout << "test_state_api: " << passed << " passed, " << failed << " failed\n";
  ASSERT_FALSE(cases.empty());
  EXPECT_GE(passed * 100, static_cast<int>(cases.size()) * 95)
      << passed << " of " << cases.size() << " TestState cases pass; the target is 95%";
}

}  // namespace
}  // namespace stepwise
