// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The ASL reader: JSON document → typed, compiled `MachineModel`, one function per state type,
// with every field problem reported as a diagnostic. Whole-machine rules (transitions,
// reachability, names, variable scopes) live in validator.h.
#ifndef STEPWISE_SRC_PARSE_ASL_PARSER_H_
#define STEPWISE_SRC_PARSE_ASL_PARSER_H_

#include <memory>

#include <nlohmann/json.hpp>

#include "parse/model.h"
#include "parse/reader.h"
#include "stepwise/parser.h"

namespace stepwise::internal {

// Reads `definition` (the whole document) into a model. Problems go to `sink`; the model is
// returned even when there are errors (the validator then adds its own).
std::shared_ptr<MachineModel> read_machine(const nlohmann::json& definition,
                                           const ParseOptions& options, DiagnosticSink& sink);

// Whole-machine rules over a model that `read_machine` produced (validator.cc).
void validate_machine(MachineModel& model, const ParseOptions& options, DiagnosticSink& sink);

// Model → ASL JSON (serializer.cc).
nlohmann::json serialize_machine(const MachineModel& model);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_PARSE_ASL_PARSER_H_
