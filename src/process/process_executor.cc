// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `ProcessExecutor` (stepwise/process_executor.h): one I/O thread per executor spawns the
// queued programs (posix_spawn, a process group each, pipes with O_CLOEXEC and closefrom in
// the child), then polls their pipes and pidfds: it writes the input to stdin without
// blocking, reads stdout (bounded) and stderr (heartbeat lines, a bounded tail), and when a
// program exits kills what remains of its process group, reaps it and completes the task.
// `start` and `cancel` only queue requests and wake the thread through a self-pipe. The kill
// grace is measured on the steady clock: it is host infrastructure, not workflow time.
#include "stepwise/process_executor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <optional>
#include <system_error>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "stepwise/errors.h"
#include "util/thread_annotations.h"
#include "util/utf8.h"

extern char** environ;

namespace stepwise {
namespace {

using nlohmann::json;
using SteadyTime = std::chrono::steady_clock::time_point;

// How much of stderr's end a failure's cause quotes.
constexpr std::size_t kCauseTailBytes = 1024;
// A stderr line longer than this is never a heartbeat.
constexpr std::size_t kHeartbeatLineMax = 64;

// `s` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD, so that a
// program's bytes can go into a cause (history and checkpoints hold JSON text).
std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    std::size_t n = internal::utf8::well_formed_length(p, end);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++p;
    } else {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// True for a stderr line that is exactly the object {"Heartbeat": true} (spacing aside).
bool is_heartbeat_line(std::string_view line) {
  line = trim(line);
  if (line.size() > kHeartbeatLineMax || line.empty() || line.front() != '{') return false;
  json v = json::parse(line, nullptr, /*allow_exceptions=*/false);
  return v.is_object() && v.size() == 1 && v.contains("Heartbeat") && v["Heartbeat"] == true;
}

// The `{"Error": ..., "Cause": ...}` object in a failed program's stderr: all of it, or its
// last non-empty line.
std::optional<std::pair<std::string, std::string>> error_object(std::string_view err) {
  auto read = [](std::string_view text) -> std::optional<std::pair<std::string, std::string>> {
    json v = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!v.is_object() || !v.contains("Error") || !v["Error"].is_string()) return std::nullopt;
    std::string cause;
    if (v.contains("Cause"))
      cause = v["Cause"].is_string() ? v["Cause"].get<std::string>() : v["Cause"].dump();
    return std::pair(v["Error"].get<std::string>(), std::move(cause));
  };
  err = trim(err);
  if (err.empty()) return std::nullopt;
  if (auto whole = read(err)) return whole;
  std::size_t nl = err.rfind('\n');
  if (nl == std::string_view::npos) return std::nullopt;
  return read(trim(err.substr(nl + 1)));
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// A pidfd for `pid`, readable once it has exited; -1 where the kernel has none (the loop then
// looks at its children every few milliseconds).
int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  long fd = ::syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
    return static_cast<int>(fd);
  }
#endif
  (void)pid;
  return -1;
}

// One task, from `start` until its program is spawned.
struct Job {
  std::uint64_t seq = 0;  // order of `start` calls: a retry reuses its task token
  std::string token;
  TaskCompletion completion;
  const ProcessRoute* route;
  std::string input;  // JSON text for stdin
};

// A spawned program. Touched only by the I/O thread.
struct Child {
  explicit Child(Job j) : job(std::move(j)) {}
  Job job;
  pid_t pid = -1;
  int pidfd = -1;
  int in = -1, out = -1, err = -1;    // the parent's ends of the pipes
  std::size_t written = 0;            // bytes of `job.input` written to stdin
  std::string output;                 // stdout
  std::string err_tail;               // the end of stderr, heartbeat lines left out
  std::string err_line;               // a stderr line not ended yet (up to kHeartbeatLineMax)
  bool err_line_long = false;         // the current stderr line is too long to be a heartbeat
  bool cancelled = false;             // `cancel` was called: no completion
  bool too_large = false;             // stdout passed `max_output_bytes`
  std::optional<SteadyTime> kill_at;  // when SIGKILL follows the SIGTERM of a cancel
  bool exited = false;
};

