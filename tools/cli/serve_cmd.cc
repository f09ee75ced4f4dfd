// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `stepwise serve`: reads its options, opens the store, starts a `stepwise::Server` and
// serves until SIGINT or SIGTERM.
#include "serve_cmd.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "process_tasks.h"
#include "stepwise/clock.h"
#include "stepwise/mock_config.h"

#if defined(STEPWISE_CLI_SERVER)
#include "stepwise/server.h"
#endif

namespace stepwise_cli {

const char* const kServeUsage =
    R"(Usage: stepwise serve [--host 127.0.0.1] [--port 8083] [--store URL] [--region R]
                      [--account A] [--virtual-time] [--mock-config FILE] [--auth FILE]
                      [--threads N] [--seed N] [--task RESOURCE_OR_STATE=COMMAND]...
                      [--task-concurrency N] [--lambda-endpoint URL] [--log-level L]

Serves the AWS Step Functions API (JSON 1.0 protocol) on HTTP, for boto3, the AWS SDKs and the
AWS CLI (--endpoint-url http://HOST:PORT), with a web console at GET /, GET /health and
GET /metrics.
  --host H           address to listen on (default 127.0.0.1, the loopback only)
  --port N           TCP port (default 8083; 0 picks a free one)
  --store URL        memory (default: nothing survives the process), sqlite:PATH or
                     postgresql://USER@HOST:PORT/DB (state machines, activities and
                     executions survive a restart; running executions resume)
  --region R         region of the ARNs (default us-east-1)
  --account A        account of the ARNs (default 123456789012)
  --virtual-time     Waits, retry backoff and timeouts take no real time
  --mock-config F    Step Functions Local mock file (default: $SFN_MOCK_CONFIG); start an
                     execution on STATE_MACHINE_ARN#TestCaseName to use a test case
  --auth FILE        JSON object {"ACCESS_KEY_ID": "SECRET_KEY", ...}: every request must be
                     signed with AWS Signature Version 4 by one of these keys
  --threads N        request threads = most connections served at once (default 64)
  --seed N           seed of the engine's random source (default 0)
  --task R=COMMAND   serve Task states whose Resource (or state name, or *) is R with
                     COMMAND, as `stepwise run --task` does: input on stdin, JSON result on
                     stdout; commands run concurrently and TimeoutSeconds kills them
  --task-concurrency N
                     run at most N commands at once (default 8)
  --log-level L      structured log on stderr, one JSON object per line: off, error, warn,
                     info (default: start, stop, each execution's end) or debug (also every
                     request with its action, status and time)
  --lambda-endpoint URL
                     invoke lambda:invoke and arn:aws:lambda:...:function: Tasks through the
                     Lambda Invoke API at URL (for example `sam local start-lambda`'s)
)";

#if defined(STEPWISE_CLI_SERVER)

namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Reads `value` as a whole number in [lo, hi]; false after saying why.
bool parse_number(const std::string& flag, const std::string& value, long long lo, long long hi,
                  long long& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0 || out < lo || out > hi) {
    std::cerr << "stepwise serve: " << flag << " needs a number from " << lo << " to " << hi
              << "\n";
    return false;
  }
  return true;
}

bool load_auth(const std::string& path, stepwise::ServerOptions& options) {
  std::string text;
  if (!read_file(path, text)) {
    std::cerr << "stepwise serve: cannot read " << path << "\n";
    return false;
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object() || doc.empty()) {
    std::cerr << "stepwise serve: " << path
              << " must be a JSON object mapping access key ids to secret keys\n";
    return false;
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!it.value().is_string() || it.key().empty()) {
      std::cerr << "stepwise serve: " << path << ": the secret key of '" << it.key()
                << "' must be a non-empty string\n";
      return false;
    }
    options.credentials[it.key()] = it.value().get<std::string>();
  }
  return true;
}

struct ServeArgs {
  std::string store, mock_config, auth;
  bool virtual_time = false;
  std::vector<std::pair<std::string, std::string>> tasks;  // --task R=COMMAND
  stepwise::ProcessExecutorOptions processes;
};

