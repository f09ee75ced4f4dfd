// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The execution page (docs/guide.md section 10), part of stepwise::tools: one self-contained HTML
// file that shows an execution's history over its state machine's graph, like the execution view of
// the Step Functions console. It needs no network access: the graph is laid out by the library and
// drawn as inline SVG, and the CSS, script and data are inline. The page shows
//   - the graph with the path taken: states coloured by outcome (succeeded, failed, caught,
//     retried, aborted, in progress, not reached) with a legend, transitions taken in bold;
//   - on a click on a state (or with the URL fragment `#select=STATE_NAME`), each entry into
//     the state with its input and output, the Map iteration or Parallel branch it ran in,
//     attempts and errors; for a Map, its iterations and their statuses, for a Parallel, its
//     branches;
//   - a timeline of every event (id, timestamp, type, state); a click on an event shows its
//     details (`#event=ID` does the same).
// The history is GetExecutionHistory JSON, as `history_to_json` (history.h) writes it.
#ifndef STEPWISE_VIEW_H_
#define STEPWISE_VIEW_H_

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/export.h"
#include "stepwise/state_machine.h"
#include "stepwise/status.h"

namespace stepwise {

struct ViewOptions {
  // --- Behaviour ---
  // The page's title. Default: "Stepwise execution".
  std::string title = "Stepwise execution";
  // A Map or Parallel holding more than this many states is drawn as one node; a click on it
  // lists the entries of the states inside. 0 never collapses. Default: 40.
  std::size_t collapse_threshold = 40;
};

// A rendered page.
struct ExecutionPage {
  std::string html;
  // "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", or "INCOMPLETE" when the history has no
  // terminal event (a running execution, or a truncated history).
  std::string status;
  // Problems the page also shows in a banner: states the definition does not have (the
  // history comes from another definition), an incomplete history, an empty one.
  std::vector<std::string> warnings;
};

// Renders the page of `history` over `machine`. `history` is `{"events": [...]}` or the bare
// array of events. Fails with kInvalidArgument when it is neither, or when an event is not an
// object with an integer `id` and a string `type`; the message names the event's position.
// Any other mismatch (unknown states, missing events, a truncated history) still renders a
// page, with `warnings` saying what is wrong.
STEPWISE_EXPORT Result<ExecutionPage> render_execution_page(const StateMachine& machine,
                                                            const nlohmann::json& history,
                                                            const ViewOptions& options = {});

}  // namespace stepwise

#endif  // STEPWISE_VIEW_H_
