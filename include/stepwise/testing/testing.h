// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Umbrella header of `stepwise::testing` (the CMake target of the same name): the
// `WorkflowTest` fixture, `ScriptedExecutor`, and the gMock matchers. Inside `namespace
// stepwise`, write GoogleTest's namespace as `::testing`.
#ifndef STEPWISE_TESTING_TESTING_H_
#define STEPWISE_TESTING_TESTING_H_

#include "stepwise/testing/matchers.h"
#include "stepwise/testing/scripted_executor.h"
#include "stepwise/testing/workflow_test.h"

#endif  // STEPWISE_TESTING_TESTING_H_
