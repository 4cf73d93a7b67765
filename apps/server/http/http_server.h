// The HTTP face of the service, on Boost.Beast/Asio (the only user of them in parley): it turns
// HTTP requests into api::Request values and api::Response values back into JSON replies, streams
// room events as server-sent events, and serves the web UI embedded at build time.
//
// Connections are asynchronous: a few I/O threads read and write every connection, and a request
// occupies one of the `threads` workers only while the service handles it. An idle keep-alive
// connection, a client sending its headers one byte at a time, or an open event stream holds a
// socket and a few kilobytes, never a worker. Every bound is checked while reading (docs/live.md,
// "Limits"): the request head must arrive within `header_timeout` of its first byte and fit in
// `max_header_bytes` (the target in `max_target_bytes`, else 414), the body within `body_timeout`
// and `max_body_bytes` (413 as soon as a Content-Length or the chunks read so far pass it), an
// idle connection is closed after `idle_timeout`, and one client address may hold at most
// `max_connections_per_client` connections (`max_connections` in all).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "parley/base/status.h"
#include "server/api/service.h"

namespace parley::server::http {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;   // 0: any free port (BoundPort() tells which)
  int threads = 16;  // request workers; connections and event streams hold none
  int io_threads = 2;
  std::size_t max_body_bytes = std::size_t{1} << 20;
  std::size_t max_header_bytes = 16 * 1024;  // request line and headers together
  std::size_t max_target_bytes = 8 * 1024;   // the request target (path and query)
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds keep_alive_interval{15'000};  // comment lines on idle event streams
  int max_connections = 1024;
  int max_connections_per_client = 64;  // 0: no per-client limit
  // Requests admitted to the workers at once (running or waiting); beyond, 503 at once.
  int max_pending_requests = 512;
};

// "127.0.0.1:8080", "[::1]:0", ":8080" (all interfaces) -> host and port.
Result<HttpOptions> ParseListen(const std::string& listen);

struct ServerImpl;  // http_server.cc

class HttpServer {
 public:
  HttpServer(api::Service& service, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket (no SO_REUSEPORT: a port another server listens on is refused);
  // returns the port (the chosen one when asked for port 0).
  Result<int> Bind();
  // Serves until Stop(); returns once every thread has finished.
  Status Serve();
  // Safe from any thread.
  void Stop();

 private:
  std::unique_ptr<ServerImpl> impl_;
};

}  // namespace parley::server::http
