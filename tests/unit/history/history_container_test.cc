// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// History: the block-growing event sequence behind Engine::history.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/history.h"

namespace stepwise {
namespace {

History numbered(std::int64_t n) {
  History h;
  for (std::int64_t i = 1; i <= n; ++i) {
    HistoryEvent& e = h.emplace_back();
    e.id = i;
  }
  return h;
}

// Every block boundary up to 6,000 (blocks start at 8, 24, 56, 120, ... 4,088).
TEST(HistoryTest, IndexesEveryEventAcrossBlockBoundaries) {
  History h = numbered(6000);
  ASSERT_EQ(h.size(), 6000u);
  for (std::size_t i = 0; i < h.size(); ++i)
    ASSERT_EQ(h[i].id, static_cast<std::int64_t>(i) + 1) << i;
  EXPECT_EQ(h.front().id, 1);
  EXPECT_EQ(h.back().id, 6000);
}

TEST(HistoryTest, AppendingKeepsReferencesToEarlierEvents) {
  History h;
  HistoryEvent& first = h.emplace_back();
  first.id = 7;
  const HistoryEvent* where = &h[0];
  for (int i = 0; i < 5000; ++i) h.emplace_back();
  EXPECT_EQ(&h[0], where);
  EXPECT_EQ(h[0].id, 7);
}

TEST(HistoryTest, IteratesInOrderWithRandomAccess) {
  History h = numbered(3000);
  std::int64_t expected = 1;
  for (const HistoryEvent& e : h) EXPECT_EQ(e.id, expected++);
  EXPECT_EQ(expected, 3001);
  EXPECT_EQ(std::distance(h.begin(), h.end()), 3000);
  auto it = h.begin() + 2100;
  EXPECT_EQ(it->id, 2101);
  EXPECT_EQ((it - 100)->id, 2001);
  EXPECT_EQ(it[5].id, 2106);
  EXPECT_TRUE(h.begin() < it);
  auto found = std::find_if(h.begin(), h.end(), [](const HistoryEvent& e) { return e.id == 2500; });
  EXPECT_EQ(found - h.begin(), 2499);
  std::vector<HistoryEvent> copy(h.begin(), h.end());
  EXPECT_EQ(copy.size(), 3000u);
  EXPECT_EQ(copy[2999].id, 3000);
}

TEST(HistoryTest, CopiesAndMovesAreValues) {
  History a = numbered(100);
  History b = a;
  b.emplace_back().id = 101;
  EXPECT_EQ(a.size(), 100u);
  EXPECT_EQ(b.size(), 101u);
  History c = std::move(b);
  EXPECT_EQ(c.size(), 101u);
  EXPECT_TRUE(b.empty());   // NOLINT(bugprone-use-after-move): moved-from is empty
  b.emplace_back().id = 1;  // and usable
  EXPECT_EQ(b.size(), 1u);
  a = c;
  EXPECT_EQ(a.size(), 101u);
  EXPECT_EQ(a.back().id, 101);
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.begin(), a.end());
}

TEST(SharedTextTest, CopiesShareOneTextAndOutliveEachOther) {
  SharedText empty;
  EXPECT_FALSE(empty);
  EXPECT_EQ(empty.view(), "");
  SharedText a(std::string(100, 'x'));
  ASSERT_TRUE(a);
  SharedText b = a;
  EXPECT_EQ(b.view().data(), a.view().data());  // one buffer
  a.reset();
  EXPECT_FALSE(a);
  EXPECT_EQ(b.view(), std::string(100, 'x'));
  SharedText c = std::move(b);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move): moved-from is empty
  EXPECT_EQ(c.str(), std::string(100, 'x'));
  SharedText& alias = c;  // through a reference: the compiler would flag `c = c`
  c = alias;              // self-assignment keeps it
  EXPECT_EQ(c.view().size(), 100u);
  SharedText d(R"({"k":1})");
  d = c;
  EXPECT_EQ(d.view(), c.view());
  EXPECT_EQ(SharedText("").view(), "");
}

TEST(SharedTextTest, CompactEventsBuildTheirTextIntoDetails) {
  HistoryEvent e;
  e.type = "PassStateExited";
  e.details_key = "stateExitedEventDetails";
  static const std::string kName = "P";
  e.compact.shape = HistoryEvent::Compact::kStateExited;
  e.compact.a = &kName;
  e.compact.text = SharedText(R"({"a":1})");
  EXPECT_EQ(e.built_details(),
            nlohmann::json::parse(
                R"({"name":"P","output":"{\"a\":1}","outputDetails":{"truncated":false}})"));
}

TEST(HistoryTest, ExportsAsAwsEventList) {
  History h = numbered(3);
  h[1].type = "PassStateEntered";
  nlohmann::json j = history_to_json(h);
  ASSERT_EQ(j["events"].size(), 3u);
  EXPECT_EQ(j["events"][1]["type"], "PassStateEntered");
  EXPECT_EQ(j["events"][2]["id"], 3);
}

}  // namespace
}  // namespace stepwise
