// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Tests of the execution page (stepwise/view.h): self-contained HTML, the data it embeds and
// its escaping, state outcomes, and bad input (a history from another definition, a truncated
// history, malformed histories).
#include "stepwise/view.h"

#include <string>

#include <gtest/gtest.h>

#include "support/engine_support.h"
#include "stepwise/engine.h"
#include "stepwise/history.h"
#include "stepwise/task_executor.h"

namespace stepwise {
namespace {

using nlohmann::json;
using testing_support::compile;

// A Choice, a Map whose Task is declined for "bad" cards (caught) and busy for "busy" ones
// (retried, then caught), a Parallel, odd names.
constexpr const char* kWorkflow = R"({
  "StartAt": "Start Here",
  "States": {
    "Start Here": {"Type": "Pass", "Next": "Any items?"},
    "Any items?": {"Type": "Choice",
      "Choices": [{"Variable": "$.items[0]", "IsPresent": true, "Next": "Process \"items\""}],
      "Default": "Nothing to do"},
    "Nothing to do": {"Type": "Succeed"},
    "Process \"items\"": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.results",
      "ItemProcessor": {"StartAt": "Charge card", "States": {
        "Charge card": {"Type": "Task", "Resource": "arn:aws:states:::payments:charge",
          "Retry": [{"ErrorEquals": ["Card.Busy"], "IntervalSeconds": 1, "MaxAttempts": 2}],
          "Catch": [{"ErrorEquals": ["Card.Declined", "Card.Busy"], "ResultPath": "$.error",
                     "Next": "Refund ü"}],
          "Next": "Ship"},
        "Ship": {"Type": "Pass", "End": true},
        "Refund ü": {"Type": "Pass", "End": true}}},
      "Next": "Notify"},
    "Notify": {"Type": "Parallel", "ResultPath": null, "Next": "Done",
      "Branches": [
        {"StartAt": "Email <owner>", "States": {"Email <owner>": {"Type": "Pass", "End": true}}},
        {"StartAt": "Log & count", "States": {"Log & count": {"Type": "Pass", "End": true}}}]},
    "Done": {"Type": "Succeed"}
  }
})";

json run_workflow(const std::shared_ptr<const StateMachine>& machine, const json& input) {
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.task_executor = std::make_shared<FunctionExecutor>([](const json& in) -> json {
    std::string card = in.value("card", "");
    if (card == "bad") throw TaskError("Card.Declined", "the card was declined");
    if (card == "busy") throw TaskError("Card.Busy", "try again later");
    return in;
  });
  Engine engine(std::move(options));
  auto id = engine.start(machine, input);
  EXPECT_TRUE(id.ok());
  auto result = engine.run(*id);
  EXPECT_TRUE(result.ok());
  return history_to_json(**engine.history(*id));
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t p = 0; (p = text.find(part, p)) != std::string::npos; p += part.size()) ++n;
  return n;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The CSS class list of the node drawn for state `name` (by its <title>).
std::string node_classes(const std::string& html, const std::string& escaped_name) {
  std::size_t title = html.find("<title>" + escaped_name + "</title>");
  if (title == std::string::npos) return "";
  std::size_t g = html.rfind("<g class=\"", title);
  std::size_t end = html.find('"', g + 10);
  return html.substr(g + 10, end - g - 10);
}

json embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"stepwise-data\">";
  std::size_t b = html.find(open);
  if (b == std::string::npos) return json();
  b += open.size();
  std::size_t e = html.find("</script>", b);
  return json::parse(html.substr(b, e - b));
}

class ViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    machine_ = compile(kWorkflow);
    ASSERT_NE(machine_, nullptr);
    input_ = {{"items",
               {{{"card", "ok"}},
                {{"card", "bad"}},
                {{"card", "busy"}},
                {{"card", "</script><!-- <script src=x>"}}}}};
    history_ = run_workflow(machine_, input_);
  }

  std::shared_ptr<const StateMachine> machine_;
  json input_;
  json history_;
};

