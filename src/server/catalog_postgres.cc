// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The server's catalog in PostgreSQL (`--store postgresql://...`): one table beside the
// checkpoint store's, `stepwise_server_catalog(key, document)`, over libpq. Built when the
// PostgreSQL store is (STEPWISE_SERVER_POSTGRES).
#if defined(STEPWISE_SERVER_POSTGRES)

#include <libpq-fe.h>

#include <mutex>

#include "server/catalog.h"

namespace stepwise::internal {

namespace {

class PostgresCatalogStore final : public ServerCatalogStore {
 public:
  explicit PostgresCatalogStore(PGconn* conn) : conn_(conn) {}
  ~PostgresCatalogStore() override { PQfinish(conn_); }

  Result<std::map<std::string, std::string>> load_all() override {
    std::lock_guard<std::mutex> lock(mu_);
    PGresult* r = run("SELECT key, document FROM stepwise_server_catalog ORDER BY key", {});
    if (PQresultStatus(r) != PGRES_TUPLES_OK) return failure(r, "read");
    std::map<std::string, std::string> out;
    for (int i = 0; i < PQntuples(r); ++i) {
      out.emplace(std::string(PQgetvalue(r, i, 0), PQgetlength(r, i, 0)),
                  std::string(PQgetvalue(r, i, 1), PQgetlength(r, i, 1)));
    }
    PQclear(r);
    return out;
  }

  Status put(const std::string& key, const std::string& document) override {
    std::lock_guard<std::mutex> lock(mu_);
    PGresult* r =
        run("INSERT INTO stepwise_server_catalog(key, document) VALUES ($1, $2) "
            "ON CONFLICT (key) DO UPDATE SET document = excluded.document",
            {&key, &document});
    if (PQresultStatus(r) != PGRES_COMMAND_OK) return failure(r, "written");
    PQclear(r);
    return {};
  }

  Status erase(const std::string& key) override {
    std::lock_guard<std::mutex> lock(mu_);
    PGresult* r = run("DELETE FROM stepwise_server_catalog WHERE key = $1", {&key});
    if (PQresultStatus(r) != PGRES_COMMAND_OK) return failure(r, "written");
    PQclear(r);
    return {};
  }

 private:
  // Runs `sql` with text parameters, reconnecting once if the connection was lost.
  PGresult* run(const char* sql, std::initializer_list<const std::string*> params) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    for (const std::string* p : params) {
      values.push_back(p->data());
      lengths.push_back(static_cast<int>(p->size()));
    }
    if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
    return PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                        lengths.data(), nullptr, 0);
  }

  Status failure(PGresult* r, const char* what) {
    std::string message = PQresultErrorMessage(r);
    if (message.empty()) message = PQerrorMessage(conn_);
    PQclear(r);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return unavailable_error(std::string("the server catalog could not be ") + what + ": " +
                             message);
  }

  std::mutex mu_;
  PGconn* conn_;
};

}  // namespace

Result<std::shared_ptr<ServerCatalogStore>> make_postgres_catalog_store(
    const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return unavailable_error("cannot connect to PostgreSQL for the server catalog: " + message);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);  // no NOTICEs on stderr
  PGresult* r = PQexec(conn,
                       "CREATE TABLE IF NOT EXISTS stepwise_server_catalog("
                       "key text COLLATE \"C\" PRIMARY KEY, document text NOT NULL)");
  if (PQresultStatus(r) != PGRES_COMMAND_OK) {
    std::string message = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(conn);
    return unavailable_error("cannot create the server catalog table: " + message);
  }
  PQclear(r);
  return std::shared_ptr<ServerCatalogStore>(std::make_shared<PostgresCatalogStore>(conn));
}

}  // namespace stepwise::internal

#endif  // STEPWISE_SERVER_POSTGRES