// The program's name as causes quote it.
std::string program_name(const Child& c) { return c.job.route->argv.front(); }

}  // namespace

struct ProcessExecutor::Impl {
  ProcessExecutorOptions options;
  std::vector<std::pair<std::string, ProcessRoute>> routes;  // fixed once tasks start

  internal::Mutex mu;
  std::deque<Job> queue GUARDED_BY(mu);
  // Cancelled tokens of running programs, with the `seq` of the next job at the time: jobs
  // started later (a retry reuses its token) are not affected.
  std::vector<std::pair<std::string, std::uint64_t>> cancels GUARDED_BY(mu);
  std::uint64_t next_seq GUARDED_BY(mu) = 0;
  std::size_t running GUARDED_BY(mu) = 0;
  bool stopping GUARDED_BY(mu) = false;

  int wake_read = -1, wake_write = -1;  // the self-pipe that wakes the I/O thread
  std::thread thread;
  std::vector<std::unique_ptr<Child>> children;  // the I/O thread's
  bool have_pidfds = true;                       // the I/O thread's

  const ProcessRoute* find_route(const TaskRequest& request) const {
    for (const auto& [key, r] : routes) {
      if (key == request.resource) return &r;
    }
    for (const auto& [key, r] : routes) {
      if (key == request.state_name) return &r;
    }
    for (const auto& [key, r] : routes) {
      if (key == "*") return &r;
    }
    return nullptr;
  }

  void wake() {
    char b = 1;
    (void)!::write(wake_write, &b, 1);  // a full pipe already wakes the thread
  }

  void loop();
  bool take_requests();
  void spawn(Job job);
  void poll_once();
  void read_stdout(Child& c);
  void read_stderr(Child& c);
  void add_stderr(Child& c, std::string_view bytes);
  void write_stdin(Child& c);
  void check_exit(Child& c);
  void finish(Child& c);
  void complete(Child& c, int status);
  void kill_all();
};

ProcessExecutor::ProcessExecutor(ProcessExecutorOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (impl_->options.max_concurrency == 0) impl_->options.max_concurrency = 1;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::system_error(errno, std::generic_category(), "ProcessExecutor: pipe2");
  }
  impl_->wake_read = fds[0];
  impl_->wake_write = fds[1];
  impl_->thread = std::thread([impl = impl_.get()] { impl->loop(); });
}

