// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Umbrella header of stepwise::tools (link `stepwise::tools`; CMake
// `find_package(stepwise COMPONENTS tools)`): the tooling around the engine that the
// `stepwise` command-line tool uses and hosts may use too. Graph export as DOT and Mermaid,
// the self-contained HTML page of an execution, Step Functions Local mock configuration files
// and their executor, the TestState API (one state run in isolation), the object store over local
// directories, and the executor that runs programs as tasks (POSIX).
#ifndef STEPWISE_TOOLS_H_
#define STEPWISE_TOOLS_H_

#include "stepwise/graph.h"
#include "stepwise/local_object_store.h"
#include "stepwise/mock_config.h"
#include "stepwise/process_executor.h"
#include "stepwise/test_state.h"
#include "stepwise/view.h"

#endif  // STEPWISE_TOOLS_H_
