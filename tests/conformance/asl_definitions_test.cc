// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Every execution definition of the AWS-recorded corpus (../shared/conformance/asl) loads with
// no diagnostics, since AWS accepted all of them, and survives a round trip: serializing the
// compiled machine gives ASL JSON equal to the definition, which loads again to the same JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stepwise/parser.h"
#include "support/corpus.h"

namespace stepwise {
namespace {

using testing_support::asl_execution_cases;
using testing_support::conformance_dir;
using testing_support::read_file;

TEST(AslDefinitionsTest, EveryRecordedDefinitionLoadsAndRoundTrips) {
  auto dir = conformance_dir();
  if (!dir || !std::filesystem::is_directory(*dir / "asl")) {
    GTEST_SKIP() << "../shared/conformance/asl is absent; the AWS-recorded corpus is not part "
                    "of this repository";
  }
  auto cases = asl_execution_cases(*dir / "asl");
  ASSERT_GT(cases.size(), 500u);
  ParseOptions options;
  int loaded = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.string());
    std::string text = read_file(c / "definition.json");
    ParseResult parsed = parse_state_machine(text, options);
    if (!parsed.ok()) {
      std::string all;
      for (const Diagnostic& d : parsed.diagnostics()) all += d.to_string() + "\n";
      ADD_FAILURE() << "diagnostics:\n" << all;
      continue;
    }
    ++loaded;
    nlohmann::json original = nlohmann::json::parse(text);
    nlohmann::json exported = parsed.machine()->to_json();
    EXPECT_EQ(exported, original) << "round trip differs";
    ParseResult again = parse_state_machine(exported, options);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.machine()->to_json(), exported);
  }
  EXPECT_EQ(loaded, static_cast<int>(cases.size()));
}

}  // namespace
}  // namespace stepwise