ProcessExecutor::~ProcessExecutor() {
  {
    internal::MutexLock lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->wake();
  impl_->thread.join();
  close_fd(impl_->wake_read);
  close_fd(impl_->wake_write);
}

ProcessExecutor& ProcessExecutor::route(std::string key, ProcessRoute route) {
  impl_->routes.emplace_back(std::move(key), std::move(route));
  return *this;
}

void ProcessExecutor::start(const TaskRequest& request, TaskCompletion completion) {
  const ProcessRoute* route = impl_->find_route(request);
  if (route == nullptr || route->argv.empty()) {
    completion.fail(
        std::string(errors::kTaskFailed),
        route == nullptr
            ? fmt::format("no program is routed for resource '{}' (state '{}')", request.resource,
                          request.state_name)
            : fmt::format("the program routed for state '{}' has no argv", request.state_name));
    return;
  }
  std::string input;
  try {
    input = request.input != nullptr ? request.input->dump() : "null";
  } catch (const json::exception& e) {
    completion.fail(std::string(errors::kTaskFailed),
                    fmt::format("the task input cannot be written as JSON: {}", e.what()));
    return;
  }
  completion.mark_real_time();
  {
    internal::MutexLock lock(impl_->mu);
    impl_->queue.push_back({impl_->next_seq++, std::string(request.task_token),
                            std::move(completion), route, std::move(input)});
  }
  impl_->wake();
}

void ProcessExecutor::cancel(std::string_view task_token) {
  {
    internal::MutexLock lock(impl_->mu);
    auto& q = impl_->queue;
    auto it = std::find_if(q.begin(), q.end(), [&](const Job& j) { return j.token == task_token; });
    if (it != q.end()) {
      q.erase(it);  // never spawned
      return;
    }
    impl_->cancels.emplace_back(std::string(task_token), impl_->next_seq);
  }
  impl_->wake();
}

std::size_t ProcessExecutor::running() const {
  internal::MutexLock lock(impl_->mu);
  return impl_->running;
}

std::size_t ProcessExecutor::queued() const {
  internal::MutexLock lock(impl_->mu);
  return impl_->queue.size();
}

void ProcessExecutor::Impl::loop() {
  // A write to a stdin whose reader has gone fails with EPIPE; the signal it also raises stays
  // blocked (and is discarded) on this thread instead of ending the host.
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
  while (take_requests()) poll_once();
  kill_all();
}

// Applies cancels and spawns queued jobs while there is room; false once stopping.
bool ProcessExecutor::Impl::take_requests() {
  std::vector<std::pair<std::string, std::uint64_t>> cancelled;
  std::vector<Job> to_spawn;
  {
    internal::MutexLock lock(mu);
    if (stopping) return false;
    cancelled.swap(cancels);
    while (running + to_spawn.size() < options.max_concurrency && !queue.empty()) {
      to_spawn.push_back(std::move(queue.front()));
      queue.pop_front();
    }
  }
  for (const auto& [token, before] : cancelled) {
    for (auto& c : children) {
      if (c->job.token != token || c->job.seq >= before || c->cancelled || c->exited) continue;
      c->cancelled = true;
      ::kill(-c->pid, SIGTERM);
      c->kill_at = std::chrono::steady_clock::now() + options.kill_grace;
    }
  }
  for (Job& job : to_spawn) spawn(std::move(job));
  return true;
}

void ProcessExecutor::Impl::spawn(Job job) {
  const ProcessRoute& route = *job.route;
  auto child = std::make_unique<Child>(std::move(job));
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
  std::string failure;
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    failure = fmt::format("cannot create pipes: {}", std::strerror(errno));
  }
  // The environment: the host's (unless replaced), then the route's, which wins.
  std::vector<std::string> env;
  if (route.environment_mode == ProcessRoute::EnvironmentMode::kInherit) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      std::string_view entry(*e);
      std::string_view name = entry.substr(0, entry.find('='));
      bool replaced = std::any_of(route.environment.begin(), route.environment.end(),
                                  [&](const auto& kv) { return kv.first == name; });
      if (!replaced) env.emplace_back(entry);
    }
  }
  for (const auto& [name, value] : route.environment) env.push_back(name + "=" + value);
  std::vector<char*> envp, argv;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = route.argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  if (failure.empty()) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // also descriptors without CLOEXEC
    if (!route.working_directory.empty()) {
      posix_spawn_file_actions_addchdir_np(&actions, route.working_directory.c_str());
    }
    // Its own process group, default signal dispositions and an empty signal mask (this thread
    // blocks SIGPIPE; the host may ignore signals).
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int rc = ::posix_spawnp(&child->pid, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
      failure = fmt::format("cannot run '{}': {}", route.argv.front(), std::strerror(rc));
      if (!route.working_directory.empty() && rc == ENOENT) {
        failure +=
            fmt::format(" (program or working directory '{}' missing)", route.working_directory);
      }
    }
  }
  close_fd(in[0]);
  close_fd(out[1]);
  close_fd(err[1]);
  if (!failure.empty()) {
    close_fd(in[1]);
    close_fd(out[0]);
    close_fd(err[0]);
    child->job.completion.fail(std::string(errors::kTaskFailed), valid_utf8(failure));
    return;
  }
  child->in = in[1];
  child->out = out[0];
  child->err = err[0];
  for (int fd : {child->in, child->out, child->err}) set_nonblocking(fd);
  if (have_pidfds) {
    child->pidfd = open_pidfd(child->pid);
    if (child->pidfd < 0) have_pidfds = false;
  }
  {
    internal::MutexLock lock(mu);
    ++running;
  }
  children.push_back(std::move(child));
}

