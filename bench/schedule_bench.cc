// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Schedules (issue 17's targets): the next occurrence of cron() expressions (every day, a
// weekday list, L/W/#, a sparse year; UTC and a zone with DST) and rate(); and one Scheduler
// step over many schedules when nothing is due.
#include <benchmark/benchmark.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "stepwise/engine.h"
#include "stepwise/parser.h"
#include "stepwise/schedule.h"

namespace {

constexpr std::int64_t kSecond = 1000000000LL;
constexpr std::int64_t kStart = 1767225600LL * kSecond;  // 2026-01-01T00:00:00Z

void BM_NextOccurrence(benchmark::State& state, const char* expr, const char* zone) {
  stepwise::Result<stepwise::ScheduleExpression> e =
      stepwise::ScheduleExpression::parse(expr, zone);
  if (!e.ok()) {
    state.SkipWithError(e.status().message().c_str());
    return;
  }
  std::int64_t t = kStart;
  for (auto _ : state) {
    std::optional<std::int64_t> next = e->next_after(t, kStart);
    t = next ? *next : kStart;
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK_CAPTURE(BM_NextOccurrence, cron_daily_utc, "cron(0 9 * * ? *)", "UTC");
BENCHMARK_CAPTURE(BM_NextOccurrence, cron_weekdays_paris, "cron(0 9 ? * MON-FRI *)",
                  "Europe/Paris");
BENCHMARK_CAPTURE(BM_NextOccurrence, cron_every_5_min_new_york, "cron(0/5 * * * ? *)",
                  "America/New_York");
BENCHMARK_CAPTURE(BM_NextOccurrence, cron_last_weekday_london, "cron(0 18 LW * ? *)",
                  "Europe/London");
BENCHMARK_CAPTURE(BM_NextOccurrence, cron_third_friday, "cron(0 10 ? * 6#3 *)", "UTC");
BENCHMARK_CAPTURE(BM_NextOccurrence, cron_feb_29, "cron(0 0 29 2 ? *)", "UTC");
BENCHMARK_CAPTURE(BM_NextOccurrence, rate_5_minutes, "rate(5 minutes)", "UTC");

// Resident memory of this process in KiB (Linux), 0 elsewhere.
long resident_kib() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "VmRSS:") {
      in >> value;
      return value;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

void BM_SchedulerStepNothingDue(benchmark::State& state) {
  auto clock = std::make_shared<stepwise::ManualClock>(kStart);
  stepwise::EngineOptions eo;
  eo.clock = clock;
  stepwise::Engine engine(std::move(eo));
  stepwise::SchedulerOptions so;
  so.clock = clock;
  stepwise::Scheduler scheduler(engine, std::move(so));
  auto parsed =
      stepwise::parse_state_machine(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
  const long before = resident_kib();
  for (std::int64_t i = 0; i < state.range(0); ++i) {
    stepwise::ScheduleDefinition d;
    d.name = "s" + std::to_string(i);
    d.expression = "cron(" + std::to_string(i % 60) + " 3 * * ? *)";
    d.machine = parsed.machine();
    (void)scheduler.add(std::move(d));
  }
  // Measured on the first run of each size only: later runs reuse the memory freed before.
  static std::map<std::int64_t, double> kib_per_schedule;
  kib_per_schedule.emplace(state.range(0), static_cast<double>(resident_kib() - before) /
                                               static_cast<double>(state.range(0)));
  state.counters["KiB_per_schedule"] = kib_per_schedule[state.range(0)];
  clock->advance(kSecond);
  for (auto _ : state) benchmark::DoNotOptimize(scheduler.step());
}
BENCHMARK(BM_SchedulerStepNothingDue)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
