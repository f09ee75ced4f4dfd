// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The console pages of the API server (console.h).
#include "server/console.h"

#include <httplib.h>

#include <algorithm>
#include <ctime>

#include "server/api_error.h"
#include "stepwise/parser.h"
#include "stepwise/view.h"

namespace stepwise::internal {

using nlohmann::json;

namespace {

constexpr int kRefreshSeconds = 2;

std::string escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string time_text(std::int64_t ns) {
  if (ns == 0) return "";
  std::time_t secs = ns / 1'000'000'000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string page(const std::string& title, const std::string& body, bool refresh) {
  std::string out =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>";
  if (refresh) {
    out += "<meta http-equiv=\"refresh\" content=\"" + std::to_string(kRefreshSeconds) + "\">";
  }
  out +=
      "<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1b1f24}"
      "table{border-collapse:collapse;margin:8px 0 24px}td,th{padding:4px 12px;text-align:left;"
      "border-bottom:1px solid #ddd}a{color:#0b5cad}.RUNNING{color:#0b5cad}.SUCCEEDED{color:"
      "#1a7f37}.FAILED,.TIMED_OUT,.ABORTED{color:#cf222e}pre{background:#f6f8fa;padding:12px;"
      "overflow:auto}</style></head><body>";
  return out + body + "</body></html>";
}

std::string executions_table(const std::vector<ExecutionEntry>& entries) {
  std::string out =
      "<table id=\"executions\"><tr><th>Execution</th><th>State machine</th><th>Status</th>"
      "<th>Started (UTC)</th><th>Ended (UTC)</th></tr>";
  for (const ExecutionEntry& e : entries) {
    out += "<tr><td><a href=\"/console/execution?arn=" + percent_encode(e.arn, ":") + "\">" +
           escape(e.name) + "</a></td><td>" + escape(e.machine) + "</td><td class=\"" + e.status +
           "\">" + e.status + "</td><td>" + time_text(e.start) + "</td><td>" + time_text(e.stop) +
           "</td></tr>";
  }
  return out + "</table>";
}

// The newest `limit` Standard executions of `machine` (all machines when empty).
std::vector<ExecutionEntry> recent(Server::Impl& s, const std::string& machine, std::size_t limit,
                                   bool* running) {
  std::vector<ExecutionEntry> out;
  std::lock_guard<std::mutex> lock(s.index_mu);
  for (const auto& [name, e] : s.index) {
    if (e.express || (!machine.empty() && e.machine != machine)) continue;
    out.push_back(e);
  }
  std::sort(out.begin(), out.end(),
            [](const ExecutionEntry& a, const ExecutionEntry& b) { return a.order > b.order; });
  if (out.size() > limit) out.resize(limit);
  for (const ExecutionEntry& e : out) *running = *running || e.status == "RUNNING";
  return out;
}

void home(Server::Impl& s, httplib::Response& res) {
  std::string body =
      "<h1>Stepwise</h1><h2>State machines</h2>"
      "<table id=\"machines\"><tr><th>Name</th><th>Type</th><th>Created (UTC)"
      "</th></tr>";
  {
    std::lock_guard<std::mutex> lock(s.catalog.mu);
    for (const auto& [name, m] : s.catalog.machines) {
      body += "<tr><td><a href=\"/console/machine?arn=" +
              percent_encode(s.arns.state_machine(name), ":") + "\">" + escape(name) +
              "</a></td><td>" + m.type + "</td><td>" + time_text(m.created) + "</td></tr>";
    }
  }
  bool running = false;
  body += "</table><h2>Recent executions</h2>" + executions_table(recent(s, "", 100, &running));
  res.set_content(page("Stepwise", body, running), "text/html; charset=utf-8");
}

void machine_page(Server::Impl& s, const httplib::Request& req, httplib::Response& res) {
  std::string arn = req.get_param_value("arn");
  std::string name, definition;
  {
    std::lock_guard<std::mutex> lock(s.catalog.mu);
    try {
      const MachineRecord& m = s.machine_for(arn);
      name = m.name;
      definition = m.definition;
    } catch (const ApiError& e) {
      res.status = 404;
      res.set_content(page("Not found", "<p>" + escape(e.what()) + "</p>", false),
                      "text/html; charset=utf-8");
      return;
    }
  }
  json pretty = json::parse(definition, nullptr, false);
  bool running = false;
  std::string body = "<p><a href=\"/\">All state machines</a></p><h1>" + escape(name) +
                     "</h1><h2>Executions</h2>" +
                     executions_table(recent(s, name, 1000, &running)) +
                     "<h2>Definition</h2><pre>" +
                     escape(pretty.is_discarded() ? definition : pretty.dump(2)) + "</pre>";
  res.set_content(page(name, body, running), "text/html; charset=utf-8");
}

void execution_page(Server::Impl& s, const httplib::Request& req, httplib::Response& res) {
  std::string arn = req.get_param_value("arn");
  auto fail = [&](int status, const std::string& message) {
    res.status = status;
    res.set_content(page("Execution", "<p>" + escape(message) + "</p>", false),
                    "text/html; charset=utf-8");
  };
  ExecutionEntry entry;
  try {
    entry = s.execution_for(arn);
  } catch (const ApiError& e) {
    return fail(404, e.what());
  }
  Result<StoredExecution> stored = s.options.checkpoint_store->load(entry.name);
  if (!stored.ok()) return fail(404, "This execution keeps no history (an Express execution).");
  ParseResult machine = parse_state_machine(stored->definition);
  if (!machine.ok()) return fail(500, "The stored definition does not compile.");
  json history = json::array();
  for (const std::string& text : stored->history) history.push_back(json::parse(text));
  ViewOptions vo;
  vo.title = entry.machine + " / " + entry.name;
  Result<ExecutionPage> rendered = render_execution_page(*machine.machine(), history, vo);
  if (!rendered.ok()) return fail(500, rendered.status().message());
  std::string html = std::move(rendered->html);
  if (entry.status == "RUNNING") {
    std::size_t head = html.find("<head>");
    if (head != std::string::npos) {
      html.insert(head + 6, "<meta http-equiv=\"refresh\" content=\"" +
                                std::to_string(kRefreshSeconds) + "\">");
    }
  }
  res.set_content(html, "text/html; charset=utf-8");
}

}  // namespace

void add_console_routes(httplib::Server& http, Server::Impl& server) {
  http.Get("/", [&server](const httplib::Request&, httplib::Response& res) { home(server, res); });
  http.Get("/console/machine", [&server](const httplib::Request& req, httplib::Response& res) {
    machine_page(server, req, res);
  });
  http.Get("/console/execution", [&server](const httplib::Request& req, httplib::Response& res) {
    execution_page(server, req, res);
  });
}

}  // namespace stepwise::internal
