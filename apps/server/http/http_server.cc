#include "server/http/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <charconv>
#include <cstring>

namespace parley::server::web {
struct EmbeddedFile {
  const char* path;
  const unsigned char* data;
  std::size_t size;
};
extern const EmbeddedFile kFiles[];
extern const std::size_t kNumFiles;
}  // namespace parley::server::web

namespace parley::server::http {
namespace {

constexpr auto kStreamWait = std::chrono::seconds(2);

std::string JsonError(int status, const std::string& message) {
  api::ErrorKind kind = api::ErrorKind::kInternal;
  for (api::ErrorKind candidate :
       {api::ErrorKind::kBadRequest, api::ErrorKind::kUnauthorized, api::ErrorKind::kForbidden,
        api::ErrorKind::kNotFound, api::ErrorKind::kNotAllowed, api::ErrorKind::kConflict,
        api::ErrorKind::kTooLarge, api::ErrorKind::kUnprocessable, api::ErrorKind::kRateLimited}) {
    if (api::HttpStatusFor(candidate) == status) kind = candidate;
  }
  return api::Json{{"error", api::ErrorKindName(kind)}, {"message", message}}.dump();
}

std::string BearerToken(const httplib::Request& request) {
  std::string header = request.get_header_value("Authorization");
  if (header.size() > 7 && strncasecmp(header.c_str(), "Bearer ", 7) == 0) {
    std::string token = header.substr(7);
    while (!token.empty() && token.back() == ' ') token.pop_back();
    return token;
  }
  return "";
}

const char* ContentType(const std::string& path) {
  auto ends_with = [&](const char* suffix) {
    std::size_t length = std::strlen(suffix);
    return path.size() >= length && path.compare(path.size() - length, length, suffix) == 0;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

const web::EmbeddedFile* FindAsset(const std::string& path) {
  for (std::size_t file_idx = 0; file_idx < web::kNumFiles; ++file_idx) {
    if (path == web::kFiles[file_idx].path) return &web::kFiles[file_idx];
  }
  return nullptr;
}

void SetSecurityHeaders(httplib::Response& response) {
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Cache-Control", "no-store");
}

}  // namespace

Result<HttpOptions> ParseListen(const std::string& listen) {
  HttpOptions options;
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return InvalidInput("--listen must be HOST:PORT (e.g. 127.0.0.1:8080), got '" + listen + "'",
                        Location::InField("--listen"));
  }
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  int port = -1;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port < 0 ||
      port > 65535) {
    return InvalidInput(
        "--listen: the port must be a number from 0 to 65535, got '" + port_text + "'",
        Location::InField("--listen"));
  }
  options.host = host;
  options.port = port;
  return options;
}

struct HttpServer::Impl {
  api::Service& service;
  HttpOptions options;
  httplib::Server server;
  std::atomic<bool> stopping{false};
  int bound_port = -1;
  int listen_fd = -1;  // captured when httplib creates the listening socket

