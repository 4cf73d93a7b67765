#include "server/store/testing/postgres_test_server.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace parley::server::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPackageHint =
    "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found in "
    "/usr/lib/postgresql/*/bin or $PARLEY_POSTGRES_BIN (Debian package postgresql; `make deps` "
    "installs it)";

bool HasPrograms(const fs::path& bin) {
  return fs::exists(bin / "initdb") && fs::exists(bin / "pg_ctl") && fs::exists(bin / "postgres");
}

// $PARLEY_POSTGRES_BIN if set (another installation), else the newest
// /usr/lib/postgresql/<version>/bin holding initdb, pg_ctl and postgres; "" when none does.
std::string FindBinDir() {
  if (const char* bin = std::getenv("PARLEY_POSTGRES_BIN"); bin != nullptr && *bin != '\0') {
    return HasPrograms(bin) ? std::string(bin) : "";
  }
  std::error_code error;
  std::vector<std::pair<int, std::string>> found;
  for (const fs::directory_entry& entry :
       fs::directory_iterator("/usr/lib/postgresql", fs::directory_options::none, error)) {
    fs::path bin = entry.path() / "bin";
    if (HasPrograms(bin)) {
      int version = std::atoi(entry.path().filename().c_str());
      found.emplace_back(version, bin.string());
    }
  }
  if (found.empty()) return "";
  return std::max_element(found.begin(), found.end())->second;
}

std::string FindRunuser() {
  for (const char* path : {"/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"}) {
    if (::access(path, X_OK) == 0) return path;
  }
  return "";
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string Tail(const std::string& text, std::size_t max_chars = 2000) {
  return text.size() <= max_chars ? text : text.substr(text.size() - max_chars);
}

}  // namespace

Result<std::unique_ptr<PostgresTestServer>> PostgresTestServer::Start(std::string* skip_reason) {
  skip_reason->clear();
  std::unique_ptr<PostgresTestServer> server(new PostgresTestServer());
  server->bin_dir_ = FindBinDir();
  if (server->bin_dir_.empty()) {
    *skip_reason = kPackageHint;
    return std::unique_ptr<PostgresTestServer>();
  }
  passwd* postgres = nullptr;
  if (::geteuid() == 0) {
    postgres = ::getpwnam("postgres");
    if (postgres == nullptr || FindRunuser().empty()) {
      *skip_reason =
          "running as root, PostgreSQL needs the `postgres` user (created by Debian's postgresql "
          "package) and runuser (util-linux)";
      return std::unique_ptr<PostgresTestServer>();
    }
    server->as_postgres_ = true;
  }
  // /tmp, not $TMPDIR: the socket's path must stay under 108 bytes.
  std::string pattern = "/tmp/parley-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return Internal("cannot create a folder in /tmp");
  server->dir_ = pattern;
  if (postgres != nullptr &&
      ::chown(server->dir_.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
    return Internal("cannot give " + server->dir_ + " to the postgres user");
  }
  std::random_device random;
  server->port_ = 20000 + static_cast<int>(random() % 40000);

  const std::string data = server->dir_ + "/data";
  PARLEY_RETURN_IF_ERROR(server->RunProgram("initdb", {"-D", data, "-U", "parley", "-A", "trust",
                                                       "-E", "UTF8", "--locale=C", "--no-sync"}));
  {
    // Unix socket in our folder only; no TCP.
    std::ofstream conf(data + "/postgresql.conf", std::ios::app);
    conf << "\nlisten_addresses = ''\n"
         << "unix_socket_directories = '" << server->dir_ << "'\n"
         << "port = " << server->port_ << "\n";
    if (!conf) return Internal("cannot write " + data + "/postgresql.conf");
  }
  PARLEY_RETURN_IF_ERROR(server->RunProgram(
      "pg_ctl", {"-D", data, "-l", server->dir_ + "/server.log", "-w", "-t", "60", "start"}));
  server->started_ = true;
  return server;
}

PostgresTestServer::~PostgresTestServer() {
  if (started_) {
    (void)RunProgram("pg_ctl", {"-D", dir_ + "/data", "-m", "immediate", "-w", "stop"});
  }
  if (!dir_.empty()) {
    std::error_code error;
    fs::remove_all(dir_, error);
  }
}

Status PostgresTestServer::RunProgram(const std::string& program,
                                      const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  if (as_postgres_) argv = {FindRunuser(), "-u", "postgres", "--"};
  argv.push_back(bin_dir_ + "/" + program);
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = dir_ + "/commands.log";
  // Everything the child needs is ready before fork: it may only make system calls.
  std::vector<char*> pointers;
  for (std::string& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return Internal("fork failed");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || null < 0) ::_exit(126);
    ::dup2(null, STDIN_FILENO);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    // Run from the folder: the postgres user may not be allowed into the caller's.
    if (::chdir(dir_.c_str()) != 0) ::_exit(126);
    ::execv(pointers[0], pointers.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  return Internal(program + " failed; " + log + " ends with:\n" + Tail(ReadText(log)) +
                  "\nserver.log ends with:\n" + Tail(ReadText(dir_ + "/server.log")));
}

std::string PostgresTestServer::Uri(const std::string& database) const {
  return "postgresql://parley@/" + database + "?host=" + dir_ + "&port=" + std::to_string(port_);
}

Status PostgresTestServer::Execute(const std::string& database, const std::string& sql) const {
  std::string uri = Uri(database) + "&application_name=parley-test";
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    return Internal("cannot connect to " + uri + ": " + message);
  }
  PGresult* result = PQexec(conn, sql.c_str());
  ExecStatusType status = PQresultStatus(result);
  std::string message = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
  return Internal(message);
}

Status PostgresTestServer::CreateDatabase(const std::string& database) const {
  bool plain = !database.empty() && std::all_of(database.begin(), database.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!plain) return InvalidInput("database names here are letters, digits and '_'");
  return Execute("postgres", "CREATE DATABASE " + database);
}

Status PostgresTestServer::Restart() const {
  return RunProgram("pg_ctl", {"-D", dir_ + "/data", "-l", dir_ + "/server.log", "-m", "fast", "-w",
                               "-t", "60", "restart"});
}

}  // namespace parley::server::testing
