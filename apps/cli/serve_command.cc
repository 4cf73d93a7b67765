// `parley serve [--db parley.db] [--listen 127.0.0.1:8080]`: the live mediation server (HTTP/JSON
// API, server-sent events and the web UI; docs/live.md, docs/http-api.md).
//
// The first mediator's way in is an admin token, which creates rooms. On a first start (no admin
// token in the database) the server makes one and prints it once; with --admin-token-file FILE,
// the token in FILE is used (and registered), or a new one is written there (mode 0600) when FILE
// does not exist. The bound address is printed as "listening on http://HOST:PORT", so
// --listen 127.0.0.1:0 (any free port) can be used by scripts and tests. --db takes an SQLite file
// or a PostgreSQL connection URI (server::OpenStore); passwords in it are never printed.
#include <fmt/format.h>
#include <pthread.h>
#include <sys/stat.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "commands.h"
#include "parley/base/file.h"
#include "server/api/service.h"
#include "server/http/http_server.h"
#include "server/store/store.h"

namespace parley::cli {
namespace {

struct ServeOptions {
  std::string db = "parley.db";
  std::string listen = "127.0.0.1:8080";
  std::string admin_token_file;
  int threads = 64;
  double rate_limit = 100;
};

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

Status SetUpAdminToken(server::api::Service& service, const std::string& file) {
  if (!file.empty()) {
    std::ifstream in(file);
    if (in) {
      std::stringstream buffer;
      buffer << in.rdbuf();
      Status status = service.RegisterAdminToken(Trim(buffer.str()));
      if (!status.ok()) return status.WithFile(file);
      std::printf("admin token: read from %s\n", file.c_str());
      return Status::Ok();
    }
    PARLEY_ASSIGN_OR_RETURN(std::string token, service.CreateAdminToken());
    PARLEY_RETURN_IF_ERROR(WriteFileAtomically(file, token + "\n"));
    ::chmod(file.c_str(), 0600);
    std::printf("admin token: written to %s\n", file.c_str());
    return Status::Ok();
  }
  if (service.HasAdminToken()) {
    std::printf("admin token: already set up (use --admin-token-file to add one)\n");
    return Status::Ok();
  }
  PARLEY_ASSIGN_OR_RETURN(std::string token, service.CreateAdminToken());
  std::printf("admin token (shown once; it creates rooms): %s\n", token.c_str());
  return Status::Ok();
}

Status Serve(const ServeOptions& options) {
  PARLEY_ASSIGN_OR_RETURN(server::http::HttpOptions http_options,
                          server::http::ParseListen(options.listen));
  http_options.threads = options.threads;
  if (options.threads < 4 || options.threads > 1024) {
    return InvalidInput("--threads must be between 4 and 1024", Location::InField("--threads"));
  }
  if (options.rate_limit < 0) {
    return InvalidInput("--rate-limit must be 0 (off) or more", Location::InField("--rate-limit"));
  }
  // Signals are taken by one thread with sigwait, so the HTTP workers never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<server::Store> store, server::OpenStore(options.db));
  server::api::ServiceOptions service_options;
  service_options.rate_per_second = options.rate_limit;
  service_options.rate_burst = std::max(20.0, options.rate_limit * 2);
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<server::api::Service> service,
                          server::api::Service::Open(std::move(store), service_options));
  PARLEY_RETURN_IF_ERROR(SetUpAdminToken(*service, options.admin_token_file));
  server::http::HttpServer http(*service, http_options);
  PARLEY_ASSIGN_OR_RETURN(int port, http.Bind());
  std::string host = http_options.host.find(':') != std::string::npos
                         ? "[" + http_options.host + "]"
                         : http_options.host;
  std::printf("parley serve: %zu rooms in %s; listening on http://%s:%d\n", service->NumRooms(),
              server::RedactConnection(options.db).c_str(), host.c_str(), port);
  std::fflush(stdout);
  std::thread waiter([&http, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    http.Stop();
  });
  Status status = http.Serve();
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::printf("parley serve: stopped\n");
  return status;
}

}  // namespace

void AddServeCommand(CLI::App& app, std::vector<Action>& actions) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* command = app.add_subcommand(
      "serve", "Run the live mediation server: HTTP/JSON API, live events and the web UI");
  command
      ->add_option("--db", options->db,
                   "SQLite database file (created if missing), or a PostgreSQL connection URI "
                   "(postgresql://USER@HOST/DBNAME)")
      ->capture_default_str();
  command->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  command->add_option("--admin-token-file", options->admin_token_file,
                      "file holding the admin token (created with a new token if missing)");
  command
      ->add_option("--threads", options->threads,
                   "HTTP worker threads (each event stream "
                   "holds one)")
      ->capture_default_str();
  command
      ->add_option("--rate-limit", options->rate_limit,
                   "requests per second allowed per token (0: no limit)")
      ->capture_default_str();
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status { return Serve(*options); });
  });
}

}  // namespace parley::cli
