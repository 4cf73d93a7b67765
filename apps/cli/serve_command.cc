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

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "commands.h"
#include "parley/base/file.h"
#include "parley/base/strings.h"
#include "server/api/service.h"
#include "server/http/http_server.h"
#include "server/store/store.h"

namespace parley::cli {
namespace {

struct ServeOptions {
  std::string db = "parley.db";
  std::string listen = "127.0.0.1:8080";
  std::string admin_token_file;
  server::http::HttpOptions http;
  double rate_limit = 100;
  double header_timeout = 10;
  double body_timeout = 30;
  double idle_timeout = 60;
  double analysis_time_limit = 10;
  std::size_t analysis_memory_limit_mib = 512;
  int analysis_concurrency = 2;
};

std::chrono::milliseconds Milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

Status SetUpAdminToken(server::api::Service& service, const std::string& file) {
  if (!file.empty()) {
    std::ifstream in(file);
    if (in) {
      std::stringstream buffer;
      buffer << in.rdbuf();
      Status status = service.RegisterAdminToken(std::string(Trim(buffer.str())));
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
  PARLEY_ASSIGN_OR_RETURN(server::http::HttpOptions listen,
                          server::http::ParseListen(options.listen));
  server::http::HttpOptions http_options = options.http;
  http_options.host = listen.host;
  http_options.port = listen.port;
  http_options.header_timeout = Milliseconds(options.header_timeout);
  http_options.body_timeout = Milliseconds(options.body_timeout);
  http_options.idle_timeout = Milliseconds(options.idle_timeout);
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
  service_options.max_body_bytes = http_options.max_body_bytes;
  service_options.compute.time = Milliseconds(options.analysis_time_limit);
  service_options.compute.memory_bytes = options.analysis_memory_limit_mib << 20;
  service_options.compute.concurrency = options.analysis_concurrency;
  PARLEY_ASSIGN_OR_RETURN(std::unique_ptr<server::api::Service> service,
                          server::api::Service::Open(std::move(store), service_options));
  for (const std::string& warning : service->load_warnings()) {
    std::fprintf(stderr, "parley serve: %s\n", warning.c_str());
  }
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
      ->add_option("--threads", options->http.threads,
                   "request workers (connections and event streams hold none)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  command
      ->add_option("--rate-limit", options->rate_limit,
                   "requests per second allowed per token (0: no limit)")
      ->capture_default_str();
  command
      ->add_option("--max-body-bytes", options->http.max_body_bytes,
                   "largest request body, checked while reading (chunked too): 413 beyond")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30))
      ->capture_default_str();
  command
      ->add_option("--max-connections", options->http.max_connections,
                   "open connections in all (event streams included): 503 beyond")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  command
      ->add_option("--max-connections-per-client", options->http.max_connections_per_client,
                   "open connections from one client address: 429 beyond (0: no limit; behind a "
                   "reverse proxy every client shares its address)")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  command
      ->add_option("--header-timeout", options->header_timeout,
                   "seconds for a request's line and headers to arrive, from their first byte")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  command
      ->add_option("--body-timeout", options->body_timeout,
                   "seconds for a request's body to arrive once its headers have")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  command
      ->add_option("--idle-timeout", options->idle_timeout,
                   "seconds a kept-alive connection may wait for its next request")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  command
      ->add_option("--analysis-time-limit", options->analysis_time_limit,
                   "seconds one analysis (or an export's reference points) may run: 422 beyond")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  command
      ->add_option("--analysis-memory-limit", options->analysis_memory_limit_mib,
                   "MiB one analysis may use (its frontier and counting structures): 422 beyond")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20))
      ->capture_default_str();
  command
      ->add_option("--analysis-concurrency", options->analysis_concurrency,
                   "analyses (and exports) run at once; others wait up to 2 s, then 503")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->callback([options, &actions] {
    actions.push_back([options]() -> Status { return Serve(*options); });
  });
}

}  // namespace parley::cli
