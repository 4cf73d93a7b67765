#include "parley/protocols/mopac/mopac.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "parley/base/strings.h"

namespace parley::protocols {
namespace {

bool IsAcceptance(const Action& action) {
  return action.type == ActionType::kAccept ||
         (action.type == ActionType::kVote && action.accept.value_or(false));
}

// Powers are small integers (GeniusWeb: an Integer, typically 1-10); the bound keeps the
// coalition search's table small.
constexpr std::int64_t kMaxPower = 1000;

// "id:power;id:power" -> power per principal (others 1).
Result<std::map<std::size_t, std::int64_t>> ParsePowers(
    const std::string& text, const model::Scenario& scenario,
    const std::vector<std::size_t>& principals) {
  std::map<std::size_t, std::int64_t> powers;
  for (std::size_t principal : principals) powers[principal] = 1;
  const Location location = Location::InField("mopac.powers");
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    std::string item(Trim(text.substr(start, end == std::string::npos ? end : end - start)));
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    if (item.empty()) continue;
    std::size_t colon = item.find(':');
    if (colon == std::string::npos) {
      return InvalidInput("mopac: each power must read 'party:power', got '" + item + "'",
                          location);
    }
    std::string id(Trim(item.substr(0, colon)));
    std::string value(Trim(item.substr(colon + 1)));
    std::optional<std::size_t> party = scenario.FindParty(id);
    if (!party || std::find(principals.begin(), principals.end(), *party) == principals.end()) {
      return InvalidInput("mopac: '" + id + "' in powers is not a principal taking part", location);
    }
    std::int64_t power = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), power);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size() || power < 1 ||
        power > kMaxPower) {
      return InvalidInput("mopac: the power of '" + id + "' must be an integer from 1 to " +
                              std::to_string(kMaxPower) + ", got '" + value + "'",
                          location);
    }
    powers[*party] = power;
  }
  return powers;
}

// A candidate coalition: total power, members in scenario order.
struct Coalition {
  std::int64_t power = 0;
  std::vector<std::size_t> members;
};

// Larger power, then more members, then the earliest members.
bool Better(const Coalition& a, const Coalition& b) {
  if (a.power != b.power) return a.power > b.power;
  if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
  return a.members < b.members;
}

std::int64_t OwnMinimum(const MopacVote& vote, const MopacOptions& options) {
  return std::max(vote.min_power, options.min_power);
}

}  // namespace

