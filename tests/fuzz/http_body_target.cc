// Fuzz target for the server's request bodies. The first byte picks a route (and the token that
// may use it), the rest is the body, sent through Service::Handle, the function the HTTP layer
// calls, so every parser a route runs on its body (JSON, fields, outcomes, preferences, scenarios,
// strategy specs) sees the input exactly as over HTTP. Every input starts from the same room: the
// ceasefire example with both principals, a working group and its member, and one text relayed;
// the service is rebuilt from its event log after any request that may have changed it.
// What must hold: no crash, and no 5xx (a body is the client's mistake, never the server's).
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"
#include "parley/base/file.h"
#include "parley/io/outcome_json.h"
#include "parley/io/scenario_io.h"
#include "server/api/service.h"
#include "server/store/store.h"

namespace parley::fuzz {
namespace {

using server::StoredEvent;
using server::StoredRoom;
using server::StoredToken;
using server::api::Json;
using server::api::Request;
using server::api::Response;

// The log in memory: what the service reads at start and appends to.
class MemoryStore : public server::Store {
 public:
  MemoryStore(std::vector<StoredEvent> events, std::vector<StoredToken> tokens)
      : events_(std::move(events)), tokens_(std::move(tokens)) {}

  Status Append(const StoredEvent& event, const std::vector<StoredToken>& tokens,
                const std::optional<StoredRoom>&) override {
    events_.push_back(event);
    tokens_.insert(tokens_.end(), tokens.begin(), tokens.end());
    return Status::Ok();
  }
  Status PutToken(const StoredToken& token) override {
    tokens_.push_back(token);
    return Status::Ok();
  }
  Result<std::vector<StoredEvent>> LoadEvents() override { return events_; }
  Result<std::vector<StoredToken>> LoadTokens() override { return tokens_; }
  Result<std::vector<StoredRoom>> LoadRooms() override { return std::vector<StoredRoom>{}; }
  std::string Backend() const override { return "memory"; }

  const std::vector<StoredEvent>& events() const { return events_; }
  const std::vector<StoredToken>& tokens() const { return tokens_; }

 private:
  std::vector<StoredEvent> events_;
  std::vector<StoredToken> tokens_;
};

enum class Who { kAdmin, kMediator, kPrincipal, kOtherPrincipal, kMember };

struct Route {
  const char* method;
  std::string path;  // after /api/rooms/<room>; empty for POST /api/rooms
  Who who;
  Json seed;  // a body the route accepts
};

// The room every input starts from, and the tokens of its participants.
class Fixture {
 public:
  Fixture() {
    Result<std::string> text =
        ReadFileToString(SourceDir() + "/examples/ceasefire.yaml", std::uint64_t{1} << 20);
    if (!text.ok()) Fail(text.status().ToString());
    Result<std::string> other =
        ReadFileToString(SourceDir() + "/examples/riverside.yaml", std::uint64_t{1} << 20);
    if (!other.ok()) Fail(other.status().ToString());
    Result<model::Scenario> scenario = io::ReadParleyYaml(*text, "ceasefire.yaml");
    if (!scenario.ok()) Fail(scenario.status().ToString());
    std::vector<std::size_t> principals = scenario->PrincipalIndices();
    const std::string first = scenario->parties[principals.at(0)].id;
    const std::string second = scenario->parties[principals.at(1)].id;
    const std::string issue = scenario->issues.at(0).id;

    auto store =
        std::make_unique<MemoryStore>(std::vector<StoredEvent>{}, std::vector<StoredToken>{});
    MemoryStore* log = store.get();
    Open(std::move(store));
    Result<std::string> admin = service_->CreateAdminToken();
    if (!admin.ok()) Fail(admin.status().ToString());
    tokens_[static_cast<int>(Who::kAdmin)] = *admin;
    Json room = Setup("POST", "/api/rooms", *admin, Json{{"scenario", *text}});
    room_ = room["room"]["id"].get<std::string>();
    tokens_[static_cast<int>(Who::kMediator)] = room["token"].get<std::string>();
    const std::string& mediator = tokens_[static_cast<int>(Who::kMediator)];
    tokens_[static_cast<int>(Who::kPrincipal)] =
        Setup("POST", RoomPath("/participants"), mediator,
              Json{{"role", "principal"}, {"party", first}})["token"];
    tokens_[static_cast<int>(Who::kOtherPrincipal)] =
        Setup("POST", RoomPath("/participants"), mediator,
              Json{{"role", "principal"}, {"party", second}})["token"];
    std::string group = Setup("POST", RoomPath("/groups"), mediator,
                              Json{{"name", "drafting"}, {"issues", {issue}}})["group"]["id"];
    tokens_[static_cast<int>(Who::kMember)] =
        Setup("POST", RoomPath("/participants"), mediator,
              Json{{"role", "member"}, {"group", group}})["token"];
    model::Outcome outcome(scenario->issues.size(), 0);
    const Json outcome_json = io::OutcomeJson(*scenario, outcome);
    Setup("POST", RoomPath("/texts"), mediator, Json{{"outcome", outcome_json}});
    // Shuttle takes each principal's proposal before the mediator may relay (docs/http-api.md);
    // two different proposals, so the round does not end in agreement.
    model::Outcome other_outcome = outcome;
    other_outcome[0] = 1;
    Setup("POST", RoomPath("/proposals"), tokens_[static_cast<int>(Who::kPrincipal)],
          Json{{"outcome", outcome_json}});
    Setup("POST", RoomPath("/proposals"), tokens_[static_cast<int>(Who::kOtherPrincipal)],
          Json{{"outcome", io::OutcomeJson(*scenario, other_outcome)}});
    Setup("POST", RoomPath("/texts/1/relay"), mediator, Json::object());
    events_ = log->events();
    stored_tokens_ = log->tokens();

    Json weights = Json::object();
    for (const model::Issue& scenario_issue : scenario->issues) weights[scenario_issue.id] = 1;
    routes_ = {
        {"POST", "", Who::kAdmin, Json{{"scenario", *other}, {"title", "t"}, {"rounds", 10}}},
        {"POST", "/participants", Who::kMediator, Json{{"role", "observer"}, {"name", "o"}}},
        {"POST", "/engines", Who::kMediator, Json{{"party", second}, {"strategy", "boulware"}}},
        {"PUT", "/preferences", Who::kPrincipal, Json{{"weights", weights}, {"reservation", 0.2}}},
        {"POST", "/proposals", Who::kPrincipal, Json{{"outcome", outcome_json}, {"note", "n"}}},
        {"POST", "/texts", Who::kMediator, Json{{"outcome", outcome_json}, {"note", "n"}}},
        {"POST", "/texts/1/relay", Who::kMediator, Json{{"to", {first}}, {"note", "n"}}},
        {"POST", "/responses", Who::kOtherPrincipal, Json{{"version", 1}, {"accept", true}}},
        {"POST", "/messages", Who::kMediator, Json{{"to", {first}}, {"text", "hello"}}},
        {"POST", "/messages", Who::kPrincipal,
         Json{{"to", {"mediator"}}, {"text", "hi"}, {"outcome", outcome_json}}},
        {"POST", "/messages", Who::kMember, Json{{"to", {"group:" + group}}, {"text", "hi"}}},
        {"POST", "/groups", Who::kMediator, Json{{"name", "g"}, {"issues", {issue}}}},
        {"PUT", "/clauses/" + issue, Who::kMediator, Json{{"status", "agreed_in_principle"}}},
        {"PUT", "/clauses/" + issue, Who::kMember, Json{{"status", "open"}, {"note", "n"}}},
        {"POST", "/close", Who::kMediator, Json{{"reason", "done"}}},
    };
  }