void ProcessExecutor::Impl::poll_once() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Child*, int>> owners;  // per entry after the first: child, which fd
  fds.push_back({wake_read, POLLIN, 0});
  auto watch = [&](Child& c, int fd, short events, int which) {
    if (fd < 0) return;
    fds.push_back({fd, events, 0});
    owners.emplace_back(&c, which);
  };
  for (auto& c : children) {
    watch(*c, c->in, POLLOUT, 0);
    watch(*c, c->out, POLLIN, 1);
    watch(*c, c->err, POLLIN, 2);
    watch(*c, c->pidfd, POLLIN, 3);
  }
  int timeout = -1;
  SteadyTime now = std::chrono::steady_clock::now();
  for (auto& c : children) {
    if (c->pidfd < 0) timeout = 10;  // no pidfd: look for its exit every 10 ms
    if (c->kill_at) {
      auto ms = std::chrono::ceil<std::chrono::milliseconds>(*c->kill_at - now).count();
      ms = std::max<std::int64_t>(ms, 0);
      if (timeout < 0 || ms < timeout) timeout = static_cast<int>(ms);
    }
  }
  int n = ::poll(fds.data(), fds.size(), timeout);
  if (n < 0 && errno != EINTR) return;
  if (n > 0 && fds[0].revents != 0) {
    char buf[256];
    while (::read(wake_read, buf, sizeof buf) > 0) {
    }
  }
  for (std::size_t i = 1; n > 0 && i < fds.size(); ++i) {
    if (fds[i].revents == 0) continue;
    auto [c, which] = owners[i - 1];
    if (which == 0) write_stdin(*c);
    if (which == 1 && c->out == fds[i].fd) read_stdout(*c);
    if (which == 2 && c->err == fds[i].fd) read_stderr(*c);
    if (which == 3) c->exited = true;
  }
  now = std::chrono::steady_clock::now();
  for (auto& c : children) {
    if (c->kill_at && now >= *c->kill_at) {
      ::kill(-c->pid, SIGKILL);
      c->kill_at.reset();
    }
    if (!c->exited && c->pidfd < 0) check_exit(*c);
  }
  // Finished children leave the set; their slots go to queued jobs on the next round.
  for (auto it = children.begin(); it != children.end();) {
    if (!(*it)->exited) {
      ++it;
      continue;
    }
    finish(**it);
    it = children.erase(it);
  }
}

void ProcessExecutor::Impl::write_stdin(Child& c) {
  const std::string& in = c.job.input;
  while (c.written < in.size()) {
    ssize_t w = ::write(c.in, in.data() + c.written, in.size() - c.written);
    if (w > 0) {
      c.written += static_cast<std::size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) return;
    if (w < 0 && errno == EPIPE) {
      // The program does not read its input (and exits, or already has): discard the SIGPIPE
      // this thread keeps blocked.
      sigset_t pipe_set;
      sigemptyset(&pipe_set);
      sigaddset(&pipe_set, SIGPIPE);
      timespec zero{0, 0};
      (void)::sigtimedwait(&pipe_set, nullptr, &zero);
    }
    break;
  }
  close_fd(c.in);
}

void ProcessExecutor::Impl::read_stdout(Child& c) {
  char buf[65536];
  for (;;) {
    ssize_t r = ::read(c.out, buf, sizeof buf);
    if (r > 0) {
      c.output.append(buf, static_cast<std::size_t>(r));
      if (c.output.size() > options.max_output_bytes) {
        // Stop reading and stop the program: its result cannot be used.
        c.too_large = true;
        c.output.clear();
        c.output.shrink_to_fit();
        ::kill(-c.pid, SIGKILL);
        close_fd(c.out);
        return;
      }
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) return;
    close_fd(c.out);  // end of file or an error
    return;
  }
}

void ProcessExecutor::Impl::read_stderr(Child& c) {
  char buf[16384];
  for (;;) {
    ssize_t r = ::read(c.err, buf, sizeof buf);
    if (r > 0) {
      add_stderr(c, std::string_view(buf, static_cast<std::size_t>(r)));
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) return;
    close_fd(c.err);
    return;
  }
}

