// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The ASL conformance runner (DESIGN.md section 11): runs case folders in the layout of
// ../shared/conformance/asl (definition.json, input.json, expected.json, meta.json, optional
// task_mocks.json) on a virtual clock set to the recorded date, with Lambda mocks and recorded
// service calls replayed, and compares status, output, error and cause with AWS's recording
// (placeholders are wildcards); the project's own cases (tests/cases) also compare the history.
// Uses the public API only.
#ifndef STEPWISE_TOOLS_CLI_ASL_SUITE_H_
#define STEPWISE_TOOLS_CLI_ASL_SUITE_H_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace stepwise::tools {

struct CaseResult {
  std::string group;
  std::string name;
  enum class Outcome { kPassed, kFailed, kSkipped } outcome = Outcome::kFailed;
  std::string reason;  // why it failed or was skipped
};

// Runs one case folder. A history.json in GetExecutionHistory form ({"events": [...]}) is
// compared event by event; with `write_missing_history`, a case without history.json gets one
// written from this run (to be reviewed before it is committed).
CaseResult run_asl_case(const std::filesystem::path& case_dir, bool write_missing_history = false);

// Runs one TestState case folder (test_state_api layout: definition.json, input.json,
// request.json, expected_test_state.json, meta.json, optional task_mocks.json) through
// `stepwise::test_state` and compares status, output, error, cause, nextState and
// inspectionData with AWS's recorded response.
CaseResult run_test_state_case(const std::filesystem::path& case_dir);

// Every TestState case folder (one holding expected_test_state.json) under `dir`, sorted.
std::vector<std::filesystem::path> find_test_state_cases(const std::filesystem::path& dir);

// Every execution case folder under `dir` (a corpus root with <group>/<case>/, a group folder,
// or a single case folder), sorted; test_state_api cases are left out.
std::vector<std::filesystem::path> find_asl_cases(const std::filesystem::path& dir);

// Runs every case under `dirs`, printing a line per failing case, per-group totals and the
// closing line "N passed, N failed, N skipped". Writes per-case results to `json_path` when
// it is not empty. With `include_test_state`, TestState cases found under `dirs` run too (in
// group test_state_api). Calls `on_case(done, total)`, when set, after each case. Returns the
// results.
std::vector<CaseResult> run_asl_suite(
    const std::vector<std::filesystem::path>& dirs, std::ostream& out,
    const std::string& json_path = "", bool include_test_state = false,
    const std::function<void(std::size_t, std::size_t)>& on_case = {},
    bool write_missing_history = false);

}  // namespace stepwise::tools

#endif  // STEPWISE_TOOLS_CLI_ASL_SUITE_H_
