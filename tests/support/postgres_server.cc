// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A private PostgreSQL server for tests (postgres_server.h): initdb, pg_ctl start/stop, run
// as the `postgres` user when the tests run as root.
#include "support/postgres_server.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace stepwise::testing_support {
namespace {

constexpr const char* kDefaultBin = "/usr/lib/postgresql/15/bin";

std::string bin_directory() {
  const char* env = std::getenv("STEPWISE_PG_BIN");
  return env != nullptr && *env != '\0' ? env : kDefaultBin;
}

// A port nobody listens on now (the kernel's choice for port 0).
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The last `n` bytes of `text`, for error messages.
std::string tail(const std::string& text, std::size_t n = 2000) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};

}  // namespace

std::string PostgresServer::unavailable_reason() {
  const std::string bin = bin_directory();
  for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
    if (::access((bin + "/" + tool).c_str(), X_OK) != 0) {
      return "PostgreSQL 15 is not installed (no " + bin + "/" + tool +
             "; Debian: apt-get install postgresql-15, or set STEPWISE_PG_BIN)";
    }
  }
  if (::geteuid() == 0 && ::getpwnam("postgres") == nullptr) {
    return "running as root and there is no `postgres` user to run the server as";
  }
  if (::geteuid() == 0 && ::access("/usr/sbin/runuser", X_OK) != 0 &&
      ::access("/sbin/runuser", X_OK) != 0) {
    return "running as root without runuser to run the server as the `postgres` user";
  }
  return "";
}

Result<std::unique_ptr<PostgresServer>> PostgresServer::start(
    const PostgresServerOptions& options) {
  const std::string reason = unavailable_reason();
  if (!reason.empty()) return unavailable_error(reason);
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  STEPWISE_RETURN_IF_ERROR(server->init_and_start(options));
  return server;
}

Status PostgresServer::run(const std::vector<std::string>& args, const std::string& what) const {
  std::vector<std::string> argv;
  if (::geteuid() == 0) argv = {"runuser", "-u", "postgres", "--"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (std::string& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  const std::string out = dir_ + "/" + what + ".out";
  pid_t pid = ::fork();
  if (pid < 0) return internal_error("fork failed for " + what);
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    ::execvp(raw[0], raw.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  return unavailable_error(what + " failed (" + args[0] + "): " + tail(read_file(out)) +
                           (log_.empty() ? "" : "\nserver log: " + tail(read_file(log_))));
}

void PostgresServer::stop_abandoned_servers() const {
  // A test program that crashed (an assertion, a sanitizer) leaves its server running; the
  // directory's owner.pid names the program. Stop those servers and remove their directories.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(::testing::TempDir(), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("stepwise-pg-", 0) != 0 || !entry.is_directory(ec)) continue;
    const std::string owner = read_file(entry.path().string() + "/owner.pid");
    const pid_t pid = static_cast<pid_t>(std::atoi(owner.c_str()));
    if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH)) {
      const std::string data = entry.path().string() + "/data";
      if (::access((data + "/postmaster.pid").c_str(), F_OK) == 0) {
        std::vector<std::string> argv;
        if (::geteuid() == 0) argv = {"runuser", "-u", "postgres", "--"};
        argv.insert(argv.end(),
                    {bin_ + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "-s", "stop"});
        std::string command;
        for (const std::string& a : argv) command += "'" + a + "' ";
        (void)std::system((command + ">/dev/null 2>&1").c_str());
      }
      std::filesystem::remove_all(entry.path(), ec);
    }
  }
}

Status PostgresServer::init_and_start(const PostgresServerOptions& options) {
  bin_ = bin_directory();
  stop_abandoned_servers();
  std::string tmpl = ::testing::TempDir() + "stepwise-pg-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) return internal_error("mkdtemp failed for " + tmpl);
  dir_ = tmpl;
  {
    std::ofstream owner(dir_ + "/owner.pid");
    owner << ::getpid() << "\n";
  }
  if (::geteuid() == 0) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr || ::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      return internal_error("cannot give " + dir_ + " to the postgres user");
    }
  }
  // Local (socket) connections are trusted; TCP ones need a password.
  STEPWISE_RETURN_IF_ERROR(run(
      {bin_ + "/initdb", "-D", dir_ + "/data", "--auth-local=trust", "--auth-host=scram-sha-256",
       "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"},
      "initdb"));
  port_ = free_port();
  if (port_ == 0) return internal_error("no free port on 127.0.0.1");
  log_ = dir_ + "/server.log";
  start_options_ = "-k " + dir_ + " -p " + std::to_string(port_) +
                   " -c listen_addresses=127.0.0.1 -c max_connections=200"
                   " -c full_page_writes=off -c fsync=" +
                   (options.fsync ? "on" : "off");
  for (const std::string& s : options.settings) start_options_ += " -c " + s;
  STEPWISE_RETURN_IF_ERROR(start_server());
  return execute(std::string("CREATE ROLE ") + kTcpUser + " LOGIN SUPERUSER PASSWORD '" +
                 kTcpPassword + "'");
}

