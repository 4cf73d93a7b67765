#include "server/http/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/api/api.h"

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

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using ErrorCode = boost::system::error_code;

constexpr std::size_t kMaxEventsPerRead = 500;
// After an error answer that leaves a body unread, how much more is read and dropped (so the
// client sees the answer rather than a reset) before the connection is closed. Dropping costs
// no memory (one 16 KiB buffer) and the time is bounded, so the byte bound is generous: a client
// that sent a few MiB past --max-body-bytes before reading must still get its 413, not a reset
// that races its write (seen as a failed write under ASan, where the server answers sooner).
constexpr std::size_t kLingerBytes = 64 * 1024 * 1024;
constexpr auto kLingerTime = std::chrono::seconds(2);

// The web UI's policy: its own scripts, styles and connections only, never framed.
constexpr const char* kUiContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
constexpr const char* kApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

std::string JsonError(api::ErrorKind kind, const std::string& message) {
  return api::ErrorResponse(api::ApiError{kind, message}).body.dump();
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

template <typename Message>
void SetSecurityHeaders(Message& message, bool ui) {
  message.set(bhttp::field::server, "parley");
  message.set("X-Content-Type-Options", "nosniff");
  message.set(bhttp::field::cache_control, "no-store");
  message.set("X-Frame-Options", "DENY");
  message.set("Referrer-Policy", "no-referrer");
  message.set("Content-Security-Policy", ui ? kUiContentSecurityPolicy : kApiContentSecurityPolicy);
}

std::string BearerToken(const bhttp::request<bhttp::string_body>& request) {
  auto it = request.find(bhttp::field::authorization);
  if (it == request.end()) return "";
  std::string_view header(it->value().data(), it->value().size());
  if (header.size() > 7 && strncasecmp(header.data(), "Bearer ", 7) == 0) {
    std::string token(header.substr(7));
    while (!token.empty() && token.back() == ' ') token.pop_back();
    return token;
  }
  return "";
}

// "a=1&b=x%20y" -> {a: 1, b: "x y"}; false on a malformed escape.
bool ParseQuery(std::string_view query, std::map<std::string, std::string>& out) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t equals = pair.find('=');
    std::optional<std::string> key = api::PercentDecode(pair.substr(0, equals), true);
    std::optional<std::string> value =
        api::PercentDecode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), true);
    if (!key || !value) return false;
    out.emplace(std::move(*key), std::move(*value));
  }
  return true;
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

struct ServerImpl {
  api::Service& service;
  HttpOptions options;
  // Declared before the I/O context: connections still queued in it when it is destroyed
  // release their count here.
  std::mutex clients_mutex;
  std::map<std::string, int> connections_by_client;
  int connections = 0;
  std::atomic<bool> stopping{false};
  std::atomic<int> pending{0};
  net::io_context io{};
  net::thread_pool workers;
  tcp::acceptor acceptor{io};
  net::steady_timer accept_retry{io};

  ServerImpl(api::Service& service_in, HttpOptions options_in)
      : service(service_in),
        options(std::move(options_in)),
        workers(static_cast<std::size_t>(std::max(1, options.threads))) {}

  // Admits a new connection from `client`, or says why not.
  std::optional<std::pair<api::ErrorKind, std::string>> Admit(const std::string& client) {
    std::lock_guard lock(clients_mutex);
    if (connections >= options.max_connections) {
      return std::make_pair(api::ErrorKind::kUnavailable,
                            "the server has " + std::to_string(connections) +
                                " open connections, its limit (--max-connections); retry later");
    }
    int& mine = connections_by_client[client];
    if (options.max_connections_per_client > 0 && mine >= options.max_connections_per_client) {
      if (mine == 0) connections_by_client.erase(client);
      return std::make_pair(api::ErrorKind::kRateLimited,
                            "too many connections from your address (the limit is " +
                                std::to_string(options.max_connections_per_client) +
                                ", --max-connections-per-client); close some and retry");
    }
    ++mine;
    ++connections;
    return std::nullopt;
  }

