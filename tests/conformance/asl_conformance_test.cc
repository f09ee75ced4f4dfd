// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Runs every execution case of the AWS-recorded corpus (../shared/conformance/asl) through the
// conformance runner of `stepwise test`. A case listed in asl_expected_failures.txt (with its
// reason) may fail; any other failure fails this test, and so does a listed case that now
// passes (so the list shrinks as the engine improves). Skips when the corpus is absent.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "asl_suite.h"
#include "support/corpus.h"

namespace stepwise {
namespace {

std::map<std::string, std::string> expected_failures() {
  std::map<std::string, std::string> out;
  const char* src = std::getenv("STEPWISE_SOURCE_DIR");
  std::filesystem::path file = std::filesystem::path(src ? src : ".") / "tests" / "conformance" /
                               "asl_expected_failures.txt";
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find(' ');
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return out;
}

TEST(AslConformanceTest, RecordedExecutionsBehaveAsOnAws) {
  auto dir = testing_support::conformance_dir();
  if (!dir || !std::filesystem::is_directory(*dir / "asl")) {
    GTEST_SKIP() << "../shared/conformance/asl is absent; the AWS-recorded corpus is not part "
                    "of this repository";
  }
  std::ostringstream log;
  auto results = tools::run_asl_suite({*dir / "asl"}, log);
  auto allowed = expected_failures();
  int passed = 0, failed = 0;
  for (const auto& r : results) {
    std::string key = r.group + "/" + r.name;
    bool listed = allowed.count(key) > 0;
    if (r.outcome == tools::CaseResult::Outcome::kPassed) {
      ++passed;
      EXPECT_FALSE(listed) << key << " passes now: remove it from asl_expected_failures.txt";
    } else if (r.outcome == tools::CaseResult::Outcome::kFailed) {
      ++failed;
      EXPECT_TRUE(listed) << key << " fails: " << r.reason;
    }
  }
  std::string text = log.str();
  std::size_t totals = text.find("group ");
  std::cout << (totals == std::string::npos ? text : text.substr(totals));
  EXPECT_GT(passed, 0);
}

}  // namespace
}  // namespace stepwise
