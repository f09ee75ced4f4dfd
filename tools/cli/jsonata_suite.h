// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Runner for the language-neutral JSONata test suite layout (`groups/<group>/case*.json`,
// `datasets/*.json`), used by the `stepwise` CLI and the conformance test.
#ifndef STEPWISE_TOOLS_CLI_JSONATA_SUITE_H_
#define STEPWISE_TOOLS_CLI_JSONATA_SUITE_H_

#include <ostream>
#include <string>

// Runs every case under `dir`, printing one line per failing case, per-group totals and the
// final line "N passed, N failed, N skipped". Returns the number of failures.
int run_jsonata_suite(const std::string& dir, std::ostream& out);

#endif  // STEPWISE_TOOLS_CLI_JSONATA_SUITE_H_