  void Release(const std::string& client) {
    std::lock_guard lock(clients_mutex);
    auto it = connections_by_client.find(client);
    if (it != connections_by_client.end() && --it->second <= 0) connections_by_client.erase(it);
    --connections;
  }

  void Accept();
};

namespace {

using Request = bhttp::request<bhttp::string_body>;
using Parser = bhttp::request_parser<bhttp::string_body>;

// One connection: reads requests one after the other (HTTP/1.1 keep-alive), hands API requests
// to the workers, writes their answers; or, on the events route, becomes an event stream. Every
// handler runs on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerImpl* server, tcp::socket socket, std::string client, bool admitted)
      : server_(server),
        stream_(std::move(socket)),
        client_(std::move(client)),
        admitted_(admitted),
        timer_(stream_.get_executor()),
        write_timer_(stream_.get_executor()) {}

  ~Connection() {
    if (admitted_) server_->Release(client_);
  }

  void Start() { ReadHead(); }

  // Answers a connection refused at admission, then closes it.
  void Refuse(api::ErrorKind kind, const std::string& message) {
    refused_ = true;  // answered and closed at once: a flood of refusals holds no descriptor long
    WriteError(api::HttpStatusFor(kind), kind, message, /*close=*/true, /*keep_alive=*/false);
  }

 private:
  const HttpOptions& options() const { return server_->options; }

  // ------------------------------------------------------------------ reading requests

