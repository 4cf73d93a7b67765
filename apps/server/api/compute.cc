#include "server/api/compute.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <thread>

#include "parley/report/analysis_report.h"

namespace parley::server::api {
namespace {

constexpr std::size_t kMaxFrontierPoints = 400;
constexpr auto kMemoryCheckInterval = std::chrono::milliseconds(20);

std::size_t Clamp(std::size_t value, std::size_t low, std::size_t high) {
  return std::max(low, std::min(value, high));
}

std::string Seconds(std::chrono::milliseconds time) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", static_cast<double>(time.count()) / 1000.0);
  return buffer;
}

// At most kMaxFrontierPoints of a frontier's points, evenly spaced, as [{utilities}].
Json FrontierJson(const analysis::ParetoFrontier& frontier) {
  Json json = Json::array();
  const std::vector<analysis::ParetoPoint>& points = frontier.points;
  std::size_t stride =
      std::max<std::size_t>(1, (points.size() + kMaxFrontierPoints - 1) / kMaxFrontierPoints);
  for (std::size_t point_idx = 0; point_idx < points.size(); point_idx += stride) {
    json.push_back(Json{{"utilities", points[point_idx].utilities}});
  }
  return json;
}

bool SameFrontier(const analysis::ParetoFrontier& a, const analysis::ParetoFrontier& b) {
  if (a.points.size() != b.points.size()) return false;
  for (std::size_t point_idx = 0; point_idx < a.points.size(); ++point_idx) {
    if (a.points[point_idx].utilities != b.points[point_idx].utilities) return false;
  }
  return true;
}

// The scenario-level part of GET /analysis (docs/http-api.md): what `parley analyze --json`
// prints (report::AnalysisToJson, at most kMaxFrontierPoints frontier points), with the fields
// the dashboard draws from added. `ignoring_red_lines` is the frontier with red lines ignored,
// when red lines change it (the dashboard draws it dashed, as the HTML report does).
Json AnalysisBaseJson(const model::Scenario& scenario, const analysis::ScenarioAnalysis& analysis,
                      const analysis::ParetoFrontier* ignoring_red_lines) {
  report::AnalysisReportOptions options;
  options.max_points = kMaxFrontierPoints;
  Json json = report::AnalysisToJson(scenario, analysis, options);
  json["reservation"] = analysis.solutions.disagreement;
  json["frontier"] = FrontierJson(analysis.pareto);
  json["frontier_size"] = analysis.pareto.points.size();
  json["frontier_exact"] = analysis.pareto.exact;
  json["frontier_note"] = analysis.pareto.note;
  json["respect_red_lines"] = analysis.respect_red_lines;
  json["zopa"]["empty"] = analysis.obstacles.zopa_empty;
  Json ideal_gaps = Json::object();
  for (const analysis::IssueGap& gap : analysis.ideal_gaps.issues) {
    ideal_gaps[scenario.issues[gap.issue_idx].id] = gap.gap;
  }
  json["ideal_gaps"] = Json{{"overall", analysis.ideal_gaps.overall}, {"issues", ideal_gaps}};
  if (ignoring_red_lines != nullptr) {
    json["frontier_ignoring_red_lines"] = FrontierJson(*ignoring_red_lines);
    json["frontier_ignoring_red_lines_size"] = ignoring_red_lines->points.size();
  }
  return json;
}

}  // namespace