TEST_F(ViewTest, PageIsSelfContained) {
  auto page = render_execution_page(*machine_, history_);
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  const std::string& html = page->html;
  EXPECT_TRUE(html.rfind("<!DOCTYPE html>", 0) == 0);
  EXPECT_FALSE(contains(html, "http://"));
  EXPECT_FALSE(contains(html, "https://"));
  EXPECT_FALSE(contains(html, "<script src"));
  EXPECT_FALSE(contains(html, "<link"));
  EXPECT_FALSE(contains(html, "@import"));
  EXPECT_FALSE(contains(html, "url(http"));
  EXPECT_TRUE(contains(html, "<svg id=\"graph\""));
  EXPECT_EQ(page->status, "SUCCEEDED");
  EXPECT_TRUE(page->warnings.empty());
}

TEST_F(ViewTest, PageShowsOutcomesOfEveryState) {
  auto page = render_execution_page(*machine_, history_);
  ASSERT_TRUE(page.ok());
  const std::string& html = page->html;
  EXPECT_EQ(node_classes(html, "Start Here"), "node st-succeeded");
  EXPECT_EQ(node_classes(html, "Charge card"), "node st-caught");
  EXPECT_EQ(node_classes(html, "Ship"), "node st-succeeded");
  EXPECT_EQ(node_classes(html, "Refund ü"), "node st-succeeded");
  EXPECT_EQ(node_classes(html, "Nothing to do"), "node st-notreached");
  EXPECT_EQ(node_classes(html, "Email &lt;owner&gt;"), "node st-succeeded");
  EXPECT_EQ(node_classes(html, "Log &amp; count"), "node st-succeeded");
  EXPECT_TRUE(contains(html, "class=\"pill s-SUCCEEDED\""));
  // The legend, and the transitions taken.
  EXPECT_TRUE(contains(html, "not reached"));
  EXPECT_TRUE(contains(html, "edge e-catch taken"));
  EXPECT_TRUE(contains(html, "edge e-choice taken"));
}

TEST_F(ViewTest, DataListsEachEntryWithItsIterationAndAttempts) {
  auto page = render_execution_page(*machine_, history_);
  ASSERT_TRUE(page.ok());
  json data = embedded_data(page->html);
  ASSERT_TRUE(data.is_object());
  EXPECT_EQ(data["events"].size(), history_["events"].size());
  int charges = 0;
  for (const json& v : data["visits"]) {
    if (v["state"] != "Charge card") continue;
    ++charges;
    const json& entered = data["events"][v["entered"].get<int>()];
    json input = json::parse(entered["details"]["input"].get<std::string>());
    std::string card = input["card"];
    SCOPED_TRACE(card);
    EXPECT_EQ(v["context"].get<std::string>().rfind("Process \"items\" #", 0), 0u);
    if (card == "busy") {
      EXPECT_EQ(v["status"], "caught");
      EXPECT_EQ(v["attempts"], 3);
      EXPECT_EQ(v["error"], "Card.Busy");
    } else if (card == "bad") {
      EXPECT_EQ(v["status"], "caught");
      EXPECT_EQ(v["error"], "Card.Declined");
    } else {
      EXPECT_EQ(v["status"], "succeeded");
    }
  }
  EXPECT_EQ(charges, 4);
  for (const json& v : data["visits"]) {
    if (v["state"] == "Process \"items\"") {
      EXPECT_EQ(v["iterations"].size(), 4u);
      for (const json& it : v["iterations"]) EXPECT_EQ(it[1], "succeeded");
    }
    if (v["state"] == "Notify") {
      ASSERT_EQ(v["branches"].size(), 2u);
      EXPECT_EQ(v["branches"][0]["status"], "succeeded");
    }
  }
}

TEST_F(ViewTest, ScriptClosingTextInStateInputIsEscaped) {
  auto page = render_execution_page(*machine_, history_);
  ASSERT_TRUE(page.ok());
  const std::string& html = page->html;
  // Only the page's own two script elements close; no comment opens.
  EXPECT_EQ(count(html, "</script>"), 2u);
  EXPECT_EQ(count(html, "<!--"), 0u);
  EXPECT_EQ(count(html, "<script"), 2u);
  // The data still holds the exact text.
  json data = embedded_data(html);
  EXPECT_TRUE(contains(data["events"][0]["details"]["input"].get<std::string>(),
                       "</script><!-- <script src=x>"));
}

