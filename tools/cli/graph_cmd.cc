// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise graph FILE --format dot|mermaid`: draws a definition.
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli_files.h"
#include "stepwise/graph.h"
#include "stepwise/parser.h"
#include "view_commands.h"

namespace stepwise::tools {

const char* const kGraphUsage =
    R"(Usage: stepwise graph FILE [--format dot|mermaid] [--collapse N] [-o OUT]

Draws the state machine in FILE as Graphviz DOT (default) or a Mermaid flowchart: Parallel
branches and Map item processors as clusters, Choice rules and Catch errors on the edges (Catch
edges dashed), Retry rules in the state's label, start and end markers.
  --format dot|mermaid   output language (default dot)
  --collapse N           draw a Map or Parallel holding more than N states as one node
                         (default 40; 0 never collapses)
  -o OUT                 write to OUT instead of standard output
Example: stepwise graph machine.asl.json | dot -Tsvg > machine.svg
Exit status: 0 on success, 2 on a bad definition or usage.
)";

int graph_command(int argc, char** argv) {
  std::string file, format = "dot", out_path;
  GraphOptions options;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--help" || a == "-h") {
      std::cout << kGraphUsage;
      return 0;
    } else if (a == "--format" && has_value) {
      format = argv[++i];
    } else if (a.rfind("--format=", 0) == 0) {
      format = a.substr(9);
    } else if (a == "--collapse" && has_value) {
      if (!parse_count(argv[++i], options.collapse_threshold)) {
        std::cerr << "stepwise graph: --collapse needs a number\n";
        return 2;
      }
    } else if ((a == "-o" || a == "--output") && has_value) {
      out_path = argv[++i];
    } else if (a.rfind("-", 0) == 0) {
      std::cerr << "stepwise graph: unknown option or missing value: " << a << "\n" << kGraphUsage;
      return 2;
    } else if (file.empty()) {
      file = a;
    } else {
      std::cerr << "stepwise graph: one definition file only\n";
      return 2;
    }
  }
  if (file.empty()) {
    std::cerr << kGraphUsage;
    return 2;
  }
  if (format != "dot" && format != "mermaid") {
    std::cerr << "stepwise graph: --format must be dot or mermaid, not '" << format << "'\n";
    return 2;
  }
  std::string text;
  if (!read_whole_file(file, text)) {
    std::cerr << "stepwise graph: cannot read " << file << "\n";
    return 2;
  }
  ParseResult parsed = parse_state_machine(text);
  if (!parsed.ok()) {
    for (const Diagnostic& d : parsed.diagnostics()) {
      std::cerr << file << ":" << d.pointer << ": " << diagnostic_code_name(d.code) << ": "
                << d.message << "\n";
    }
    return 2;
  }
  std::string drawing =
      format == "dot" ? to_dot(*parsed.machine(), options) : to_mermaid(*parsed.machine(), options);
  if (out_path.empty()) {
    std::cout << drawing;
    return 0;
  }
  std::ofstream out(out_path, std::ios::binary);
  out << drawing;
  if (!out.flush()) {
    std::cerr << "stepwise graph: cannot write " << out_path << "\n";
    return 2;
  }
  return 0;
}

}  // namespace stepwise::tools