analysis::AnalysisOptions BudgetedAnalysisOptions(const model::Scenario& scenario,
                                                  const std::vector<std::size_t>& parties,
                                                  const ComputeBudget& budget,
                                                  std::stop_token stop) {
  analysis::AnalysisOptions options;
  options.parties = parties;
  // Bytes one stored frontier point costs (outcome, utilities, vector headers, allocator), and
  // a factor 4 for what the additive merge holds beside it (the previous partial frontier,
  // candidates, back-pointers). Measured against peak RSS in docs/performance.md.
  const std::size_t point_bytes =
      96 + sizeof(model::OptionIndex) * scenario.issues.size() + sizeof(double) * parties.size();
  const std::size_t points = budget.memory_bytes / (4 * point_bytes);
  analysis::ParetoOptions defaults;
  options.pareto.max_frontier_size = Clamp(points, 1'000, defaults.max_frontier_size);
  options.pareto.max_composite_size = Clamp(points, 1'000, defaults.max_composite_size);
  options.pareto.search_budget = Clamp(points, 10'000, defaults.search_budget);
  options.pareto.threads = 1;  // concurrency is the slots' business
  options.pareto.stop = stop;
  // A meet-in-the-middle half holds one partial utility per party per entry, twice (sorting).
  analysis::ZopaOptions zopa_defaults;
  const std::size_t half_bytes = 2 * (32 + sizeof(double) * parties.size());
  options.zopa.half_limit =
      Clamp(budget.memory_bytes / (2 * half_bytes), 10'000, zopa_defaults.half_limit);
  options.zopa.stop = stop;
  options.obstacles.zopa = options.zopa;
  return options;
}

namespace {

// The process's resident memory in bytes (0 when unknown).
std::size_t ResidentBytes() {
  std::FILE* file = std::fopen("/proc/self/statm", "r");
  if (file == nullptr) return 0;
  unsigned long size = 0;
  unsigned long resident = 0;
  int read = std::fscanf(file, "%lu %lu", &size, &resident);
  std::fclose(file);
  return read == 2 ? resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

ComputeSlots::Ticket::Ticket(ComputeSlots& slots, std::chrono::milliseconds time,
                             std::size_t memory_bytes)
    : slots_(slots) {
  auto deadline = std::chrono::steady_clock::now() + time;
  const std::size_t baseline = ResidentBytes();
  watchdog_ = std::thread([this, deadline, baseline, memory_bytes] {
    std::unique_lock lock(mutex_);
    while (!done_) {
      auto next = std::min(deadline, std::chrono::steady_clock::now() + kMemoryCheckInterval);
      if (done_changed_.wait_until(lock, next, [this] { return done_; })) return;
      if (std::chrono::steady_clock::now() >= deadline) {
        stop_.request_stop();
        return;
      }
      std::size_t resident = ResidentBytes();
      if (baseline > 0 && resident > baseline + memory_bytes) {
        out_of_memory_ = true;
        stop_.request_stop();
        return;
      }
    }
  });
}

ComputeSlots::Ticket::~Ticket() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_changed_.notify_all();
  watchdog_.join();
  {
    std::lock_guard lock(slots_.mutex_);
    --slots_.running_;
  }
  slots_.freed_.notify_one();
}

std::unique_ptr<ComputeSlots::Ticket> ComputeSlots::Acquire() {
  {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, budget_.queue_wait,
                         [this] { return running_ < std::max(1, budget_.concurrency); })) {
      return nullptr;
    }
    ++running_;
  }
  return std::make_unique<Ticket>(*this, budget_.time, budget_.memory_bytes);
}

int ComputeSlots::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

ApiResult<Json> AnalysisCache::Compute(const model::Scenario& scenario,
                                       const std::vector<std::size_t>& parties,
                                       double* elapsed_ms) {
  std::unique_ptr<ComputeSlots::Ticket> ticket = slots_.Acquire();
  if (!ticket) {
    return ApiError{ErrorKind::kUnavailable,
                    "every analysis slot is busy (" + std::to_string(slots_.budget().concurrency) +
                        ", --analysis-concurrency); retry in a few seconds"};
  }
  auto start = std::chrono::steady_clock::now();
  analysis::AnalysisOptions options =
      BudgetedAnalysisOptions(scenario, parties, slots_.budget(), ticket->token());
  Result<analysis::ScenarioAnalysis> result = analysis::AnalyzeScenario(scenario, options);
  *elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!result.ok()) {
    if (ticket->out_of_memory()) {
      return ApiError{ErrorKind::kUnprocessable,
                      "the analysis of this scenario needs more memory than its budget (" +
                          std::to_string(slots_.budget().memory_bytes >> 20) +
                          " MiB, --analysis-memory-limit): the scenario is too large to analyse "
                          "live; run `parley analyze` on its exported scenario instead"};
    }
    if (result.status().code() == ErrorCode::kCancelled || ticket->expired()) {
      return ApiError{ErrorKind::kUnprocessable,
                      "the analysis of this scenario did not finish within its time budget (" +
                          Seconds(slots_.budget().time) +
                          " s, --analysis-time-limit): the scenario is too large to analyse live; "
                          "run `parley analyze` on its exported scenario instead"};
    }
    if (result.status().code() == ErrorCode::kUnsupported) {
      return ApiError{ErrorKind::kUnprocessable,
                      "the analysis of this scenario needs more memory than its budget "
                      "(--analysis-memory-limit): " +
                          result.status().message()};
    }
    return ErrorFromStatus(result.status());
  }
  // The frontier with red lines ignored, within the same budget; left out when it cannot be had.
  std::optional<analysis::ParetoFrontier> ignoring;
  const bool any_red_lines =
      std::any_of(result->parties.begin(), result->parties.end(), [&](std::size_t party_idx) {
        return !scenario.parties[party_idx].preferences->red_lines.empty();
      });
  if (any_red_lines) {
    analysis::ParetoOptions pareto = options.pareto;
    pareto.parties = result->parties;
    pareto.respect_red_lines = false;
    Result<analysis::ParetoFrontier> frontier = analysis::ComputeParetoFrontier(scenario, pareto);
    if (frontier.ok() && !SameFrontier(*frontier, result->pareto)) ignoring = std::move(*frontier);
  }
  return AnalysisBaseJson(scenario, *result, ignoring ? &*ignoring : nullptr);
}

AnalysisCache::Answer AnalysisCache::Get(const std::string& room_id, int version,
                                         const model::Scenario& scenario,
                                         const std::vector<std::size_t>& parties) {
  std::promise<std::pair<ApiResult<Json>, double>> promise;
  std::shared_future<std::pair<ApiResult<Json>, double>> future;
  bool owner = false;
  {
    std::lock_guard lock(mutex_);
    Entry& entry = entries_[room_id];
    if (entry.version != version || !entry.result.valid()) {
      entry.version = version;
      entry.result = promise.get_future().share();
      owner = true;
    }
    future = entry.result;
  }
  if (!owner) {
    const auto& [json, elapsed] = future.get();
    return Answer{json, true, elapsed};
  }
  double elapsed_ms = 0;
  ApiResult<Json> json = Compute(scenario, parties, &elapsed_ms);
  promise.set_value({json, elapsed_ms});
  if (!json.ok() && json.error().kind == ErrorKind::kUnavailable) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(room_id);
    if (it != entries_.end() && it->second.version == version) entries_.erase(it);
  }
  return Answer{std::move(json), false, elapsed_ms};
}

void AnalysisCache::Forget(const std::string& room_id) {
  std::lock_guard lock(mutex_);
  entries_.erase(room_id);
}

}  // namespace parley::server::api
