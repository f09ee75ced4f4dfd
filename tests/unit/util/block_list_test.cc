// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// BlockList (util/block_list.h): the block-growing sequence behind the engine's history
// records.
#include <cstdint>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "util/block_list.h"

namespace stepwise::internal {
namespace {

struct Item {
  explicit Item(std::int64_t v, std::string s = "") : value(v), text(std::move(s)) {}
  std::int64_t value;
  std::string text;
};

// Every block boundary up to 6,000 (blocks start at 8, 24, 56, 120, ... 4,088).
TEST(BlockListTest, IndexesEveryElementAcrossBlockBoundaries) {
  BlockList<Item, 8> list;
  for (std::int64_t i = 1; i <= 6000; ++i) {
    Item& added = list.emplace_back(i);
    ASSERT_EQ(&added, &list.back());
  }
  ASSERT_EQ(list.size(), 6000u);
  for (std::size_t i = 0; i < list.size(); ++i) {
    ASSERT_EQ(list[i].value, static_cast<std::int64_t>(i) + 1) << i;
  }
  EXPECT_EQ(list.back().value, 6000);
}

TEST(BlockListTest, AFirstBlockOfAnySizeIsInside) {
  BlockList<Item, 3> list;  // blocks of 3 (inside), 6, 12, 24, ...
  const auto* inside = reinterpret_cast<const char*>(&list);
  for (std::int64_t i = 0; i < 100; ++i) list.emplace_back(i);
  for (std::size_t i = 0; i < 100; ++i) ASSERT_EQ(list[i].value, static_cast<std::int64_t>(i));
  for (std::size_t i = 0; i < 3; ++i) {
    const auto* at = reinterpret_cast<const char*>(&list[i]);
    EXPECT_TRUE(at >= inside && at < inside + sizeof(list)) << i;
  }
}

TEST(BlockListTest, AppendingKeepsReferencesToEarlierElements) {
  BlockList<Item, 8> list;
  Item& first = list.emplace_back(7, "first");
  for (int i = 0; i < 5000; ++i) list.emplace_back(i);
  EXPECT_EQ(&list[0], &first);
  EXPECT_EQ(list[0].value, 7);
  EXPECT_EQ(list[0].text, "first");
}

TEST(BlockListTest, ClearDestroysTheElementsAndLeavesItUsable) {
  BlockList<Item, 8> list;
  EXPECT_TRUE(list.empty());
  for (int i = 0; i < 100; ++i) list.emplace_back(i, std::string(40, 'x'));  // heap strings
  list.clear();
  EXPECT_TRUE(list.empty());
  list.emplace_back(5, "again");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].text, "again");
}

}  // namespace
}  // namespace stepwise::internal
