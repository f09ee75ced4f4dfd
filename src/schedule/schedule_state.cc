// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The scheduler's persisted state and occurrence helpers (schedule_state.h).
#include "schedule/schedule_state.h"

#include <cstdio>
#include <string>

#include "schedule/expression.h"

namespace stepwise::internal {
namespace {

nlohmann::json optional_int(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::optional<std::int64_t> read_optional_int(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finalizer
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

std::string encode_schedule_state(const ScheduleState& state) {
  nlohmann::json j = {{"format", kScheduleStateVersion},
                      {"last", optional_int(state.last)},
                      {"anchor", optional_int(state.anchor)},
                      {"buffered", optional_int(state.buffered)},
                      {"paused", state.paused},
                      {"claim", nullptr},
                      {"runs", nlohmann::json::array()}};
  if (state.claim) {
    j["claim"] = {{"scheduled", state.claim->scheduled},
                  {"owner", state.claim->owner},
                  {"claimed_at", state.claim->claimed_at}};
  }
  for (const ScheduleRun& r : state.runs) {
    j["runs"].push_back(
        {{"execution", r.execution}, {"scheduled", r.scheduled}, {"alerted", r.alerted}});
  }
  return j.dump();
}

Result<ScheduleState> decode_schedule_state(std::string_view name, std::string_view text) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (j.value("format", 0) != kScheduleStateVersion) {
      return data_loss_error("schedule state \"" + std::string(name) + "\" has an unknown format " +
                             j.value("format", nlohmann::json()).dump());
    }
    ScheduleState s;
    s.last = read_optional_int(j, "last");
    s.anchor = read_optional_int(j, "anchor");
    s.buffered = read_optional_int(j, "buffered");
    s.paused = j.at("paused").get<bool>();
    if (const nlohmann::json& c = j.at("claim"); !c.is_null()) {
      s.claim =
          ScheduleClaim{c.at("scheduled").get<std::int64_t>(), c.at("owner").get<std::string>(),
                        c.at("claimed_at").get<std::int64_t>()};
    }
    for (const nlohmann::json& r : j.at("runs")) {
      s.runs.push_back({r.at("execution").get<std::string>(), r.at("scheduled").get<std::int64_t>(),
                        r.at("alerted").get<bool>()});
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    return data_loss_error("schedule state \"" + std::string(name) +
                           "\" is unreadable: " + e.what());
  }
}

std::string occurrence_id(std::string_view name, std::int64_t scheduled) {
  std::uint64_t h = mix(fnv1a(name) ^ mix(static_cast<std::uint64_t>(scheduled)));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string substitute_keywords(std::string_view text, const OccurrenceContext& context,
                                bool for_name) {
  std::string out(text);
  if (out.find('<') == std::string::npos) return out;
  std::string time = format_utc_seconds(context.scheduled);
  if (for_name) {
    std::string compact;
    for (char c : time) {
      if (c != '-' && c != ':') compact += c;
    }
    time = compact;
  }
  replace_all(out, "<aws.scheduler.scheduled-time>", time);
  replace_all(out, "<aws.scheduler.schedule-arn>", context.schedule_arn);
  replace_all(out, "<aws.scheduler.execution-id>", context.execution_id);
  replace_all(out, "<aws.scheduler.attempt-number>", "1");
  replace_all(out, "<stepwise.schedule-name>", context.schedule_name);
  return out;
}

nlohmann::json substitute_input(const nlohmann::json& input, const OccurrenceContext& context) {
  if (input.is_string()) {
    return substitute_keywords(input.get_ref<const std::string&>(), context, false);
  }
  if (input.is_array() || input.is_object()) {
    nlohmann::json out = input;
    for (auto& item : out) item = substitute_input(item, context);
    return out;
  }
  return input;
}

std::optional<std::string> execution_name_problem(std::string_view name) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if ((c & 0xC0) != 0x80) ++chars;
    if (c <= 0x20 || c == 0x7F ||
        std::string_view("<>{}[]?*\"#%\\^|~`$&,;:/").find(static_cast<char>(c)) !=
            std::string_view::npos) {
      return "the execution name \"" + std::string(name) + "\" contains the character '" +
             std::string(1, static_cast<char>(c)) + "' (code " + std::to_string(c) +
             "), which execution names may not hold";
    }
    if (c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(name[i + 1]) <= 0x9F) {
      return "the execution name \"" + std::string(name) + "\" contains a control character";
    }
  }
  if (chars == 0 || chars > 80) {
    return "the execution name \"" + std::string(name) + "\" has " + std::to_string(chars) +
           " characters; execution names have 1 to 80";
  }
  return std::nullopt;
}

std::int64_t flexible_offset(std::uint64_t seed, std::string_view name, std::int64_t scheduled,
                             std::int64_t window) {
  if (window <= 0) return 0;
  std::uint64_t h = mix(seed ^ mix(fnv1a(name) ^ mix(static_cast<std::uint64_t>(scheduled))));
  return static_cast<std::int64_t>(h % static_cast<std::uint64_t>(window));
}

std::vector<bool> select_catch_up(const std::vector<bool>& missed, CatchUpPolicy policy,
                                  std::size_t limit) {
  std::vector<bool> start(missed.size(), false);
  std::size_t missed_count = 0;
  for (bool m : missed) missed_count += m ? 1 : 0;
  std::size_t missed_seen = 0;
  for (std::size_t i = 0; i < missed.size(); ++i) {
    if (!missed[i]) {
      start[i] = true;  // on time
      continue;
    }
    ++missed_seen;
    switch (policy) {
      case CatchUpPolicy::kNone:
        break;
      case CatchUpPolicy::kLatest:
        start[i] = i + 1 == missed.size();  // the latest due occurrence
        break;
      case CatchUpPolicy::kAll:
        start[i] = missed_count - missed_seen < limit;  // the latest `limit` missed ones
        break;
    }
  }
  return start;
}

}  // namespace stepwise::internal
