// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Runs the project's own execution cases (tests/cases, layout in tests/cases/README.md) through
// the runner of `stepwise test`, history included. Unlike the AWS-recorded corpus these live in
// the repository, so this test never skips. A case listed in tests/cases/expected_failures.txt
// (with the reason Stepwise differs from AWS) may fail; any other failure fails this test, and
// so does a listed case that now passes, so the list shrinks as bugs are fixed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "asl_suite.h"

namespace stepwise {
namespace {

namespace fs = std::filesystem;

fs::path cases_dir() {
  const char* src = std::getenv("STEPWISE_SOURCE_DIR");
  return fs::path(src ? src : ".") / "tests" / "cases";
}

// <group>/<case> -> reason, from expected_failures.txt ("<group>/<case> <reason>" per line).
std::map<std::string, std::string> expected_failures(const fs::path& dir) {
  std::map<std::string, std::string> out;
  std::ifstream in(dir / "expected_failures.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.find(' ');
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
  }
  return out;
}

TEST(CasesTest, ProjectCasesBehaveAsOnAws) {
  fs::path dir = cases_dir();
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing (set STEPWISE_SOURCE_DIR)";
  std::ostringstream log;
  auto results = tools::run_asl_suite({dir}, log);
  auto allowed = expected_failures(dir);
  int passed = 0;
  for (const auto& r : results) {
    std::string key = r.group + "/" + r.name;
    bool listed = allowed.count(key) > 0;
    if (r.outcome == tools::CaseResult::Outcome::kPassed) {
      ++passed;
      EXPECT_FALSE(listed) << key << " passes now: remove it from expected_failures.txt";
    } else {
      EXPECT_TRUE(listed) << key << " fails: " << r.reason;
    }
  }
  for (const auto& [key, reason] : allowed) {
    bool found = false;
    for (const auto& r : results) found = found || r.group + "/" + r.name == key;
    EXPECT_TRUE(found) << key << " is listed in expected_failures.txt but is not a case";
  }
  std::string text = log.str();
  std::size_t totals = text.find("group ");
  std::cout << (totals == std::string::npos ? text : text.substr(totals));
  // The suite is the project's end-to-end check of both query languages; it must not shrink
  // unnoticed.
  EXPECT_GE(results.size(), 150u);
  EXPECT_GT(passed, 0);
}

}  // namespace
}  // namespace stepwise
