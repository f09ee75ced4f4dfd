// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise run --task`: routes each Task to its COMMAND; "echo" answers in process, the
// others run as programs through `ProcessExecutor` (see process_tasks.h).
#include "process_tasks.h"

namespace stepwise_cli {
namespace {

class CommandExecutor final : public stepwise::TaskExecutor {
 public:
  CommandExecutor(std::vector<std::pair<std::string, std::string>> routes,
                  const stepwise::ProcessExecutorOptions& options)
      : routes_(std::move(routes)),
        processes_(std::make_shared<stepwise::ProcessExecutor>(options)) {
    for (const auto& [key, command] : routes_) {
      if (command != "echo") processes_->route(key, stepwise::ProcessRoute::shell(command));
    }
  }

  void start(const stepwise::TaskRequest& req, stepwise::TaskCompletion done) override {
    const std::string* command = find(req);
    if (command == nullptr) {
      done.fail("States.TaskFailed",
                "no --task is given for resource '" + std::string(req.resource) + "'");
    } else if (*command == "echo") {
      done.succeed(req.take_input());
    } else {
      processes_->start(req, std::move(done));
    }
  }

  void cancel(std::string_view task_token) override { processes_->cancel(task_token); }

 private:
  // The same order as ProcessExecutor's: resource, state name, "*".
  const std::string* find(const stepwise::TaskRequest& req) const {
    for (const auto& [key, command] : routes_) {
      if (key == req.resource) return &command;
    }
    for (const auto& [key, command] : routes_) {
      if (key == req.state_name) return &command;
    }
    for (const auto& [key, command] : routes_) {
      if (key == "*") return &command;
    }
    return nullptr;
  }

  std::vector<std::pair<std::string, std::string>> routes_;
  std::shared_ptr<stepwise::ProcessExecutor> processes_;
};

}  // namespace

std::shared_ptr<stepwise::TaskExecutor> make_command_executor(
    std::vector<std::pair<std::string, std::string>> routes,
    const stepwise::ProcessExecutorOptions& options) {
  return std::make_shared<CommandExecutor>(std::move(routes), options);
}

}  // namespace stepwise_cli