  // Waits for the first byte of the next request (idle timeout), then reads its head.
  void ReadHead() {
    if (server_->stopping) return Close();
    if (buffer_.size() > 0) return ReadHeadBytes();
    stream_.expires_after(options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](ErrorCode error, std::size_t n) {
                              self->buffer_.commit(n);
                              if (error || n == 0) return self->Close();
                              self->ReadHeadBytes();
                            });
  }

  void ReadHeadBytes() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    ArmDeadline(options().header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](ErrorCode error, std::size_t) {
                               self->OnHead(self->DisarmDeadline(error));
                             });
  }

  // The head and the body each have a deadline. When it passes, the pending read is cancelled
  // (not the connection closed, as the stream's own timeout would), so that a 408 can be sent.
  void ArmDeadline(std::chrono::milliseconds time) {
    stream_.expires_never();
    const std::uint64_t generation = ++deadline_generation_;
    timer_.expires_after(time);
    timer_.async_wait([self = shared_from_this(), generation](ErrorCode error) {
      if (error || generation != self->deadline_generation_) return;
      self->deadline_passed_ = true;
      ErrorCode ignored;
      self->stream_.socket().cancel(ignored);
    });
  }

  // Called first by the read's handler: the read's error, or timeout when the deadline passed.
  ErrorCode DisarmDeadline(ErrorCode error) {
    ++deadline_generation_;
    timer_.cancel();
    if (deadline_passed_) {
      deadline_passed_ = false;
      return beast::error::timeout;
    }
    return error;
  }

  void OnHead(ErrorCode error) {
    if (error == bhttp::error::header_limit) {
      // The parser has the target once the request line is complete: then the headers are too
      // large; otherwise the request line (the target) never ended within the limit.
      if (parser_->get().target().empty()) {
        return WriteError(414, api::ErrorKind::kUriTooLong,
                          "the request target is longer than " +
                              std::to_string(options().max_target_bytes) + " bytes",
                          true, false);
      }
      return WriteError(431, api::ErrorKind::kHeadersTooLarge,
                        "the request headers are larger than " +
                            std::to_string(options().max_header_bytes) + " bytes",
                        true, false);
    }
    if (error == bhttp::error::body_limit) return BodyTooLarge();
    if (error == beast::error::timeout) {
      return WriteError(408, api::ErrorKind::kTimeout,
                        "the request head did not arrive within " +
                            std::to_string(options().header_timeout.count() / 1000.0) + " s",
                        true, false);
    }
    if (error == bhttp::error::end_of_stream || error == net::error::eof ||
        error == net::error::connection_reset || error == net::error::operation_aborted) {
      return Close();
    }
    if (error) {
      return WriteError(400, api::ErrorKind::kBadRequest,
                        "malformed HTTP request: " + error.message(), true, false);
    }
    const Request& request = parser_->get();
    keep_alive_ = request.keep_alive();
    if (request.target().size() > options().max_target_bytes) {
      return WriteError(414, api::ErrorKind::kUriTooLong,
                        "the request target is longer than " +
                            std::to_string(options().max_target_bytes) + " bytes",
                        true, false);
    }
    if (parser_->is_done()) return Dispatch();
    auto expect = request.find(bhttp::field::expect);
    if (expect != request.end() && beast::iequals(expect->value(), "100-continue")) {
      // The client waits for this before it sends the body.
      auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                          request.version());
      stream_.expires_after(options().write_timeout);
      bhttp::async_write(stream_, *interim,
                         [self = shared_from_this(), interim](ErrorCode write_error, std::size_t) {
                           if (write_error) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    ArmDeadline(options().body_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_, [self = shared_from_this()](ErrorCode read_error, std::size_t) {
          ErrorCode error = self->DisarmDeadline(read_error);
          if (error == bhttp::error::body_limit) return self->BodyTooLarge();
          if (error == beast::error::timeout) {
            return self->WriteError(
                408, api::ErrorKind::kTimeout,
                "the request body did not arrive within " +
                    std::to_string(self->options().body_timeout.count() / 1000.0) + " s",
                true, false);
          }
          if (error == net::error::eof || error == net::error::connection_reset ||
              error == bhttp::error::partial_message) {
            return self->Close();
          }
          if (error) {
            return self->WriteError(400, api::ErrorKind::kBadRequest,
                                    "malformed HTTP body: " + error.message(), true, false);
          }
          self->Dispatch();
        });
  }

  void BodyTooLarge() {
    WriteError(413, api::ErrorKind::kTooLarge,
               "the body is larger than the server accepts (" +
                   std::to_string(options().max_body_bytes) + " bytes, --max-body-bytes)",
               true, false);
  }

  // ------------------------------------------------------------------ answering

  void Dispatch() {
    Request& request = parser_->get();
    std::string_view target(request.target().data(), request.target().size());
    std::size_t question = target.find('?');
    std::string path(target.substr(0, question));
    std::map<std::string, std::string> query;
    if (question != std::string_view::npos && !ParseQuery(target.substr(question + 1), query)) {
      return WriteError(400, api::ErrorKind::kBadRequest,
                        "the query string has a malformed %-escape", false, keep_alive_);
    }
    if (path.rfind("/api/", 0) != 0) return ServeAsset(request, path);
    std::vector<std::string> segments;
    if (IsEventsRoute(path, segments)) return StartStream(request, segments[2], query);

    api::Request api_request;
    api_request.method = std::string(request.method_string());
    api_request.path = std::move(path);
    api_request.query = std::move(query);
    api_request.token = BearerToken(request);
    api_request.body = std::move(request.body());
    if (server_->pending.fetch_add(1) >= options().max_pending_requests) {
      --server_->pending;
      return WriteError(503, api::ErrorKind::kUnavailable,
                        "the server is busy (" + std::to_string(options().max_pending_requests) +
                            " requests in progress); retry in a moment",
                        false, keep_alive_);
    }
    net::post(server_->workers,
              [self = shared_from_this(), api_request = std::move(api_request)]() mutable {
                api::Response response = self->server_->service.Handle(api_request);
                --self->server_->pending;
                net::post(self->stream_.get_executor(),
                          [self, response = std::move(response)] { self->WriteApi(response); });
              });
  }

  static bool IsEventsRoute(const std::string& path, std::vector<std::string>& segments) {
    std::size_t start = 1;
    while (start <= path.size()) {
      std::size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      segments.push_back(path.substr(start, end - start));
      start = end + 1;
    }
    return segments.size() == 4 && segments[0] == "api" && segments[1] == "rooms" &&
           segments[3] == "events" && !segments[2].empty();
  }

  void WriteApi(const api::Response& response) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(response.status), 11);
    SetSecurityHeaders(*message, false);
    message->set(bhttp::field::content_type, "application/json");
    if (response.status == 503) message->set(bhttp::field::retry_after, "2");
    message->body() = response.body.dump(-1, ' ', false, api::Json::error_handler_t::replace);
    Write(message, keep_alive_);
  }

  void ServeAsset(const Request& request, std::string path) {
    if (request.method() != bhttp::verb::get) {
      return WriteError(405, api::ErrorKind::kNotAllowed, "method not allowed here; use GET", false,
                        keep_alive_);
    }
    std::optional<std::string> decoded = api::PercentDecode(path, false);
    path = decoded.value_or(path).substr(1);
    if (path.empty() || path.find('.') == std::string::npos) path = "index.html";
    const web::EmbeddedFile* file = FindAsset(path);
    if (file == nullptr) {
      return WriteError(404, api::ErrorKind::kNotFound, "no such page: /" + api::Excerpt(path),
                        false, keep_alive_);
    }
    auto message =
        std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status::ok, request.version());
    SetSecurityHeaders(*message, true);
    message->set(bhttp::field::content_type, ContentType(path));
    message->body().assign(reinterpret_cast<const char*>(file->data), file->size);
    Write(message, keep_alive_);
  }

  void WriteError(int status, api::ErrorKind kind, const std::string& message, bool close,
                  bool keep_alive) {
    auto response = std::make_shared<bhttp::response<bhttp::string_body>>(
        static_cast<bhttp::status>(status), 11);
    SetSecurityHeaders(*response, false);
    response->set(bhttp::field::content_type, "application/json");
    if (status == 503 || status == 429) response->set(bhttp::field::retry_after, "2");
    response->body() = JsonError(kind, message);
    if (close) {
      Write(response, false, /*linger=*/!refused_);
    } else {
      Write(response, keep_alive);
    }
  }

  void Write(std::shared_ptr<bhttp::response<bhttp::string_body>> response, bool keep_alive,
             bool linger = false) {
    response->keep_alive(keep_alive);
    response->prepare_payload();
    stream_.expires_after(options().write_timeout);
    bhttp::async_write(
        stream_, *response,
        [self = shared_from_this(), response, keep_alive, linger](ErrorCode error, std::size_t) {
          if (error) return self->Close();
          if (linger) return self->Linger();
          if (!keep_alive) return self->Close();
          self->ReadHead();
        });
  }

  // Half-closes, then reads and drops what the client still sends (bounded in bytes and time),
  // so that it reads the answer instead of a connection reset.
  void Linger() {
    ErrorCode ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    linger_left_ = kLingerBytes;
    stream_.expires_after(kLingerTime);
    DrainForLinger();
  }

  void DrainForLinger() {
    drain_.resize(16 * 1024);
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](ErrorCode error, std::size_t n) {
                              if (error || n >= self->linger_left_) return self->Close();
                              self->linger_left_ -= n;
                              self->DrainForLinger();
                            });
  }

  void Close() {
    ErrorCode ignored;
    timer_.cancel();
    write_timer_.cancel();
    if (watch_id_ != 0) Unwatch(watch_id_);
    watch_id_ = 0;
    waiting_ = false;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    closed_ = true;
  }

  // ------------------------------------------------------------------ event streams

  // Server-sent events. EventSource cannot set headers, so this route (and only this one) also
  // takes the token as ?token=. Resumes after Last-Event-ID or ?after= (the reader's numbering).
  void StartStream(const Request& request, const std::string& room_segment,
                   const std::map<std::string, std::string>& query) {
    std::optional<std::string> room = api::PercentDecode(room_segment, false);
    if (!room) {
      return WriteError(400, api::ErrorKind::kBadRequest, "malformed %-escape in the path", false,
                        keep_alive_);
    }
    room_id_ = *room;
    token_ = BearerToken(request);
    if (token_.empty() && query.count("token")) token_ = query.at("token");
    std::string resume;
    if (auto it = request.find("Last-Event-ID"); it != request.end()) {
      resume = std::string(it->value());
    }
    if (resume.empty() && query.count("after")) resume = query.at("after");
    if (!resume.empty()) {
      auto [end, error] = std::from_chars(resume.data(), resume.data() + resume.size(), position_);
      if (error != std::errc() || end != resume.data() + resume.size() || position_ < -1) {
        return WriteError(
            400, api::ErrorKind::kBadRequest,
            "Last-Event-ID / after must be an integer, got '" + api::Excerpt(resume) + "'", false,
            keep_alive_);
      }
    }
    version_ = request.version();
    ReadEvents();
  }

  // Reads what is new for this reader on a worker; when nothing is, registers the wake-up there
  // too. Both take the room's lock, which an I/O thread never waits for.
  void ReadEvents() {
    if (closed_) return;
    woken_ = false;
    std::weak_ptr<Connection> weak = shared_from_this();
    auto executor = stream_.get_executor();
    net::post(server_->workers, [self = shared_from_this(), weak, executor, room_id = room_id_,
                                 token = token_, position = position_] {
      api::Service& service = self->server_->service;
      api::ApiResult<api::Service::Stream> stream =
          service.ReadEvents(room_id, token, position, kMaxEventsPerRead);
      std::uint64_t watch_id = 0;
      if (stream.ok() && stream.value().events.empty() && !stream.value().finished) {
        // 0 when the room changed between the read and now: the stream reads again at once.
        watch_id = service.WatchRoom(room_id, stream.value().log_size, [weak, executor] {
          net::post(executor, [weak] {
            if (auto connection = weak.lock()) connection->OnWake();
          });
        });
      }
      net::post(executor, [self, stream = std::move(stream), watch_id]() mutable {
        self->OnEvents(stream, watch_id);
      });
    });
  }

  void Unwatch(std::uint64_t watch_id) {
    net::post(server_->workers, [service = &server_->service, room_id = room_id_, watch_id] {
      service->Unwatch(room_id, watch_id);
    });
  }

  void OnEvents(api::ApiResult<api::Service::Stream>& stream, std::uint64_t watch_id) {
    if (closed_) {
      if (watch_id != 0) Unwatch(watch_id);
      return;
    }
    watch_id_ = watch_id;
    if (!stream.ok()) {
      if (!streaming_) {
        api::Response error = api::ErrorResponse(stream.error());
        return WriteApi(error);
      }
      return EndStream();  // the room went away or the token no longer reaches it
    }
    api::Service::Stream& events = stream.value();
    std::string out;
    for (const api::Json& event : events.events) {
      out += "id: " + std::to_string(event["seq"].get<std::int64_t>()) +
             "\nevent: " + event["type"].get<std::string>() +
             "\ndata: " + event.dump(-1, ' ', false, api::Json::error_handler_t::replace) + "\n\n";
    }
    position_ = events.position;
    finished_ = events.finished;
    log_size_ = events.log_size;
    const bool more = events.events.size() >= kMaxEventsPerRead;
    if (!streaming_) {
      streaming_ = true;
      stream_.expires_never();
      WatchForClose();
      auto head = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::ok, version_);
      SetSecurityHeaders(*head, false);
      head->set(bhttp::field::content_type, "text/event-stream");
      head->set("X-Accel-Buffering", "no");
      head->chunked(true);
      head->keep_alive(false);
      auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*head);
      ArmWriteTimer();
      bhttp::async_write_header(stream_.socket(), *serializer,
                                [self = shared_from_this(), head, serializer, out = std::move(out),
                                 more](ErrorCode error, std::size_t) mutable {
                                  self->write_timer_.cancel();
                                  if (error) return self->Close();
                                  self->AfterWrite(std::move(out), more);
                                });
      return;
    }
    AfterWrite(std::move(out), more);
  }

  // Writes `out` (if any), then goes on: more to read, the end, or a wait for the room.
  void AfterWrite(std::string out, bool more) {
    if (closed_) return;
    if (!out.empty()) {
      return WriteChunk(std::move(out),
                        [self = shared_from_this(), more] { self->AfterWrite("", more); });
    }
    if (finished_ && !more) return EndStream();
    if (more) return ReadEvents();
    Wait();
  }

  template <typename Then>
  void WriteChunk(std::string data, Then then) {
    auto payload = std::make_shared<std::string>(std::move(data));
    writing_ = true;
    ArmWriteTimer();
    net::async_write(stream_.socket(), bhttp::make_chunk(net::buffer(*payload)),
                     [self = shared_from_this(), payload, then](ErrorCode error, std::size_t) {
                       self->writing_ = false;
                       self->write_timer_.cancel();
                       if (error) return self->Close();
                       then();
                     });
  }

  void ArmWriteTimer() {
    write_timer_.expires_after(options().write_timeout);
    write_timer_.async_wait([self = shared_from_this()](ErrorCode error) {
      if (!error) self->Close();  // the client stopped reading
    });
  }

  // Sleeps until the room changes (a wake-up from the thread that commits, registered by the
  // read that found nothing new) or the keep-alive interval passes; never polls the room.
  void Wait() {
    if (watch_id_ == 0 || woken_) {  // the last read found events, or the room changed since
      watch_id_ = 0;
      return ReadEvents();
    }
    waiting_ = true;
    ArmKeepAlive();
  }

  // A comment line every keep_alive_interval keeps proxies from closing a quiet stream and
  // finds clients that went away without closing.
  void ArmKeepAlive() {
    timer_.expires_after(options().keep_alive_interval);
    timer_.async_wait([self = shared_from_this()](ErrorCode error) {
      if (error || self->closed_ || !self->waiting_ || self->writing_) return;
      self->WriteChunk(": keep-alive\n\n", [self] {
        if (self->pending_wake_) {
          self->pending_wake_ = false;
          return self->ReadEvents();
        }
        if (self->waiting_) self->ArmKeepAlive();
      });
    });
  }

  void OnWake() {
    if (closed_) return;
    woken_ = true;  // may arrive before the read that registered the watch is back here
    if (!waiting_) return;
    waiting_ = false;
    watch_id_ = 0;  // the service forgets a watch once it has called it
    timer_.cancel();
    if (writing_) {
      pending_wake_ = true;  // a keep-alive line is going out; read once it is written
      return;
    }
    ReadEvents();
  }

  // The client sends nothing on an event stream; a read completes when it goes away.
  void WatchForClose() {
    drain_.resize(4096);
    stream_.socket().async_read_some(net::buffer(drain_),
                                     [self = shared_from_this()](ErrorCode error, std::size_t) {
                                       if (error) return self->Close();
                                       if (!self->closed_) self->WatchForClose();
                                     });
  }

  void EndStream() {
    if (closed_) return;
    ArmWriteTimer();
    net::async_write(stream_.socket(), bhttp::make_chunk_last(),
                     [self = shared_from_this()](ErrorCode, std::size_t) {
                       self->write_timer_.cancel();
                       self->Close();
                     });
  }

  ServerImpl* server_;  // outlives every connection (they live in its I/O context)
  beast::tcp_stream stream_;
  std::string client_;
  bool admitted_ = false;
  beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  bool keep_alive_ = true;
  std::vector<char> drain_;
  std::size_t linger_left_ = 0;
  bool closed_ = false;

  // Event stream state.
  std::uint64_t deadline_generation_ = 0;
  bool deadline_passed_ = false;
  net::steady_timer timer_;        // the head's and body's deadlines; on a stream, keep-alives
  net::steady_timer write_timer_;  // a write that does not finish closes the connection
  std::string room_id_;
  std::string token_;
  unsigned version_ = 11;
  std::int64_t position_ = -1;
  std::size_t log_size_ = 0;
  bool finished_ = false;
  bool streaming_ = false;
  bool writing_ = false;
  bool pending_wake_ = false;
  bool waiting_ = false;  // for a wake-up, with watch_id_ registered
  bool woken_ = false;    // a wake-up came since the last read started
  bool refused_ = false;  // refused at admission
  std::uint64_t watch_id_ = 0;
};

}  // namespace

