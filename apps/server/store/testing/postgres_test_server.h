// A throwaway PostgreSQL server for tests and benchmarks: Debian's binaries
// (/usr/lib/postgresql/<version>/bin, package `postgresql`, or the folder named by
// $PARLEY_POSTGRES_BIN) initialise a cluster in a fresh
// folder under /tmp and serve it on a unix socket there only (no TCP), with trust
// authentication for the database user `parley`. The server is stopped (`pg_ctl stop -m
// immediate`) and the folder removed when the object goes away.
//
// PostgreSQL refuses to run as root: under root (as in CI) initdb and pg_ctl run as the `postgres`
// user through `runuser -u postgres --`, and the folder is given to that user.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "parley/base/status.h"

namespace parley::server::testing {

class PostgresTestServer {
 public:
  // Starts a server. `skip_reason` is set (and nullptr returned) when this machine cannot run
  // one: no binaries, or root without a `postgres` user. Otherwise a failure to start is an
  // error status naming the server's log.
  static Result<std::unique_ptr<PostgresTestServer>> Start(std::string* skip_reason);

  ~PostgresTestServer();
  PostgresTestServer(const PostgresTestServer&) = delete;
  PostgresTestServer& operator=(const PostgresTestServer&) = delete;

  // A libpq URI for `database` on this server, as user `parley`.
  std::string Uri(const std::string& database) const;
  // Creates an empty database named `database` (letters, digits and '_').
  Status CreateDatabase(const std::string& database) const;
  // Runs constant SQL on `database`; returns the server's error as a status.
  Status Execute(const std::string& database, const std::string& sql) const;
  // `pg_ctl restart -m fast`: every client connection is dropped.
  Status Restart() const;

  const std::string& dir() const { return dir_; }
  int port() const { return port_; }

 private:
  PostgresTestServer() = default;
  // Runs a PostgreSQL program from bin_dir_ (as `postgres` when root), output to DIR/commands.log.
  Status RunProgram(const std::string& program, const std::vector<std::string>& args) const;

  std::string bin_dir_;
  std::string dir_;
  int port_ = 0;
  bool as_postgres_ = false;
  bool started_ = false;
};

}  // namespace parley::server::testing
