// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// What the scheduler persists per schedule (the JSON text of `StoredScheduleState::state`),
// and the pure helpers around occurrences: keyword substitution, execution names, the
// flexible-window offset and the catch-up decision. docs/schedules.md describes the format.
#ifndef STEPWISE_SCHEDULE_SCHEDULE_STATE_H_
#define STEPWISE_SCHEDULE_SCHEDULE_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/schedule.h"

namespace stepwise::internal {

// Version of the state's JSON layout. Values are persisted; do not reuse.
inline constexpr int kScheduleStateVersion = 1;

struct ScheduleRun {
  std::string execution;  // execution name
  std::int64_t scheduled = 0;
  bool alerted = false;  // its deadline miss was reported
};

struct ScheduleClaim {
  std::int64_t scheduled = 0;  // the occurrence claimed, whose execution may not exist yet
  std::string owner;
  std::int64_t claimed_at = 0;
};

struct ScheduleState {
  std::optional<std::int64_t> last;    // latest occurrence started or skipped
  std::optional<std::int64_t> anchor;  // where a rate counts from
  std::optional<ScheduleClaim> claim;
  std::optional<std::int64_t> buffered;
  bool paused = false;
  std::vector<ScheduleRun> runs;  // started and not seen finished
};

std::string encode_schedule_state(const ScheduleState& state);
// kDataLoss naming the schedule when the text is not a state of our version.
Result<ScheduleState> decode_schedule_state(std::string_view name, std::string_view text);

// The values the keywords stand for, for one occurrence.
struct OccurrenceContext {
  std::string schedule_name;
  std::string schedule_arn;
  std::int64_t scheduled = 0;
  std::string execution_id;  // 16 hexadecimal digits
};

// 16 hexadecimal digits identifying occurrence `scheduled` of schedule `name`.
std::string occurrence_id(std::string_view name, std::int64_t scheduled);
// Replaces the keywords in `text`; `for_name` writes the scheduled time without ':' or '-'.
std::string substitute_keywords(std::string_view text, const OccurrenceContext& context,
                                bool for_name);
// Substitutes in every string of `input` (values, not keys).
nlohmann::json substitute_input(const nlohmann::json& input, const OccurrenceContext& context);
// Why `name` is not a valid execution name (AWS's rules), or nullopt.
std::optional<std::string> execution_name_problem(std::string_view name);

// The offset in [0, window) of occurrence `scheduled`: the same for the same inputs.
std::int64_t flexible_offset(std::uint64_t seed, std::string_view name, std::int64_t scheduled,
                             std::int64_t window);

// Which due occurrences (fire times ascending, each `missed` or not) start under `policy`;
// the others are skipped as missed.
std::vector<bool> select_catch_up(const std::vector<bool>& missed, CatchUpPolicy policy,
                                  std::size_t limit);

}  // namespace stepwise::internal

#endif  // STEPWISE_SCHEDULE_SCHEDULE_STATE_H_
