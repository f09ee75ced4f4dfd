// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// History as values: the public event list and its JSON export, and the shared texts and
// text arenas the engine keeps event payloads in (history/shared_text.h).
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "history/shared_text.h"
#include "stepwise/history.h"

namespace stepwise {
namespace {

using internal::SharedText;

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

TEST(SharedTextTest, CopiesAndMovesFreeTheTextOnce) {
  SharedText a("payload");
  {
    SharedText b = a;            // copy
    SharedText c(std::move(b));  // move
    SharedText d;
    d = c;  // copy-assign
    const SharedText& same = d;
    d = same;  // self-assign
    EXPECT_EQ(d.view(), "payload");
    EXPECT_EQ(c.view(), "payload");
    EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move): moved-from is empty
  }
  EXPECT_EQ(a.view(), "payload");
  a = SharedText("other");
  EXPECT_EQ(a.str(), "other");
  a.reset();
  EXPECT_FALSE(a);
}

TEST(TextArenaTest, TextsLiveAsLongAsTheArenaAndCopiesShareThem) {
  std::vector<SharedText> texts;
  {
    internal::TextArena arena;
    // Small texts first fill the arena's own room, then blocks; a large one gets its own.
    for (int i = 0; i < 300; ++i) texts.push_back(arena.make("text " + std::to_string(i)));
    texts.push_back(arena.make(std::string(5000, 'L')));
    texts.push_back(arena.make(""));
    texts.push_back(arena.make("after the large one"));
    SharedText copy = texts[7];
    EXPECT_EQ(copy.view().data(), texts[7].view().data());
    copy.reset();
    for (int i = 0; i < 300; ++i) ASSERT_EQ(texts[i].view(), "text " + std::to_string(i));
    EXPECT_EQ(texts[300].view(), std::string(5000, 'L'));
    EXPECT_TRUE(texts[301]);
    EXPECT_EQ(texts[301].view(), "");
    EXPECT_EQ(texts[302].view(), "after the large one");
    for (SharedText& t : texts) t.reset();  // before the arena goes
  }
}

TEST(HistoryTest, EventsAreValuesThatExportAsAwsEventList) {
  History h;
  for (std::int64_t i = 1; i <= 3; ++i) {
    HistoryEvent& e = h.emplace_back();
    e.id = i;
    e.previous_event_id = i - 1;
    e.timestamp = 1700000000123000000;
  }
  h[1].type = "PassStateEntered";
  h[1].details_key = "stateEnteredEventDetails";
  h[1].details = {{"name", "P"}};
  History copy = h;
  h.clear();
  nlohmann::json j = history_to_json(copy);
  ASSERT_EQ(j["events"].size(), 3u);
  EXPECT_EQ(j["events"][1], nlohmann::json::parse(R"({"id":2,"previousEventId":1,
                "timestamp":"2023-11-14T22:13:20.123Z","type":"PassStateEntered",
                "stateEnteredEventDetails":{"name":"P"}})"));
  EXPECT_EQ(j["events"][2]["id"], 3);
  EXPECT_FALSE(j["events"][2].contains("stateEnteredEventDetails"));  // no details member
}

}  // namespace
}  // namespace stepwise
