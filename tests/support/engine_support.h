// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Helpers for interpreter tests: compiling inline definitions, the scripted task executor
// (the public one of `stepwise::testing`), and history summaries.
#ifndef STEPWISE_TESTS_SUPPORT_ENGINE_SUPPORT_H_
#define STEPWISE_TESTS_SUPPORT_ENGINE_SUPPORT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/clock.h"
#include "stepwise/history.h"
#include "stepwise/parser.h"
#include "stepwise/state_machine.h"
#include "stepwise/task_executor.h"
#include "stepwise/testing/scripted_executor.h"

namespace stepwise::testing_support {

// Parses `definition`; on diagnostics, records a test failure listing them and returns null.
std::shared_ptr<const StateMachine> compile(std::string_view definition);

// The `type` of each event, in order.
std::vector<std::string> event_types(const History& events);

// The events of a history as a sorted multiset of their JSON without id, previousEventId and
// timestamp, after checking (as test failures) that ids are consecutive from 1. Concurrent
// branches and iterations may interleave differently after a restart, as they do on AWS; the
// events themselves must be exactly the same.
std::vector<std::string> event_multiset(const History& events);

// The scripted executor of `stepwise::testing` (include/stepwise/testing/scripted_executor.h).
using ScriptedExecutor = ::stepwise::testing::ScriptedExecutor;

}  // namespace stepwise::testing_support

#endif  // STEPWISE_TESTS_SUPPORT_ENGINE_SUPPORT_H_
