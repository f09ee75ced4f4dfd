// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Umbrella header of the engine, stepwise::stepwise: everything a host needs to load and run
// ASL state machines. The tooling around it (graph export, the execution page, mock files,
// TestState, the local object store) is stepwise::tools, with its own umbrella header
// stepwise/tools.h.
#ifndef STEPWISE_STEPWISE_H_
#define STEPWISE_STEPWISE_H_

#include "stepwise/diagnostic.h"
#include "stepwise/errors.h"
#include "stepwise/parser.h"
#include "stepwise/state_machine.h"
#include "stepwise/checkpoint.h"
#include "stepwise/engine.h"
#include "stepwise/history.h"
#include "stepwise/object_store.h"
#include "stepwise/status.h"
#include "stepwise/task_executor.h"
#include "stepwise/clock.h"

#endif  // STEPWISE_STEPWISE_H_