// Reads the command line into `options` and `args`; the exit status to stop with, or -1.
int parse_serve_args(int argc, char** argv, stepwise::ServerOptions& options, ServeArgs& args) {
  if (const char* env = std::getenv("SFN_MOCK_CONFIG")) args.mock_config = env;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--virtual-time") {
      args.virtual_time = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      std::cout << kServeUsage;
      return 0;
    }
    if (i + 1 >= argc) {
      std::cerr << "stepwise serve: "
                << (a.rfind("--", 0) == 0 ? a + " needs a value" : "unexpected " + a) << "\n"
                << kServeUsage;
      return 2;
    }
    std::string v = argv[++i];
    long long n = 0;
    if (a == "--host") {
      options.host = v;
    } else if (a == "--port") {
      if (!parse_number(a, v, 0, 65535, n)) return 2;
      options.port = static_cast<int>(n);
    } else if (a == "--threads") {
      if (!parse_number(a, v, 1, 1024, n)) return 2;
      options.threads = static_cast<std::size_t>(n);
    } else if (a == "--seed") {
      if (!parse_number(a, v, 0, (1LL << 62), n)) return 2;
      options.random_seed = static_cast<std::uint64_t>(n);
    } else if (a == "--store") {
      args.store = v;
    } else if (a == "--region") {
      options.region = v;
    } else if (a == "--account") {
      options.account = v;
    } else if (a == "--mock-config") {
      args.mock_config = v;
    } else if (a == "--auth") {
      args.auth = v;
    } else if (a == "--log-level") {
      options.log_level = v;
    } else if (a == "--lambda-endpoint") {
      options.lambda_endpoint = v;
    } else if (a == "--task") {
      std::size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) {
        std::cerr << "stepwise serve: --task needs RESOURCE_OR_STATE=COMMAND\n";
        return 2;
      }
      args.tasks.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (a == "--task-concurrency") {
      if (!parse_number(a, v, 1, 4096, n)) return 2;
      args.processes.max_concurrency = static_cast<std::size_t>(n);
    } else {
      std::cerr << "stepwise serve: unknown option " << a << "\n" << kServeUsage;
      return 2;
    }
  }
  return -1;
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  stepwise::ServerOptions options;
  options.log_level = "info";
  ServeArgs args;
  if (int rc = parse_serve_args(argc, argv, options, args); rc >= 0) return rc;
  stepwise::Result<stepwise::ServerStores> stores = stepwise::make_server_store(args.store);
  if (!stores.ok()) {
    std::cerr << "stepwise serve: " << stores.status().message() << "\n";
    return 2;
  }
  options.checkpoint_store = stores->checkpoints;
  options.catalog_store = stores->catalog;
  if (args.virtual_time) options.clock = std::make_shared<stepwise::ManualClock>();
  if (!args.tasks.empty()) {
    options.task_executor = make_command_executor(std::move(args.tasks), args.processes);
  }
  if (!args.auth.empty() && !load_auth(args.auth, options)) return 2;
  if (!args.mock_config.empty()) {
    stepwise::Result<stepwise::MockConfig> mocks = stepwise::MockConfig::load(args.mock_config);
    if (!mocks.ok()) {
      std::cerr << "stepwise serve: " << args.mock_config << ": " << mocks.status().message()
                << "\n";
      return 2;
    }
    options.mock_config = std::make_shared<stepwise::MockConfig>(std::move(*mocks));
  }
  // SIGINT and SIGTERM are taken by one thread that stops the server; every other thread
  // (created after this) has them blocked.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::string host = options.host;
  stepwise::Result<std::unique_ptr<stepwise::Server>> server =
      stepwise::Server::create(std::move(options));
  if (!server.ok()) {
    std::cerr << "stepwise serve: " << server.status().message() << "\n";
    return 2;
  }
  if (stepwise::Status s = (*server)->start(); !s.ok()) {
    std::cerr << "stepwise serve: " << s.message() << "\n";
    return 2;
  }
  std::cerr << "stepwise serve: listening on http://" << host << ":" << (*server)->port()
            << std::endl;
  stepwise::Server* raw = server->get();
  std::thread waiter([&signals, raw] {
    int sig = 0;
    sigwait(&signals, &sig);
    raw->stop();
  });
  raw->wait();
  pthread_kill(waiter.native_handle(), SIGTERM);  // ends the sigwait if stop came otherwise
  waiter.join();
  std::cerr << "stepwise serve: stopped" << std::endl;
  return 0;
}

#else

int cmd_serve(int, char**) {
  std::cerr << "stepwise serve: this build has no API server (configure with "
               "STEPWISE_WITH_SERVER=ON and cpp-httplib installed)\n";
  return 2;
}

#endif

}  // namespace stepwise_cli