Status PostgresServer::start_server() {
  STEPWISE_RETURN_IF_ERROR(run({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-l", log_, "-w", "-t",
                                "30", "-s", "-o", start_options_, "start"},
                               "pg_ctl-start"));
  running_ = true;
  // pg_ctl -w waited for the server; check that it answers on the socket, a bounded number of
  // times in case it is still finishing its start-up.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (PQping(conninfo().c_str()) == PQPING_OK) return {};
    ::usleep(50 * 1000);
  }
  return unavailable_error("the server does not answer on " + dir_ + ": " + tail(read_file(log_)));
}

PostgresServer::~PostgresServer() {
  if (running_) (void)stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Status PostgresServer::stop() {
  if (!running_) return {};
  running_ = false;
  return run({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "fast", "-w", "-s", "stop"},
             "pg_ctl-stop");
}

Status PostgresServer::restart() {
  if (running_) STEPWISE_RETURN_IF_ERROR(stop());
  return start_server();
}

std::string PostgresServer::conninfo(const std::string& database) const {
  return "host=" + dir_ + " port=" + std::to_string(port_) + " user=postgres dbname=" + database;
}

std::string PostgresServer::uri(const std::string& database) const {
  std::string host;
  for (char c : dir_) host += c == '/' ? std::string("%2F") : std::string(1, c);
  return "postgresql://postgres@" + host + ":" + std::to_string(port_) + "/" + database;
}

std::string PostgresServer::tcp_uri(const std::string& database, const std::string& user,
                                    const std::string& password) const {
  return "postgresql://" + user + ":" + password + "@127.0.0.1:" + std::to_string(port_) + "/" +
         database;
}

Result<std::string> PostgresServer::query_value(const std::string& sql,
                                                const std::string& database) const {
  std::unique_ptr<PGconn, ConnDeleter> conn(PQconnectdb(conninfo(database).c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return unavailable_error(std::string("cannot connect: ") + PQerrorMessage(conn.get()));
  }
  PGresult* r = PQexec(conn.get(), sql.c_str());
  const ExecStatusType st = PQresultStatus(r);
  std::string value;
  if (st == PGRES_TUPLES_OK && PQntuples(r) > 0) value = PQgetvalue(r, 0, 0);
  std::string error = PQresultErrorMessage(r);
  PQclear(r);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    return internal_error("`" + sql + "` failed: " + error);
  }
  return value;
}

Status PostgresServer::execute(const std::string& sql, const std::string& database) const {
  Result<std::string> r = query_value(sql, database);
  return r.ok() ? Status() : r.status();
}

Result<std::string> PostgresServer::create_database() {
  std::string name = fresh_name("db");
  STEPWISE_RETURN_IF_ERROR(execute("CREATE DATABASE " + name));
  return name;
}

std::string PostgresServer::fresh_name(const std::string& prefix) {
  return prefix + std::to_string(++next_name_);
}

Status PostgresServer::terminate_connections(const std::string& database) {
  // The timeout makes each call wait until the backend has exited (PostgreSQL 14+), so that
  // its clients find their connections closed as soon as this returns.
  return execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '" +
                 database + "' AND pid <> pg_backend_pid()");
}

namespace {

struct Shared {
  std::unique_ptr<PostgresServer> server;
  std::string reason;
  bool tried = false;
};

Shared& shared() {
  static Shared* s = new Shared();  // stopped by PostgresEnvironment, never destroyed
  return *s;
}

}  // namespace

PostgresServer* shared_postgres_server(std::string* reason) {
  Shared& s = shared();
  if (!s.tried) {
    s.tried = true;
    Result<std::unique_ptr<PostgresServer>> started = PostgresServer::start();
    if (started.ok()) {
      s.server = std::move(*started);
    } else {
      s.reason = started.status().message();
    }
  }
  if (reason != nullptr) *reason = s.reason;
  return s.server.get();
}

void PostgresEnvironment::TearDown() { shared().server.reset(); }

}  // namespace stepwise::testing_support