void ServerImpl::Accept() {
  acceptor.async_accept(net::make_strand(io), [self = this](ErrorCode error, tcp::socket socket) {
    if (self->stopping) return;
    if (!error) {
      ErrorCode peer_error;
      tcp::endpoint peer = socket.remote_endpoint(peer_error);
      std::string client = peer_error ? "unknown" : peer.address().to_string();
      std::optional<std::pair<api::ErrorKind, std::string>> refusal = self->Admit(client);
      auto connection =
          std::make_shared<Connection>(self, std::move(socket), client, !refusal.has_value());
      if (refusal) {
        connection->Refuse(refusal->first, refusal->second);
      } else {
        connection->Start();
      }
    } else if (error != net::error::operation_aborted) {
      // Out of file descriptors or memory: wait a little rather than fail in a loop.
      self->accept_retry.expires_after(std::chrono::milliseconds(100));
      self->accept_retry.async_wait([self](ErrorCode) {
        if (!self->stopping) self->Accept();
      });
      return;
    }
    self->Accept();
  });
}

HttpServer::HttpServer(api::Service& service, HttpOptions options)
    : impl_(std::make_unique<ServerImpl>(service, std::move(options))) {}

HttpServer::~HttpServer() {
  Stop();
  impl_->workers.join();  // requests in progress finish; their answers go nowhere
}