namespace {

// Among the candidates (ascending party order), the best coalition whose power reaches
// `threshold`: a 0/1 knapsack over their powers (capped by max_power) finds, for every total, the
// largest and then earliest set reaching it. Without a max_power every candidate joins.
std::optional<Coalition> BestCoalitionAt(const std::vector<std::size_t>& candidates,
                                         std::int64_t total, std::int64_t threshold,
                                         const std::map<std::size_t, std::int64_t>& powers,
                                         const MopacOptions& options) {
  if (options.max_power == 0) {
    // No maximum: every candidate joins, the largest set of all.
    if (total >= threshold && static_cast<std::int64_t>(candidates.size()) >= options.min_votes) {
      return Coalition{total, candidates};
    }
    return std::nullopt;
  }
  const std::int64_t cap = std::min(options.max_power, total);
  if (cap < threshold) return std::nullopt;
  std::vector<std::optional<Coalition>> reach(static_cast<std::size_t>(cap) + 1);
  reach[0] = Coalition{};
  for (std::size_t party : candidates) {
    const std::int64_t power = powers.at(party);
    for (std::int64_t sum = cap; sum >= power; --sum) {
      const std::optional<Coalition>& from = reach[static_cast<std::size_t>(sum - power)];
      if (!from) continue;
      Coalition extended = *from;
      extended.power = sum;
      extended.members.push_back(party);
      std::optional<Coalition>& slot = reach[static_cast<std::size_t>(sum)];
      if (!slot || Better(extended, *slot)) slot = std::move(extended);
    }
  }
  for (std::int64_t sum = cap; sum >= std::max<std::int64_t>(threshold, 1); --sum) {
    const std::optional<Coalition>& found = reach[static_cast<std::size_t>(sum)];
    if (!found || static_cast<std::int64_t>(found->members.size()) < options.min_votes) continue;
    return found;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<std::size_t>> FindLargestCoalition(
    const std::vector<MopacVote>& votes, const std::map<std::size_t, std::int64_t>& powers,
    const MopacOptions& options) {
  std::vector<MopacVote> voters = votes;
  std::sort(voters.begin(), voters.end(),
            [](const MopacVote& a, const MopacVote& b) { return a.party < b.party; });
  std::optional<Coalition> best;
  // A viable coalition's largest own minimum is some voter's; for each such threshold, the voters
  // who accept it are candidates.
  std::vector<std::int64_t> thresholds;
  for (const MopacVote& vote : voters) thresholds.push_back(OwnMinimum(vote, options));
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  for (std::int64_t threshold : thresholds) {
    std::vector<std::size_t> candidates;
    std::int64_t total = 0;
    for (const MopacVote& vote : voters) {
      if (OwnMinimum(vote, options) <= threshold) {
        candidates.push_back(vote.party);
        total += powers.at(vote.party);
      }
    }
    std::optional<Coalition> found = BestCoalitionAt(candidates, total, threshold, powers, options);
    if (found && (!best || Better(*found, *best))) best = std::move(found);
  }
  if (!best) return std::nullopt;
  return best->members;
}

namespace {

// One session of MOPAC.
class MopacTalks {
 public:
  MopacTalks(SessionContext& context, const MopacOptions& options)
      : context_(context), options_(options), remaining_(context.principals()) {}

  Status Check() {
    const std::size_t principals = remaining_.size();
    if (principals < 2) {
      return InvalidInput("protocol 'mopac' needs at least two principals; scenario '" +
                              context_.scenario().name + "' has " + std::to_string(principals),
                          Location::InField("parties"));
    }
    if (options_.min_votes < 2 || options_.min_votes > static_cast<std::int64_t>(principals)) {
      return InvalidInput(
          "mopac: parameter 'min_votes' must be between 2 and the number of "
          "principals (" +
              std::to_string(principals) + "), got " + std::to_string(options_.min_votes),
          Location::InField("mopac.min_votes"));
    }
    PARLEY_ASSIGN_OR_RETURN(powers_, ParsePowers(options_.powers, context_.scenario(), remaining_));
    return Status::Ok();
  }

  Task<> Run() {
    int limit = context_.clock().max_rounds;
    if (options_.max_rounds > 0 && options_.max_rounds < limit) {
      limit = static_cast<int>(options_.max_rounds);
    }
    while (!context_.Finished() && !context_.Expired() && context_.clock().round < limit) {
      co_await PlayRound();
      if (context_.Finished()) co_return;
      if (context_.clock().round + 1 >= limit || !context_.NextRound()) break;
    }
    if (!context_.Finished()) {
      context_.Fail("deadline: no offer gathered a large enough coalition", std::nullopt);
    }
  }

 private:
  struct Offered {
    model::Outcome outcome;
    std::size_t from = 0;
    std::vector<MopacVote> votes;
    std::vector<std::size_t> supporters;
  };

  const std::string& Id(std::size_t party) const { return context_.scenario().parties[party].id; }

  std::vector<std::size_t> Others(std::size_t party) const {
    std::vector<std::size_t> others;
    for (std::size_t other : remaining_) {
      if (other != party) others.push_back(other);
    }
    return others;
  }

  void Send(std::size_t sender, Action action) {
    std::vector<std::size_t> recipients = Others(sender);
    action.recipients = recipients;
    context_.Post(sender, recipients, action);
  }

  // A vote on `offered` for `party`: kVote, kAccept, or `otherwise` (kReject in the vote,
  // kPass in the opt-in), which is also the fallback.
  Request VoteRequest(const Offered& offered, std::size_t party, ActionType otherwise) const {
    Request request;
    request.allowed = {ActionType::kVote, ActionType::kAccept, otherwise};
    request.standing_offer = offered.outcome;
    request.standing_offer_from = offered.from;
    request.may_address = Others(party);
    request.fallback = otherwise;
    return request;
  }

  void RecordVote(Offered& offered, std::size_t party, const Action& vote) {
    std::int64_t minimum = 0;
    if (vote.value && std::isfinite(*vote.value) && *vote.value >= 1) {
      minimum = static_cast<std::int64_t>(std::ceil(std::min(*vote.value, 1e15)));
    }
    offered.votes.push_back(MopacVote{party, minimum});
    offered.supporters.push_back(party);
  }

  // A vote asked of `party` on `offered`, answered later (Take).
  struct Ballot {
    std::size_t party;
    Offered* offered;
    AskId ask;
  };

  // One round: offers, votes, opt-in widening, then the outcome with the most powerful coalition
  // (LargestAgreement). Each step returns false when the round ends early (the deadline, too
  // few principals left, no offer).
  Task<> PlayRound() {
    std::vector<Offered> offers;
    const bool offered = co_await CollectOffers(offers);
    if (!offered) co_return;
    const bool voted = co_await CollectVotes(offers);
    if (!voted) co_return;
    if (options_.opt_in) {
      const bool widened = co_await CollectOptIns(offers);
      if (!widened) co_return;
    }
    AgreeOnLargestCoalition(offers);
  }

  // 1. Offers: each remaining principal offers, passes or leaves.
  Task<bool> CollectOffers(std::vector<Offered>& offers) {
    std::vector<std::size_t> leavers;
    for (std::size_t party : std::vector<std::size_t>(remaining_)) {
      if (context_.Expired()) co_return false;
      Request request;
      request.allowed = {ActionType::kOffer, ActionType::kPass, ActionType::kEndNegotiation};
      request.may_address = Others(party);
      request.fallback = ActionType::kPass;
      Action action = co_await context_.Ask(party, request);
      if (action.type == ActionType::kEndNegotiation) {
        Send(party, action);
        leavers.push_back(party);
        std::erase(remaining_, party);
      } else if (action.type == ActionType::kOffer && action.outcome) {
        Send(party, action);
        bool known = false;
        for (const Offered& offered : offers) known = known || offered.outcome == *action.outcome;
        if (!known) offers.push_back(Offered{*action.outcome, party, {}, {}});
      }
    }
    if (static_cast<std::int64_t>(remaining_.size()) < options_.min_votes) {
      std::string names;
      for (std::size_t party : leavers) names += (names.empty() ? "" : ", ") + Id(party);
      context_.Fail("fewer than min_votes principals remain after " + names + " left",
                    leavers.empty() ? std::nullopt : std::optional<std::size_t>(leavers.back()));
      co_return false;
    }
    co_return !offers.empty();
  }

  // 2. Votes: collected from everyone before any is shown, so every ballot is asked at once.
  Task<bool> CollectVotes(std::vector<Offered>& offers) {
    std::vector<Ballot> ballots;
    if (context_.Expired()) co_return false;
    for (std::size_t party : remaining_) {
      for (Offered& offered : offers) {
        const Request request = VoteRequest(offered, party, ActionType::kReject);
        ballots.push_back(Ballot{party, &offered, context_.Open(party, request)});
      }
    }
    std::vector<std::pair<std::size_t, Action>> votes;
    for (std::size_t ballot_idx = 0; ballot_idx < ballots.size(); ++ballot_idx) {
      const Ballot& ballot = ballots[ballot_idx];
      if (ballot_idx > 0 && context_.Expired()) co_return false;
      Action vote = co_await context_.Take(ballot.ask);
      vote.outcome = ballot.offered->outcome;
      if (IsAcceptance(vote)) RecordVote(*ballot.offered, ballot.party, vote);
      votes.emplace_back(ballot.party, std::move(vote));
    }
    for (auto& [party, vote] : votes) Send(party, vote);
    co_return true;
  }

  // 3. Opt-in: widen votes after seeing everyone's (asked at once too: nothing is shown until
  // every widened vote is in).
  Task<bool> CollectOptIns(std::vector<Offered>& offers) {
    std::vector<Ballot> ballots;
    bool asked = false;
    for (std::size_t party : remaining_) {
      for (Offered& offered : offers) {
        if (std::find(offered.supporters.begin(), offered.supporters.end(), party) !=
            offered.supporters.end()) {
          continue;
        }
        if (!asked && context_.Expired()) co_return false;
        asked = true;
        const Request request = VoteRequest(offered, party, ActionType::kPass);
        ballots.push_back(Ballot{party, &offered, context_.Open(party, request)});
      }
    }
    std::vector<std::pair<std::size_t, Action>> widened;
    for (std::size_t ballot_idx = 0; ballot_idx < ballots.size(); ++ballot_idx) {
      const Ballot& ballot = ballots[ballot_idx];
      if (ballot_idx > 0 && context_.Expired()) co_return false;
      Action vote = co_await context_.Take(ballot.ask);
      if (!IsAcceptance(vote)) continue;
      vote.outcome = ballot.offered->outcome;
      vote.text = "opt-in";
      RecordVote(*ballot.offered, ballot.party, vote);
      widened.emplace_back(ballot.party, std::move(vote));
    }
    for (auto& [party, vote] : widened) Send(party, vote);
    co_return true;
  }

  // 4. Evaluation (LargestAgreement): the outcome with the most powerful coalition.
  void AgreeOnLargestCoalition(const std::vector<Offered>& offers) {
    const Offered* agreed = nullptr;
    std::vector<std::size_t> coalition;
    std::int64_t coalition_power = 0;
    for (const Offered& offered : offers) {
      std::optional<std::vector<std::size_t>> found =
          FindLargestCoalition(offered.votes, powers_, options_);
      if (!found) continue;
      std::int64_t power = 0;
      for (std::size_t party : *found) power += powers_.at(party);
      if (agreed == nullptr || power > coalition_power ||
          (power == coalition_power && found->size() > coalition.size())) {
        agreed = &offered;
        coalition = *found;
        coalition_power = power;
      }
    }
    if (agreed != nullptr) context_.Agree(agreed->outcome, coalition);
  }

  SessionContext& context_;
  const MopacOptions& options_;
  std::vector<std::size_t> remaining_;
  std::map<std::size_t, std::int64_t> powers_;
};

}  // namespace

Result<MopacOptions> MopacProtocol::OptionsFromParameters(const Parameters& parameters) {
  MopacOptions options;
  options.powers = parameters.GetString("powers");
  options.min_votes = parameters.GetInt("min_votes");
  options.min_power = parameters.GetInt("min_power");
  options.max_power = parameters.GetInt("max_power");
  options.opt_in = parameters.GetBool("opt_in");
  options.max_rounds = parameters.GetInt("max_rounds");
  const std::pair<const char*, std::int64_t> bounds[] = {{"min_power", options.min_power},
                                                         {"max_power", options.max_power},
                                                         {"max_rounds", options.max_rounds}};
  for (const auto& [name, value] : bounds) {
    if (value < 0) {
      return InvalidInput(std::string("mopac: parameter '") + name + "' must be 0 or more, got " +
                              std::to_string(value),
                          Location::InField(std::string("mopac.") + name));
    }
  }
  return options;
}

Status MopacProtocol::Prepare(SessionContext& context) {
  return MopacTalks(context, options_).Check();
}

Task<> MopacProtocol::Run(SessionContext& context) {
  MopacTalks talks(context, options_);
  PARLEY_CHECK(talks.Check().ok());  // Prepare said so
  co_await talks.Run();
}

namespace {

ProtocolDescriptor MopacDescriptor() {
  ProtocolDescriptor descriptor;
  descriptor.name = "mopac";
  descriptor.summary =
      "GeniusWeb's Multiple Offers Partial Consensus: rounds of offers, votes and opt-in; the "
      "most powerful coalition voting for one offer closes a deal among themselves";
  descriptor.parameters = {
      {"powers", ParameterType::kString, "",
       "voting power per principal as 'id:power;id:power' (unlisted: 1)"},
      {"min_votes", ParameterType::kInt, "2", "fewest principals a deal needs (at least 2)"},
      {"min_power", ParameterType::kInt, "0", "least total power a deal needs"},
      {"max_power", ParameterType::kInt, "0", "most total power a deal may have (0: no maximum)"},
      {"opt_in", ParameterType::kBool, "true",
       "after seeing all votes, principals may widen theirs before the evaluation"},
      {"max_rounds", ParameterType::kInt, "0",
       "stop after this many rounds (0: the session's deadline)"},
  };
  descriptor.min_principals = 2;
  descriptor.mediation = Mediation::kNone;
  descriptor.create = [](const Parameters& parameters) -> Result<std::unique_ptr<Protocol>> {
    PARLEY_ASSIGN_OR_RETURN(MopacOptions options, MopacProtocol::OptionsFromParameters(parameters));
    return std::unique_ptr<Protocol>(new MopacProtocol(std::move(options)));
  };
  return descriptor;
}

}  // namespace

PARLEY_REGISTER_PROTOCOL(MopacDescriptor());

}  // namespace parley::protocols
