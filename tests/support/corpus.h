// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Locating the shared conformance corpora (../shared/conformance) from tests. They are
// third-party data kept outside the repository; tests that need them skip when absent.
#ifndef STEPWISE_TESTS_SUPPORT_CORPUS_H_
#define STEPWISE_TESTS_SUPPORT_CORPUS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stepwise::testing_support {

// The `conformance` folder of the shared corpora, or nullopt when it is absent. Looks at
// $STEPWISE_SHARED_DIR/conformance, then ../shared/conformance beside the source tree.
std::optional<std::filesystem::path> conformance_dir();

// The text of a file (empty when unreadable).
std::string read_file(const std::filesystem::path& path);

// Every execution case folder under asl/: <group>/<case>/ holding definition.json and
// expected.json, sorted. test_state_api cases are excluded.
std::vector<std::filesystem::path> asl_execution_cases(const std::filesystem::path& asl_dir);

}  // namespace stepwise::testing_support

#endif  // STEPWISE_TESTS_SUPPORT_CORPUS_H_