TEST_F(ViewTest, HistoryOfAnotherDefinitionRendersWithAWarning) {
  auto other = compile(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Start Here"},
                          "Start Here": {"Type": "Succeed"}}})");
  ASSERT_NE(other, nullptr);
  auto page = render_execution_page(*other, history_);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->warnings.size(), 1u);
  EXPECT_TRUE(contains(page->warnings[0], "state(s) in the history are not in the definition"))
      << page->warnings[0];
  EXPECT_TRUE(contains(page->warnings[0], "\"Any items?\"")) << page->warnings[0];
  EXPECT_TRUE(contains(page->html, "<div class=\"banner\" role=\"alert\">"));
  EXPECT_EQ(node_classes(page->html, "Start Here"), "node st-succeeded");
  EXPECT_EQ(node_classes(page->html, "A"), "node st-notreached");
}

TEST_F(ViewTest, TruncatedHistoryIsIncomplete) {
  json truncated = history_;
  auto& events = truncated["events"];
  // Cut inside the Map: the last event kept is the first Task's entry.
  std::size_t keep = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i]["type"] == "TaskStateEntered") {
      keep = i + 1;
      break;
    }
  }
  ASSERT_GT(keep, 0u);
  events.erase(events.begin() + static_cast<std::ptrdiff_t>(keep), events.end());
  auto page = render_execution_page(*machine_, truncated);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, "INCOMPLETE");
  ASSERT_EQ(page->warnings.size(), 1u);
  EXPECT_TRUE(contains(page->warnings[0], "no terminal event"));
  EXPECT_TRUE(contains(page->html, "class=\"pill s-INCOMPLETE\""));
  EXPECT_EQ(node_classes(page->html, "Start Here"), "node st-succeeded");
  EXPECT_EQ(node_classes(page->html, "Charge card"), "node st-running");
  EXPECT_EQ(node_classes(page->html, "Process &quot;items&quot;"), "node st-running");
  EXPECT_EQ(node_classes(page->html, "Done"), "node st-notreached");
}

TEST_F(ViewTest, FailedExecutionShowsTheFailingState) {
  auto machine = compile(R"({"StartAt": "Go", "States": {
      "Go": {"Type": "Task", "Resource": "arn:aws:states:::payments:charge", "End": true}}})");
  ASSERT_NE(machine, nullptr);
  json history = run_workflow(machine, {{"card", "bad"}});
  auto page = render_execution_page(*machine, history);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, "FAILED");
  EXPECT_EQ(node_classes(page->html, "Go"), "node st-failed");
  EXPECT_TRUE(contains(page->html, "<b>Card.Declined</b> the card was declined"));
}

TEST_F(ViewTest, BareEventArrayIsAccepted) {
  auto page = render_execution_page(*machine_, history_["events"]);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, "SUCCEEDED");
}

TEST_F(ViewTest, MalformedHistoriesAreRejectedWithAClearMessage) {
  struct Case {
    json history;
    const char* message;
  } cases[] = {
      {json("text"), "the history is not a list of events"},
      {json{{"items", 1}}, "the history is a JSON object without \"events\""},
      {json::array({1}), "history event 1 is not a JSON object"},
      {json::array({{{"type", "ExecutionStarted"}}}), "history event 1 has no integer \"id\""},
      {json::array({{{"id", 1}, {"type", "ExecutionStarted"}}, {{"id", 2}}}),
       "history event 2 (id 2) has no string \"type\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.history.dump());
    auto page = render_execution_page(*machine_, c.history);
    ASSERT_FALSE(page.ok());
    EXPECT_EQ(page.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(contains(page.status().message(), c.message)) << page.status().message();
  }
}

TEST_F(ViewTest, EmptyHistoryStillRenders) {
  auto page = render_execution_page(*machine_, json::array());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, "INCOMPLETE");
  EXPECT_EQ(page->warnings, std::vector<std::string>{"The history holds no events."});
  EXPECT_EQ(node_classes(page->html, "Start Here"), "node st-notreached");
}

TEST_F(ViewTest, LargeBodiesCollapseAndKeepTheirEntries) {
  ViewOptions options;
  options.collapse_threshold = 2;
  auto page = render_execution_page(*machine_, history_, options);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(contains(page->html, "Map: 3 states (collapsed)"));
  EXPECT_FALSE(contains(page->html, "<title>Charge card</title>"));
  // The collapsed Map takes the strongest outcome inside it.
  EXPECT_EQ(node_classes(page->html, "Process &quot;items&quot;"), "node st-caught collapsed");
}

}  // namespace
}  // namespace stepwise