  // One input per route: its index, then a body it accepts.
  std::vector<std::string> Seeds() const {
    std::vector<std::string> seeds;
    for (std::size_t route_idx = 0; route_idx < routes_.size(); ++route_idx) {
      seeds.push_back(std::string(1, static_cast<char>(route_idx)) +
                      routes_[route_idx].seed.dump());
    }
    return seeds;
  }

  void Run(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return;
    const Route& route = routes_[data[0] % routes_.size()];
    if (dirty_) {
      Open(std::make_unique<MemoryStore>(events_, stored_tokens_));
      dirty_ = false;
    }
    Request request;
    request.method = route.method;
    request.path = route.path.empty() ? "/api/rooms" : RoomPath(route.path);
    request.token = tokens_[static_cast<int>(route.who)];
    request.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    Response response = service_->Handle(request);
    if (response.status >= 500) {
      Fail(request.method + " " + request.path + " answered " + std::to_string(response.status) +
           ": " + response.body.dump());
    }
    if (response.status < 300) dirty_ = true;
  }

 private:
  void Open(std::unique_ptr<MemoryStore> store) {
    service_.reset();
    server::api::ServiceOptions options;
    options.rate_per_second = 0;
    Result<std::unique_ptr<server::api::Service>> service =
        server::api::Service::Open(std::move(store), options);
    if (!service.ok()) Fail(service.status().ToString());
    service_ = std::move(service).value();
  }

  std::string RoomPath(const std::string& rest) const { return "/api/rooms/" + room_ + rest; }

  Json Setup(const std::string& method, const std::string& path, const std::string& token,
             const Json& body) {
    Request request;
    request.method = method;
    request.path = path;
    request.token = token;
    request.body = body.dump();
    Response response = service_->Handle(request);
    if (response.status >= 300) Fail(path + ": " + response.body.dump());
    return response.body;
  }

  std::unique_ptr<server::api::Service> service_;
  std::string room_;
  std::string tokens_[5];
  std::vector<StoredEvent> events_;
  std::vector<StoredToken> stored_tokens_;
  std::vector<Route> routes_;
  bool dirty_ = false;
};

Fixture& TheFixture() {
  static Fixture fixture;
  return fixture;
}

}  // namespace

int FuzzHttpBody(const std::uint8_t* data, std::size_t size) {
  TheFixture().Run(data, size);
  return 0;
}

std::vector<std::string> HttpBodySeeds() { return TheFixture().Seeds(); }

}  // namespace parley::fuzz
