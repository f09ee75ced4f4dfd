// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Locating the shared conformance corpora.
#include "support/corpus.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace stepwise::testing_support {

std::optional<std::filesystem::path> conformance_dir() {
  namespace fs = std::filesystem;
  std::vector<fs::path> candidates;
  if (const char* shared = std::getenv("STEPWISE_SHARED_DIR")) {
    candidates.emplace_back(fs::path(shared) / "conformance");
  }
  if (const char* src = std::getenv("STEPWISE_SOURCE_DIR")) {
    candidates.emplace_back(fs::path(src) / ".." / "shared" / "conformance");
  }
  candidates.emplace_back(fs::path("..") / "shared" / "conformance");
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_directory(p / "asl", ec) || fs::is_directory(p / "jsonata", ec)) {
      return fs::weakly_canonical(p, ec);
    }
  }
  return std::nullopt;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::filesystem::path> asl_execution_cases(const std::filesystem::path& asl_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& group : fs::directory_iterator(asl_dir, ec)) {
    if (!group.is_directory() || group.path().filename() == "test_state_api") continue;
    for (const auto& c : fs::directory_iterator(group.path(), ec)) {
      if (fs::exists(c.path() / "definition.json") && fs::exists(c.path() / "expected.json")) {
        out.push_back(c.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace stepwise::testing_support
