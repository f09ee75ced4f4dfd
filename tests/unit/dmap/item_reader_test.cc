// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The streaming ItemReader sources over a local-directory object store.
#include "dmap/item_reader.h"

#include <fstream>

#include <gtest/gtest.h>

#include "stepwise/local_object_store.h"
#include "support/temp_dir.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

class ItemReaderTest : public ::testing::Test {
 protected:
  ItemReaderTest() { store_.add_bucket("b", dir_.path()); }
  void put(const std::string& key, const std::string& text) {
    std::filesystem::path p = dir_.path() / key;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  // Reads every item, or the error message.
  Result<std::vector<json>> read_all(json reader_config, json params,
                                     const char* resource = "arn:aws:states:::s3:getObject") {
    Result<ItemReaderConfig> cfg = parse_item_reader_config(resource, reader_config, params);
    if (!cfg.ok()) return cfg.status();
    auto s = open_item_stream(store_, *cfg);
    if (!s.ok()) return s.status();
    std::vector<json> out;
    json item;
    for (;;) {
      Result<bool> got = (*s)->next(item);
      if (!got.ok()) return got.status();
      if (!*got) return out;
      out.push_back(item);
    }
  }
  static json obj(const char* key) { return {{"Bucket", "b"}, {"Key", key}}; }

  testing_support::TempDir dir_;
  LocalObjectStore store_;
};

TEST_F(ItemReaderTest, JsonLinesGivesOneItemPerLineAndSkipsBlankLines) {
  put("a.jsonl", "{\"a\":1}\n\n[2]\r\n\"three\"");
  auto items = read_all({{"InputType", "JSONL"}}, obj("a.jsonl"));
  ASSERT_TRUE(items.ok()) << items.status().to_string();
  EXPECT_EQ(json(*items), json::parse(R"([{"a":1},[2],"three"])"));
}

TEST_F(ItemReaderTest, EmptyFileGivesNoItems) {
  put("e.jsonl", "");
  put("e.json", "[]");
  put("e.csv", "");
  EXPECT_TRUE(read_all({{"InputType", "JSONL"}}, obj("e.jsonl"))->empty());
  EXPECT_TRUE(read_all({{"InputType", "JSON"}}, obj("e.json"))->empty());
  EXPECT_TRUE(read_all({{"InputType", "CSV"}}, obj("e.csv"))->empty());
}

TEST_F(ItemReaderTest, MalformedJsonLineFailsWithItsLineNumber) {
  put("bad.jsonl", "{\"a\":1}\n{oops\n");
  auto items = read_all({{"InputType", "JSONL"}}, obj("bad.jsonl"));
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.status().message(),
            "Failed to parse JSONL: line 2 (offset 8) of b/bad.jsonl is not valid JSON.");
}

TEST_F(ItemReaderTest, MissingObjectIsNotFound) {
  auto items = read_all({{"InputType", "JSONL"}}, obj("nope.jsonl"));
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(items.status().message(),
            "The specified key does not exist. (Bucket: b, Key: nope.jsonl)");
}

TEST_F(ItemReaderTest, BinaryFileIsRefused) {
  put("bin.csv", std::string("a,b\n1,\0\x01\x02", 9));
  auto items = read_all({{"InputType", "CSV"}}, obj("bin.csv"));
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.status().message(),
            "The object is not a text file: it contains a NUL byte at offset 6.");
}

TEST_F(ItemReaderTest, JsonArrayIsTokenizedElementByElement) {
  put("a.json", " [ {\"s\":\"a ] , \\\" }\"}, 1 ,\n\"x\", [[]], null, true ] \n");
  auto items = read_all({{"InputType", "JSON"}}, obj("a.json"));
  ASSERT_TRUE(items.ok()) << items.status().to_string();
  EXPECT_EQ(json(*items), json::parse(R"([{"s":"a ] , \" }"},1,"x",[[]],null,true])"));
}

TEST_F(ItemReaderTest, JsonFileThatIsNotAnArrayFails) {
  put("o.json", "{\"a\":1}");
  put("u.json", "[1, 2");
  auto o = read_all({{"InputType", "JSON"}}, obj("o.json"));
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(), "Failed to parse JSON: b/o.json does not hold a JSON array.");
  auto u = read_all({{"InputType", "JSON"}}, obj("u.json"));
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().message(),
            "Failed to parse JSON: the array is not closed at offset 5 of b/u.json.");
}

TEST_F(ItemReaderTest, CsvFirstRowHeadersGiveStringValues) {
  put("a.csv", "id,name,note\r\n1,Ann,\"says \"\"hi\"\", twice\"\n2,Bob,\"two\nlines\"\n");
  auto items = read_all({{"InputType", "CSV"}, {"CSVHeaderLocation", "FIRST_ROW"}}, obj("a.csv"));
  ASSERT_TRUE(items.ok()) << items.status().to_string();
  EXPECT_EQ(json(*items), json::parse(R"([{"id":"1","name":"Ann","note":"says \"hi\", twice"},
                                          {"id":"2","name":"Bob","note":"two\nlines"}])"));
}

TEST_F(ItemReaderTest, HeaderOnlyCsvGivesNoItems) {
  put("h.csv", "a,b,c\n");
  auto items = read_all({{"InputType", "CSV"}}, obj("h.csv"));
  ASSERT_TRUE(items.ok());
  EXPECT_TRUE(items->empty());
}

