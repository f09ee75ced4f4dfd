// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Small helpers the `stepwise` commands and the suite runners share for their arguments and
// input files: reading a whole file, a value given inline or as `@FILE`, and a count. Header
// only, so that both the tool and the suite library (tools/cli/CMakeLists.txt) can use them.
#ifndef STEPWISE_TOOLS_CLI_CLI_FILES_H_
#define STEPWISE_TOOLS_CLI_CLI_FILES_H_

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace stepwise::tools {

// The whole content of the file at `path`, into `out`; false when it cannot be opened.
inline bool read_whole_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// A command-line value given inline or as `@FILE` (then the file's content), into `out`;
// false when the file cannot be read.
inline bool read_inline_or_file(const std::string& arg, std::string& out) {
  if (arg.empty() || arg[0] != '@') {
    out = arg;
    return true;
  }
  return read_whole_file(arg.substr(1), out);
}

// A non-negative decimal count ("0", "40"), into `out`; false for anything else.
inline bool parse_count(const char* text, std::size_t& out) {
  char* end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (end == text || *end != '\0' || v < 0) return false;
  out = static_cast<std::size_t>(v);
  return true;
}

}  // namespace stepwise::tools

#endif  // STEPWISE_TOOLS_CLI_CLI_FILES_H_
