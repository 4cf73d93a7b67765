// The HTTP face of the service: cpp-httplib (the only user of it in parley) turns HTTP requests
// into api::Request values and api::Response values back into JSON replies, streams room events
// as server-sent events, and serves the web UI embedded at build time.
#pragma once

#include <memory>
#include <string>

#include "parley/base/status.h"
#include "server/api/service.h"

namespace parley::server::http {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;   // 0: any free port (BoundPort() tells which)
  int threads = 64;  // worker threads; each open event stream holds one
  std::size_t max_body_bytes = 1 << 20;
};

// "127.0.0.1:8080", "[::1]:0", ":8080" (all interfaces) -> host and port.
Result<HttpOptions> ParseListen(const std::string& listen);

class HttpServer {
 public:
  HttpServer(api::Service& service, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket; returns the port (the chosen one when asked for port 0).
  Result<int> Bind();
  // Serves until Stop(); returns once every worker has finished.
  Status Serve();
  // Safe from any thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parley::server::http