// Splits stderr into lines: heartbeat lines reset the task's HeartbeatSeconds timer, the rest
// goes to the bounded tail.
void ProcessExecutor::Impl::add_stderr(Child& c, std::string_view bytes) {
  auto keep = [&](std::string_view text) {
    c.err_tail.append(text);
    if (c.err_tail.size() > options.stderr_tail_bytes + options.stderr_tail_bytes / 2) {
      c.err_tail.erase(0, c.err_tail.size() - options.stderr_tail_bytes);
    }
  };
  while (!bytes.empty()) {
    std::size_t nl = bytes.find('\n');
    std::string_view part = bytes.substr(0, nl == std::string_view::npos ? bytes.size() : nl + 1);
    bytes.remove_prefix(part.size());
    if (c.err_line_long) {
      keep(part);
    } else {
      c.err_line.append(part);
      if (c.err_line.size() > kHeartbeatLineMax + 1) {
        keep(c.err_line);
        c.err_line.clear();
        c.err_line_long = true;
      }
    }
    if (part.back() != '\n') break;
    // A line ended.
    if (!c.err_line_long) {
      if (is_heartbeat_line(c.err_line)) {
        if (!c.cancelled) c.job.completion.heartbeat();
      } else {
        keep(c.err_line);
      }
    }
    c.err_line.clear();
    c.err_line_long = false;
  }
}

void ProcessExecutor::Impl::check_exit(Child& c) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(c.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
      info.si_pid == c.pid) {
    c.exited = true;
  }
}

// The program has exited (and is not reaped yet, so its process group id is still its own):
// kills what it left in its group, reads what remains in the pipes, reaps it, completes.
void ProcessExecutor::Impl::finish(Child& c) {
  ::kill(-c.pid, SIGKILL);
  if (c.out >= 0) read_stdout(c);
  if (c.err >= 0) read_stderr(c);
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  close_fd(c.in);
  close_fd(c.out);
  close_fd(c.err);
  close_fd(c.pidfd);
  if (!c.err_line.empty()) add_stderr(c, "\n");
  {
    internal::MutexLock lock(mu);
    --running;
  }
  if (!c.cancelled) complete(c, status);
}

void ProcessExecutor::Impl::complete(Child& c, int status) {
  const TaskCompletion& done = c.job.completion;
  std::string name = program_name(c);
  if (c.too_large) {
    done.fail(std::string(errors::kDataLimitExceeded),
              valid_utf8(fmt::format("The output of '{}' exceeds the maximum of {} bytes; the "
                                     "program was killed.",
                                     name, options.max_output_bytes)));
    return;
  }
  std::string_view tail = c.err_tail;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    std::string_view text = trim(c.output);
    if (text.empty()) {
      done.succeed(json(nullptr));
      return;
    }
    json out = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (out.is_discarded()) {
      std::string_view head = text.substr(0, 80);
      done.fail(std::string(errors::kTaskFailed),
                valid_utf8(fmt::format("The output of '{}' is not JSON: {}{}", name, head,
                                       text.size() > head.size() ? "..." : "")));
      return;
    }
    done.succeed(std::move(out));
    return;
  }
  if (WIFEXITED(status)) {
    if (auto e = error_object(tail)) {
      done.fail(valid_utf8(e->first), valid_utf8(e->second));
      return;
    }
  }
  std::string how = WIFEXITED(status)
                        ? fmt::format("exited with status {}", WEXITSTATUS(status))
                        : fmt::format("was killed by signal {} ({})", WTERMSIG(status),
                                      ::strsignal(WTERMSIG(status)));
  std::string_view quoted = trim(tail);
  if (quoted.size() > kCauseTailBytes) quoted = quoted.substr(quoted.size() - kCauseTailBytes);
  done.fail(std::string(errors::kTaskFailed),
            valid_utf8(quoted.empty() ? fmt::format("'{}' {}", name, how)
                                      : fmt::format("'{}' {}; stderr: {}", name, how, quoted)));
}

// The executor is being destroyed: every program is killed and reaped, no task completed.
void ProcessExecutor::Impl::kill_all() {
  for (auto& c : children) ::kill(-c->pid, SIGKILL);
  for (auto& c : children) {
    int status;
    while (::waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {
    }
    close_fd(c->in);
    close_fd(c->out);
    close_fd(c->err);
    close_fd(c->pidfd);
  }
  children.clear();
  internal::MutexLock lock(mu);
  running = 0;
  queue.clear();
}

}  // namespace stepwise