Result<int> HttpServer::Bind() {
  ServerImpl& impl = *impl_;
  ErrorCode error;
  net::ip::address address = net::ip::make_address(impl.options.host, error);
  if (error) {
    return InvalidInput("cannot listen on '" + impl.options.host + "': not an IP address",
                        Location::InField("--listen"));
  }
  tcp::endpoint endpoint(address, static_cast<unsigned short>(impl.options.port));
  std::string where = (address.is_v6() ? "[" + impl.options.host + "]" : impl.options.host) + ":" +
                      std::to_string(impl.options.port);
  impl.acceptor.open(endpoint.protocol(), error);
  // SO_REUSEADDR lets a restarted server bind while old connections linger in TIME_WAIT; on Linux
  // it never lets two servers listen on one port (SO_REUSEPORT would, and is not set).
  if (!error) impl.acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) impl.acceptor.bind(endpoint, error);
  if (!error) impl.acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    ErrorCode ignored;
    impl.acceptor.close(ignored);
    std::string reason = error == net::error::address_in_use
                             ? "the address is already in use (is another server running?)"
                         : error == boost::system::errc::address_not_available
                             ? "not an address of this machine"
                             : error.message();
    return InvalidInput("cannot listen on " + where + ": " + reason, Location::InField("--listen"));
  }
  return static_cast<int>(impl.acceptor.local_endpoint().port());
}

Status HttpServer::Serve() {
  ServerImpl& impl = *impl_;
  if (!impl.acceptor.is_open()) PARLEY_RETURN_IF_ERROR(Bind().status());
  impl.Accept();
  std::vector<std::thread> threads;
  for (int thread_idx = 1; thread_idx < std::max(1, impl.options.io_threads); ++thread_idx) {
    threads.emplace_back([&impl] { impl.io.run(); });
  }
  impl.io.run();
  for (std::thread& thread : threads) thread.join();
  return Status::Ok();
}

void HttpServer::Stop() {
  ServerImpl* impl = impl_.get();
  if (impl->stopping.exchange(true)) return;
  net::post(impl->io, [impl] {
    ErrorCode ignored;
    impl->acceptor.close(ignored);
    impl->io.stop();
  });
}

}  // namespace parley::server::http