TEST_F(ItemReaderTest, CsvGivenHeadersAndDelimiter) {
  put("p.csv", "1|x\n2|y\n");
  auto items = read_all({{"InputType", "CSV"},
                         {"CSVHeaderLocation", "GIVEN"},
                         {"CSVHeaders", {"n", "v"}},
                         {"CSVDelimiter", "PIPE"}},
                        obj("p.csv"));
  ASSERT_TRUE(items.ok());
  EXPECT_EQ(json(*items), json::parse(R"([{"n":"1","v":"x"},{"n":"2","v":"y"}])"));
}

TEST_F(ItemReaderTest, CsvRaggedRowAndDuplicateHeadersFail) {
  put("r.csv", "a,b\n1,2\n3\n");
  auto r = read_all({{"InputType", "CSV"}}, obj("r.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "CSV row 3 of b/r.csv has 1 fields, but there are 2 headers.");
  put("d.csv", "a,a\n1,2\n");
  auto d = read_all({{"InputType", "CSV"}}, obj("d.csv"));
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "CSV headers cannot contain duplicates.");
}

TEST_F(ItemReaderTest, ListObjectsGivesS3ShapedItemsInKeyOrder) {
  put("logs/b.txt", "bb");
  put("logs/a.txt", "a");
  put("other/c.txt", "c");
  auto items =
      read_all(json(), {{"Bucket", "b"}, {"Prefix", "logs/"}}, "arn:aws:states:::s3:listObjectsV2");
  ASSERT_TRUE(items.ok()) << items.status().to_string();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0]["Key"], "logs/a.txt");
  EXPECT_EQ((*items)[0]["Size"], 1);
  EXPECT_EQ((*items)[0]["StorageClass"], "STANDARD");
  EXPECT_TRUE((*items)[0]["Etag"].get<std::string>().starts_with("\""));
  EXPECT_TRUE((*items)[0]["LastModified"].is_number_integer());
  EXPECT_EQ((*items)[1]["Key"], "logs/b.txt");
}

TEST_F(ItemReaderTest, ManifestReadsInventoryFiles) {
  put("inv/data/1.csv", "b,k1,10\nb,\"k,2\",20\n");
  put("inv/data/2.csv", "b,k3,30\n");
  put("inv/manifest.json", R"({"sourceBucket":"b","destinationBucket":"arn:aws:s3:::b",
      "fileFormat":"CSV","fileSchema":"Bucket, Key, Size",
      "files":[{"key":"inv/data/1.csv"},{"key":"inv/data/2.csv"}]})");
  auto items = read_all({{"InputType", "MANIFEST"}}, obj("inv/manifest.json"));
  ASSERT_TRUE(items.ok()) << items.status().to_string();
  EXPECT_EQ(json(*items), json::parse(R"([{"Bucket":"b","Key":"k1","Size":"10"},
      {"Bucket":"b","Key":"k,2","Size":"20"},{"Bucket":"b","Key":"k3","Size":"30"}])"));
}

TEST_F(ItemReaderTest, ManifestNamingAMissingObjectFails) {
  put("inv/manifest.json", R"({"destinationBucket":"arn:aws:s3:::b","fileFormat":"CSV",
      "fileSchema":"Bucket, Key","files":[{"key":"inv/gone.csv"}]})");
  auto items = read_all({{"InputType", "MANIFEST"}}, obj("inv/manifest.json"));
  ASSERT_FALSE(items.ok());
  EXPECT_EQ(items.status().message(),
            "The manifest b/inv/manifest.json names an object that does not exist: "
            "b/inv/gone.csv.");
}

TEST_F(ItemReaderTest, PositionAndSeekResumeAfterTheLastItemRead) {
  put("a.jsonl", "1\n2\n3\n4\n");
  put("a.json", "[1,2,3,4]");
  put("a.csv", "n\n1\n2\n3\n4\n");
  for (const char* type : {"JSONL", "JSON", "CSV"}) {
    SCOPED_TRACE(type);
    std::string key = std::string("a.") + (std::string(type) == "JSONL"  ? "jsonl"
                                           : std::string(type) == "JSON" ? "json"
                                                                         : "csv");
    auto cfg = parse_item_reader_config("arn:aws:states:::s3:getObject", {{"InputType", type}},
                                        obj(key.c_str()));
    ASSERT_TRUE(cfg.ok());
    auto s = open_item_stream(store_, *cfg);
    ASSERT_TRUE(s.ok());
    json item;
    ASSERT_TRUE(*(*s)->next(item));
    ASSERT_TRUE(*(*s)->next(item));
    json pos = (*s)->position();
    auto again = open_item_stream(store_, *cfg);
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE((*again)->seek(pos).ok());
    std::vector<json> rest;
    while (*(*again)->next(item)) rest.push_back(item);
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_TRUE(rest[0] == json(3) || rest[0] == (json{{"n", "3"}}));
  }
}

TEST(LocalObjectStoreTest, PutIsInvisibleUntilCommitAndAbandonedPutsLeaveNothing) {
  testing_support::TempDir dir;
  LocalObjectStore store;
  store.add_bucket("out", dir.path() / "out");
  {
    auto w = store.put_object("out", "x/y.json");
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->write("[1]").ok());
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "out/x/y.json"));
  }
  auto listed = store.list_objects("out", "", "", 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  auto w = store.put_object("out", "x/y.json");
  ASSERT_TRUE((*w)->write("[1]").ok());
  ASSERT_TRUE((*w)->commit().ok());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "out/x/y.json"));
  EXPECT_EQ(store.put_object("out", "../escape").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.get_object("nobucket", "k").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace stepwise::internal