  Impl(api::Service& service_in, HttpOptions options_in)
      : service(service_in), options(std::move(options_in)) {
    const int threads = std::max(4, options.threads);
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_payload_max_length(options.max_body_bytes);
    server.set_socket_options([this](socket_t sock) {
      httplib::default_socket_options(sock);
      listen_fd = sock;
    });
    server.set_read_timeout(30, 0);
    server.set_write_timeout(30, 0);
    server.set_keep_alive_max_count(10'000);
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
          response.status = 500;
          response.set_content(JsonError(500, "internal error"), "application/json");
        });
    server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
      if (!response.body.empty()) return;
      std::string message = response.status == 413   ? "the body is larger than the server accepts"
                            : response.status == 404 ? "no such page: " + request.path
                                                     : "the request could not be handled";
      response.set_content(JsonError(response.status, message), "application/json");
    });

    server.Get(R"(/api/rooms/([^/]+)/events)",
               [this](const httplib::Request& request, httplib::Response& response) {
                 Events(request, response);
               });
    auto api_handler = [this](const httplib::Request& request, httplib::Response& response) {
      Api(request, response);
    };
    server.Get(R"(/api/.*)", api_handler);
    server.Post(R"(/api/.*)", api_handler);
    server.Put(R"(/api/.*)", api_handler);
    server.Delete(R"(/api/.*)", api_handler);
    server.Patch(R"(/api/.*)", api_handler);
    server.Get(R"(/(.*))", [](const httplib::Request& request, httplib::Response& response) {
      std::string path = request.matches[1];
      if (path.empty() || path.find('.') == std::string::npos) path = "index.html";
      const web::EmbeddedFile* file = FindAsset(path);
      if (file == nullptr) {
        response.status = 404;
        response.set_content(JsonError(404, "no such page: /" + path), "application/json");
        return;
      }
      SetSecurityHeaders(response);
      response.set_content(reinterpret_cast<const char*>(file->data), file->size,
                           ContentType(path));
    });
  }

  void Api(const httplib::Request& http_request, httplib::Response& http_response) {
    api::Request request;
    request.method = http_request.method;
    request.path = http_request.path;
    for (const auto& [key, value] : http_request.params) request.query[key] = value;
    request.token = BearerToken(http_request);
    request.body = http_request.body;
    api::Response response = service.Handle(request);
    http_response.status = response.status;
    SetSecurityHeaders(http_response);
    http_response.set_content(response.body.dump(), "application/json");
  }

  // Server-sent events. EventSource cannot set headers, so this route (and only this one) also
  // takes the token as ?token=. Resumes after Last-Event-ID or ?after=.
  void Events(const httplib::Request& request, httplib::Response& response) {
    std::string room_id = request.matches[1];
    std::string token = BearerToken(request);
    if (token.empty() && request.has_param("token")) token = request.get_param_value("token");
    std::int64_t after = -1;
    std::string resume = request.get_header_value("Last-Event-ID");
    if (resume.empty() && request.has_param("after")) resume = request.get_param_value("after");
    if (!resume.empty()) {
      auto [end, error] = std::from_chars(resume.data(), resume.data() + resume.size(), after);
      if (error != std::errc() || end != resume.data() + resume.size()) {
        response.status = 400;
        response.set_content(JsonError(400, "Last-Event-ID / after must be an integer"),
                             "application/json");
        return;
      }
    }
    api::ApiResult<api::Service::Stream> check =
        service.WaitForEvents(room_id, token, after, std::chrono::milliseconds(0));
    if (!check.ok()) {
      api::Response error = api::ErrorResponse(check.error());
      response.status = error.status;
      response.set_content(error.body.dump(), "application/json");
      return;
    }
    SetSecurityHeaders(response);
    auto position = std::make_shared<std::int64_t>(after);
    response.set_chunked_content_provider(
        "text/event-stream",
        [this, room_id, token, position](std::size_t, httplib::DataSink& sink) {
          if (stopping) {
            sink.done();
            return true;
          }
          api::ApiResult<api::Service::Stream> stream =
              service.WaitForEvents(room_id, token, *position, kStreamWait);
          if (!stream.ok()) {
            sink.done();
            return true;
          }
          std::string out;
          for (const api::Json& event : stream.value().events) {
            std::int64_t seq = event["seq"].get<std::int64_t>();
            out += "id: " + std::to_string(seq) + "\nevent: " + event["type"].get<std::string>() +
                   "\ndata: " + event.dump() + "\n\n";
            *position = seq;
          }
          if (out.empty()) out = ": keep-alive\n\n";
          if (!sink.write(out.data(), out.size())) return false;
          if (stream.value().finished) sink.done();
          return true;
        });
  }
};

HttpServer::HttpServer(api::Service& service, HttpOptions options)
    : impl_(std::make_unique<Impl>(service, std::move(options))) {}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Bind() {
  int port = impl_->options.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(impl_->options.host);
  } else if (!impl_->server.bind_to_port(impl_->options.host, port)) {
    port = -1;
  }
  if (port < 0) {
    return InvalidInput("cannot listen on " + impl_->options.host + ":" +
                            std::to_string(impl_->options.port) +
                            " (address in use, or not an address of this machine)",
                        Location::InField("--listen"));
  }
  impl_->bound_port = port;
  // cpp-httplib listens with a backlog of 5; a burst of clients connecting at once would overflow
  // it (connections reset after the handshake). listen() again raises it on Linux.
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  return port;
}

Status HttpServer::Serve() {
  if (impl_->bound_port < 0) PARLEY_RETURN_IF_ERROR(Bind().status());
  if (!impl_->server.listen_after_bind() && !impl_->stopping) {
    return Internal("the HTTP server stopped unexpectedly");
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  impl_->stopping = true;
  impl_->server.stop();
}

}  // namespace parley::server::http
