// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Runs the JSONata reference test suite (shared/conformance/jsonata) through the same runner
// the CLI uses, and fails when a case that is not listed in jsonata_expected_failures.txt
// fails. Skips with a reason when the corpus is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "../tools/cli/jsonata_suite.h"

namespace {

std::string suite_dir() {
  if (const char* shared = std::getenv("STEPWISE_SHARED_DIR")) {
    return std::string(shared) + "/conformance/jsonata";
  }
  if (const char* src = std::getenv("STEPWISE_SOURCE_DIR")) {
    return std::string(src) + "/../shared/conformance/jsonata";
  }
  return "../shared/conformance/jsonata";
}

// CTest sets STEPWISE_SOURCE_DIR; __FILE__ is the fallback, and may be relative to the build
// directory (ccache with CCACHE_BASEDIR compiles with relative paths).
std::string expected_failures_path() {
  if (const char* src = std::getenv("STEPWISE_SOURCE_DIR")) {
    return std::string(src) + "/tests/conformance/jsonata_expected_failures.txt";
  }
  std::string here = __FILE__;
  return here.substr(0, here.find_last_of('/')) + "/jsonata_expected_failures.txt";
}

TEST(JsonataConformance, ReferenceSuite) {
  std::string dir = suite_dir();
  if (!std::filesystem::is_directory(dir + "/groups")) {
    GTEST_SKIP() << "JSONata conformance corpus not found at " << dir;
  }
  std::set<std::string> expected;
  std::ifstream list(expected_failures_path());
  for (std::string line; std::getline(list, line);) {
    if (line.empty() || line[0] == '#') continue;
    expected.insert(line.substr(0, line.find(' ')));
  }
  std::ostringstream out;
  run_jsonata_suite(dir, out);
  std::istringstream lines(out.str());
  int unexpected = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("FAIL ", 0) != 0) continue;
    std::string name = line.substr(5, line.find(':') - 5);
    if (expected.count(name) == 0) {
      ADD_FAILURE() << line;
      ++unexpected;
    }
  }
  std::string text = out.str();
  std::size_t last = text.rfind('\n', text.size() - 2);
  std::cout << text.substr(last == std::string::npos ? 0 : last + 1);
  EXPECT_EQ(unexpected, 0);
}

}  // namespace
