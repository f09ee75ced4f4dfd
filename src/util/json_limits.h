// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Nesting-depth and size limits for payloads entering the engine. `nlohmann::json::parse`
// builds values iteratively, but `dump()`, copies, comparisons and the engine's own walkers
// recurse once per nesting level, so a value nested 100,000 deep overflows the native stack.
// Every boundary where a payload enters (execution input, task results, callback outputs, mock
// results, checkpoint records, the CLI's `--input`, JSON parsed by `States.StringToJson` and
// `$parse`) checks it here first, with no recursion: a linear pre-scan of text before parsing,
// an explicit-stack walk of values already built.
//
// Why 1,000 levels by default (`kDefaultMaxPayloadDepth`): AWS publishes no depth limit, but
// Jackson, which parses JSON in AWS's Java services, refuses documents nested deeper than 1,000
// levels by default (`StreamReadConstraints`), and real payloads stay far below it. The
// deepest-recursing nlohmann operation, copying nested objects, uses about 1.3 KiB of stack per
// level under ASan (1.1 KiB in a GCC debug build, measured), so 1,000 levels need about 1.3 MiB:
// safe on an 8 MiB main thread and on a 2 MiB secondary thread, with room for the host's own
// frames. A payload over 256 KiB can nest 131,072 levels deep, so the size limit alone does not
// protect the stack.
#ifndef STEPWISE_SRC_UTIL_JSON_LIMITS_H_
#define STEPWISE_SRC_UTIL_JSON_LIMITS_H_

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "stepwise/status.h"

namespace stepwise::internal {

inline constexpr std::size_t kDefaultMaxPayloadDepth = 1000;

// The limits one payload is checked against. A limit of 0 means "no limit".
struct PayloadLimits {
  std::size_t max_bytes = 0;  // compact JSON bytes, estimated as `json_size_exceeds` does
  std::size_t max_depth = kDefaultMaxPayloadDepth;  // nested arrays and objects
};

// What a check found: within the limits, too large, or nested too deeply.
enum class PayloadCheck { kOk, kTooLarge, kTooDeep };

// Nesting depth counts arrays and objects: a scalar is depth 0, `[]` and `{"a":1}` depth 1,
// `[[1]]` depth 2. True when `v` nests deeper than `max_depth`. Iterative; stops at the first
// value past the limit.
bool json_depth_exceeds(const nlohmann::json& v, std::size_t max_depth);

// Depth and size in one iterative walk that stops as soon as either limit is passed, and
// reports that one. The size is the estimate of `json_size_exceeds`.
PayloadCheck check_payload(const nlohmann::json& v, const PayloadLimits& limits);

// The byte offset of the first `[` or `{` in `text` that opens a level deeper than
// `max_depth`, or nullopt when there is none. Brackets inside strings do not count. A linear
// scan, meant to run before parsing; exact for valid JSON.
std::optional<std::size_t> text_depth_exceeds(std::string_view text, std::size_t max_depth);

// Parses `text` (RFC 8259 JSON, no comments) after checking its depth. kInvalidArgument with
// "JSON nested deeper than 1000 levels at byte 1000" or nlohmann's syntax error message
// ("syntax error while parsing value - ...").
Result<nlohmann::json> parse_json_limited(std::string_view text, std::size_t max_depth);

// Like `nlohmann::json::parse` (throwing its `parse_error` on a syntax error), also throwing
// `std::length_error` ("JSON nested deeper than 1000 levels at byte 1000") when `text` nests
// deeper than `max_depth` (0: no limit). For parse sites already inside a try block.
nlohmann::json parse_json_checked(std::string_view text, std::size_t max_depth);

// The depth allowed in a checkpoint record holding payloads limited to `max_payload_depth`
// (records wrap payloads in a few levels of their own); 0 when payloads are unlimited.
std::size_t record_depth_limit(std::size_t max_payload_depth);

// kInvalidArgument naming the first of `payloads` (name, value) nested deeper than
// `max_depth`, e.g. "The input is nested deeper than the maximum of 1000 levels."; OK when
// none is. Null values are skipped.
Status check_payloads_depth(
    std::initializer_list<std::pair<std::string_view, const nlohmann::json*>> payloads,
    std::size_t max_depth);

// The cause of a payload that entered the engine nested too deeply, e.g. "The task result is
// nested deeper than the maximum of 1000 levels." for `what` = "The task result".
std::string depth_limit_cause(std::string_view what, std::size_t max_depth);

// The cause of States.DataLimitExceeded for a state's result, in AWS's words for the size
// ("The state/task 'X' returned a result with a size exceeding the maximum number of bytes
// service limit.") and in the same style for the depth ("The state/task 'X' returned a result
// with a nesting depth exceeding the maximum of 1000 levels."); nullopt when `v` is within
// `limits`. `who` is the state name, or the Lambda function's resource.
std::optional<std::string> result_limit_cause(const nlohmann::json& v, const PayloadLimits& limits,
                                              std::string_view who);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_UTIL_JSON_LIMITS_H_
