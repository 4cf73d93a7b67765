// The route table against its documentation: every route docs/http-api.md lists in its "Routes"
// table is served (whatever the caller's role, neither "no route" nor 405), and what the page does
// not list is not. Authorization per role is tested route by route in tests/server/
// (HttpApiTest.EveryRoomRouteChecksTokenRoomAndRole); behaviour in service_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "server/api/service.h"

namespace parley::server::api {
namespace {

namespace fs = std::filesystem;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// (method, path template) of every row "| `METHOD /api/...` | ..." of the page's Routes table.
std::vector<std::pair<std::string, std::string>> DocumentedRoutes(const std::string& page) {
  std::vector<std::pair<std::string, std::string>> routes;
  const std::regex row(R"(^\| `(GET|POST|PUT|DELETE) (/api/[^` ]*)` \|)");
  std::istringstream lines(page);
  std::string line;
  bool in_routes = false;
  while (std::getline(lines, line)) {
    if (line.rfind("## ", 0) == 0) in_routes = line == "## Routes";
    std::smatch match;
    if (in_routes && std::regex_search(line, match, row)) routes.emplace_back(match[1], match[2]);
  }
  return routes;
}

class RoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("parley_routes_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Result<std::unique_ptr<Store>> store = OpenSqliteStore((dir_ / "parley.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ServiceOptions options;
    options.rate_per_second = 0;
    Result<std::unique_ptr<Service>> service = Service::Open(std::move(store).value(), options);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(service).value();
    Result<std::string> admin = service_->CreateAdminToken();
    ASSERT_TRUE(admin.ok());
    admin_ = *admin;
    Response created = Call(
        "POST", "/api/rooms", admin_,
        Json{{"scenario", ReadText(fs::path(PARLEY_SOURCE_DIR) / "examples" / "ceasefire.yaml")}});
    ASSERT_EQ(created.status, 201) << created.body.dump();
    room_ = created.body["room"]["id"];
    mediator_ = created.body["token"];
  }
  void TearDown() override {
    service_.reset();
    fs::remove_all(dir_);
  }

  Response Call(const std::string& method, const std::string& path, const std::string& token,
                const Json& body = nullptr) {
    Request request;
    request.method = method;
    request.path = path;
    request.token = token;
    if (!body.is_null()) request.body = body.dump();
    return service_->Handle(request);
  }

  // Whether the service serves `method` on `path`: neither 404 "no route ..." nor 405.
  bool Served(const std::string& method, const std::string& path, const std::string& token) {
    Response response = Call(method, path, token, Json::object());
    return response.status != 405 &&
           !(response.status == 404 &&
             response.body.value("message", "").rfind("no route", 0) == 0);
  }

  std::string Concrete(std::string path) const {
    const std::pair<const char*, std::string> values[] = {
        {"{id}", room_}, {"{participant}", "m"}, {"{version}", "1"}, {"{issue}", "ceasefire"}};
    for (const auto& [name, value] : values) {
      for (std::size_t at = path.find(name); at != std::string::npos; at = path.find(name)) {
        path.replace(at, std::string(name).size(), value);
      }
    }
    return path;
  }

  fs::path dir_;
  std::unique_ptr<Service> service_;
  std::string admin_;
  std::string room_;
  std::string mediator_;
};

TEST_F(RoutesTest, EveryDocumentedRouteIsServed) {
  std::vector<std::pair<std::string, std::string>> routes =
      DocumentedRoutes(ReadText(fs::path(PARLEY_SOURCE_DIR) / "docs" / "http-api.md"));
  ASSERT_GE(routes.size(), 25u) << "the Routes table of docs/http-api.md was not found";
  for (const auto& [method, path] : routes) {
    // The event stream is served by the HTTP layer itself (a connection, not a worker).
    if (path.ends_with("/events")) continue;
    const std::string concrete = Concrete(path);
    EXPECT_TRUE(Served(method, concrete, admin_) || Served(method, concrete, mediator_))
        << method << " " << path << " is documented but answers \"no route\" or 405";
  }
}

// A documented path called with a method the page does not list for it is 405, naming exactly
// the methods the page lists; a path the page does not list is 404 "no route".
TEST_F(RoutesTest, WhatThePageDoesNotListIsNotServed) {
  std::map<std::string, std::set<std::string>> methods_by_path;
  for (const auto& [method, path] :
       DocumentedRoutes(ReadText(fs::path(PARLEY_SOURCE_DIR) / "docs" / "http-api.md"))) {
    if (!path.ends_with("/events")) methods_by_path[path].insert(method);
  }
  ASSERT_GE(methods_by_path.size(), 20u);
  for (const auto& [path, documented] : methods_by_path) {
    for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
      if (documented.count(method)) continue;
      Response response = Call(method, Concrete(path), mediator_, Json::object());
      EXPECT_EQ(response.status, 405) << method << " " << path << ": " << response.body.dump();
      const std::string message = response.body.value("message", "");
      const std::size_t use = message.find("use ");
      ASSERT_NE(use, std::string::npos) << message;
      std::set<std::string> allowed;
      std::istringstream names(message.substr(use + 4));
      std::string name;
      while (std::getline(names, name, ','))
        allowed.insert(name.substr(name.find_first_not_of(' ')));
      EXPECT_EQ(allowed, documented) << method << " " << path << ": " << message;
    }
  }
  const std::vector<std::string> unknown = {"/api", "/api/rooms/" + room_ + "/nonsense",
                                            "/api/rooms/" + room_ + "/texts/1/nonsense",
                                            "/api/healthz"};
  for (const std::string& path : unknown) {
    Response response = Call("GET", path, mediator_);
    EXPECT_EQ(response.status, 404) << path << ": " << response.body.dump();
    EXPECT_THAT(response.body.value("message", ""), ::testing::StartsWith("no route")) << path;
  }
}

}  // namespace
}  // namespace parley::server::api
