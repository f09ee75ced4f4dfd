// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "support/engine_support.h"

#include <algorithm>
#include <utility>

#include <gtest/gtest.h>

#include "stepwise/testing/matchers.h"

namespace stepwise::testing_support {

std::shared_ptr<const StateMachine> compile(std::string_view definition) {
  ParseResult r = parse_state_machine(definition);
  if (!r.ok()) {
    std::string text;
    for (const Diagnostic& d : r.diagnostics()) text += d.to_string() + "\n";
    ADD_FAILURE() << "definition does not compile:\n" << text << definition;
  }
  return r.machine();
}

std::vector<std::string> event_types(const History& events) {
  return ::stepwise::testing::event_types(events);
}

std::vector<std::string> event_multiset(const History& events) {
  std::vector<std::string> out;
  std::int64_t expected_id = 1;
  for (const HistoryEvent& e : events) {
    EXPECT_EQ(e.id, expected_id) << "ids are consecutive, without gap or duplicate";
    ++expected_id;
    nlohmann::json j = e.to_json();
    j.erase("id");
    j.erase("previousEventId");
    j.erase("timestamp");
    out.push_back(j.dump());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace stepwise::testing_support
