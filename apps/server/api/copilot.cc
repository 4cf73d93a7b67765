#include "server/api/copilot.h"

#include <algorithm>

#include "parley/analysis/evaluation.h"
#include "parley/analysis/suggestions.h"
#include "parley/io/json_limits.h"
#include "parley/io/outcome_json.h"
#include "parley/report/suggestions_report.h"
#include "server/api/body.h"
#include "server/api/views.h"

namespace parley::server::api {
namespace {

constexpr std::int64_t kMaxSuggestions = 50;

ApiError Unprocessable(std::string message) {
  return ApiError{ErrorKind::kUnprocessable, std::move(message)};
}

}  // namespace

Json EvaluationFlags(const model::Scenario& scenario, const std::vector<std::size_t>& principals,
                     const model::Outcome& outcome) {
  return report::EvaluationFlagsJson(scenario,
                                     analysis::EvaluateText(scenario, principals, outcome));
}

ApiResult<Json> EvaluateInRoom(const Room& room, const Participant& viewer, const Json& body) {
  BodyReader reader(body, {"outcome"});
  const Json* outcome_json = reader.Object("outcome", true);
  if (reader.error()) return *reader.error();
  const model::Scenario& scenario = room.scenario;
  PARLEY_API_TRY(model::Outcome outcome, ReadOutcome(scenario, *outcome_json, "outcome"));
  std::vector<std::size_t> parties;
  std::vector<analysis::Proposal> proposals;
  if (viewer.role == Role::kPrincipal) {
    std::optional<std::size_t> own = scenario.FindParty(viewer.party);
    if (!own ||
        std::find(room.principals.begin(), room.principals.end(), *own) == room.principals.end()) {
      return Unprocessable("party '" + viewer.party + "' has no preferences in this room");
    }
    parties = {*own};  // a principal sees only what the text is worth to itself
  } else {
    parties = room.principals;
    for (std::size_t party_idx : room.principals) {
      if (const Proposal* proposal = room.LatestProposalOf(scenario.parties[party_idx].id)) {
        proposals.push_back(analysis::Proposal{party_idx, proposal->outcome});
      }
    }
  }
  analysis::TextEvaluation evaluation =
      analysis::EvaluateText(scenario, parties, outcome, proposals);
  Json json{{"outcome", io::OutcomeJson(scenario, outcome)},
            {"in_words", scenario.DescribeOutcomeInWords(outcome)}};
  json.update(report::TextEvaluationJson(scenario, evaluation));
  json["problems"] = report::DescribeEvaluationProblems(scenario, evaluation);
  return json;
}

ApiResult<SuggestionsSnapshot> SnapshotForSuggestions(const Room& room, const Request& request) {
  SuggestionsSnapshot snapshot;
  snapshot.scenario = room.scenario;
  snapshot.principals = room.principals;
  auto outcome_query = request.query.find("outcome");
  if (outcome_query != request.query.end()) {
    // Within the limits of a request body: a query is bounded by the request head, but its
    // nesting is not.
    io::JsonLimits limits;
    limits.max_depth = kMaxBodyDepth;
    Result<Json> parsed = io::ParseJson(outcome_query->second, limits);
    if (!parsed.ok() || !parsed->is_object()) {
      return ApiError{ErrorKind::kBadRequest,
                      "query parameter 'outcome' must be a JSON object {issue: option}, got '" +
                          Excerpt(outcome_query->second) + "'"};
    }
    PARLEY_API_TRY(snapshot.draft, ReadOutcome(room.scenario, *parsed, "outcome"));
    return snapshot;
  }
  PARLEY_API_TRY(std::int64_t version, QueryInt(request, "draft", 0));
  if (version == 0) version = static_cast<std::int64_t>(room.texts.size());
  if (version < 0 || version > static_cast<std::int64_t>(room.texts.size())) {
    return ApiError{ErrorKind::kNotFound, "no text version " + std::to_string(version)};
  }
  if (version > 0) {
    snapshot.draft = room.texts[version - 1].outcome;
    snapshot.draft_version = static_cast<int>(version);
  }
  return snapshot;
}

ApiResult<Json> SuggestionsJson(const SuggestionsSnapshot& snapshot, const Request& request,
                                ComputeSlots& slots) {
  analysis::SuggestionOptions options;
  auto criterion_query = request.query.find("criterion");
  if (criterion_query != request.query.end()) {
    std::optional<analysis::SuggestionCriterion> criterion =
        analysis::ParseSuggestionCriterion(criterion_query->second);
    if (!criterion) {
      return ApiError{ErrorKind::kBadRequest, "query parameter 'criterion' must be one of " +
                                                  analysis::SuggestionCriterionNames() + ", not '" +
                                                  Excerpt(criterion_query->second) + "'"};
    }
    options.criterion = *criterion;
  }
  PARLEY_API_TRY(std::int64_t limit, QueryInt(request, "limit", 5));
  if (limit < 1 || limit > kMaxSuggestions) {
    return ApiError{ErrorKind::kBadRequest, "query parameter 'limit' must be between 1 and " +
                                                std::to_string(kMaxSuggestions)};
  }
  options.limit = static_cast<std::size_t>(limit);
  if (analysis::CriterionNeedsDraft(options.criterion) && !snapshot.draft) {
    return Unprocessable("criterion '" +
                         std::string(analysis::SuggestionCriterionName(options.criterion)) +
                         "' is measured from the current draft, and there is no text yet: draft "
                         "one, or pass outcome=");
  }
  options.parties = snapshot.principals;
  options.draft = snapshot.draft;
  std::unique_ptr<ComputeSlots::Ticket> ticket = slots.Acquire();
  if (!ticket) {
    return ApiError{ErrorKind::kUnavailable,
                    "every analysis slot is busy (--analysis-concurrency); retry in a few seconds"};
  }
  analysis::AnalysisOptions budgeted = BudgetedAnalysisOptions(
      snapshot.scenario, snapshot.principals, slots.budget(), ticket->token());
  options.pareto = budgeted.pareto;
  options.obstacles = budgeted.obstacles;
  options.deferrals.zopa = budgeted.zopa;
  options.stop = ticket->token();
  Result<analysis::Suggestions> suggestions =
      analysis::ComputeSuggestions(snapshot.scenario, options);
  if (!suggestions.ok()) {
    if (ticket->out_of_memory() || ticket->expired() ||
        suggestions.status().code() == ErrorCode::kCancelled) {
      return Unprocessable(
          "the suggestions for this scenario did not finish within the analysis budget "
          "(--analysis-time-limit, --analysis-memory-limit); run `parley suggest` on the "
          "exported scenario instead");
    }
    return ErrorFromStatus(suggestions.status());
  }
  Json json = report::SuggestionsToJson(snapshot.scenario, *suggestions);
  if (snapshot.draft_version) json["draft_version"] = *snapshot.draft_version;
  return json;
}

}  // namespace parley::server::api
