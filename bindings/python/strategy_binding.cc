// What a strategy written in Python sees and returns: parley.View, parley.Request, parley.Action,
// parley.Clock, parley.Message (docs/python.md, "Strategies in Python").
#include <pybind11/stl.h>

#include <chrono>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "parley/session/hosted_strategy.h"
#include "python_strategy.h"

namespace parley::python {
namespace py = pybind11;
namespace {

using protocols::ActionType;

// The messages addressed to one party that its inbox keeps (`view.messages`): a read-only
// sequence, each message converted when it is read, so a strategy that looks at the last message
// pays for that one only. Sessions keep every message; tournaments only those delivered since the
// party's previous turn (protocols::Inbox), as for C++ strategies.
class MessageList {
 public:
  explicit MessageList(std::shared_ptr<ViewHandle> view) : view_(std::move(view)) {}
  std::size_t size() const {
    const protocols::Inbox& inbox = view_->view().inbox();
    return inbox.size() - inbox.first();
  }
  py::object At(py::ssize_t index) const {
    py::ssize_t count = static_cast<py::ssize_t>(size());
    if (index < 0) index += count;
    if (index < 0 || index >= count) throw py::index_error("message index out of range");
    const protocols::Inbox& inbox = view_->view().inbox();
    return Convert(inbox[inbox.first() + static_cast<std::size_t>(index)]);
  }
  py::object Convert(const protocols::Message& message) const;

 private:
  std::shared_ptr<ViewHandle> view_;
};

// A message as a Python strategy reads it: parties by id, the outcome as option indices.
struct PythonMessage {
  std::uint64_t sequence = 0;
  int round = 0;
  double time = 0;
  std::string sender;
  std::vector<std::string> recipients;
  std::string kind;
  py::object outcome;  // tuple or None
  std::optional<bool> accept;
  std::optional<double> value;
  std::string text;
};

py::object MessageList::Convert(const protocols::Message& message) const {
  PythonMessage out;
  out.sequence = message.sequence;
  out.round = message.round;
  out.time = message.time;
  out.sender = view_->PartyId(message.sender);
  for (std::size_t recipient : message.recipients)
    out.recipients.push_back(view_->PartyId(recipient));
  out.kind = std::string(protocols::ActionTypeName(message.type));
  out.outcome = message.outcome ? py::object(OutcomeToPython(*message.outcome)) : py::none();
  out.accept = message.accept;
  out.value = message.value;
  out.text = message.text;
  return py::cast(std::move(out));
}

double OwnUtility(ViewHandle& handle, py::handle outcome) {
  const protocols::PartyView& view = handle.view();
  if (view.preferences() == nullptr) {
    ThrowInvalid("party '" + view.me().id + "' has no preferences", "view.utility");
  }
  return view.preferences()->utility->Evaluate(
      OutcomeFromPython(view.issues(), view.space(), outcome, "outcome"));
}

const protocols::Request* OptionalRequest(py::handle request) {
  if (request.is_none()) return nullptr;
  if (!py::isinstance<RequestHandle>(request)) {
    ThrowInvalid("request must be the parley.Request passed to act(), got " + TypeName(request),
                 "request");
  }
  return &request.cast<const RequestHandle&>().request();
}

std::vector<std::string> IssueIds(const protocols::PartyView& view,
                                  const std::vector<std::size_t>& indices) {
  std::vector<std::string> ids;
  for (std::size_t issue_idx : indices) ids.push_back(view.issues()[issue_idx].id);
  return ids;
}

py::list ParametersToPython(const std::vector<protocols::ParameterSpec>& parameters) {
  py::list out;
  for (const protocols::ParameterSpec& parameter : parameters) {
    py::dict spec;
    spec["name"] = parameter.name;
    spec["type"] = std::string(protocols::ParameterTypeName(parameter.type));
    spec["default"] = parameter.default_value;
    spec["help"] = parameter.help;
    spec["choices"] = parameter.choices;
    out.append(spec);
  }
  return out;
}

// A hosted strategy and the failure record of the Python strategies it may build.
struct HostedPlayer {
  std::unique_ptr<session::HostedStrategy> hosted;
  std::shared_ptr<PythonFailure> failure;
};

PythonAction MakeAction(ActionType type) {
  PythonAction action;
  action.type = type;
  action.outcome = py::none();
  action.recipients = py::none();
  return action;
}

}  // namespace

void BindStrategies(py::module_& module) {
  py::class_<protocols::Clock>(module, "Clock", "Where a session is in time.")
      .def_readonly("round", &protocols::Clock::round, "The round, from 0.")
      .def_readonly("max_rounds", &protocols::Clock::max_rounds, "The deadline in rounds.")
      .def_readonly("relative_time", &protocols::Clock::relative_time,
                    "Share of the session used, in [0, 1].")
      .def("__repr__", [](const protocols::Clock& clock) {
        return "<parley.Clock round " + std::to_string(clock.round) + " of " +
               std::to_string(clock.max_rounds) +
               ", t=" + model::FormatNumber(clock.relative_time) + ">";
      });

  py::class_<protocols::PublicParty>(module, "PublicParty",
                                     "What every party may know of another: id, name, role.")
      .def_readonly("id", &protocols::PublicParty::id)
      .def_readonly("name", &protocols::PublicParty::name)
      .def_property_readonly("role", [](const protocols::PublicParty& party) {
        return std::string(model::RoleName(party.role));
      });

  py::class_<PythonMessage>(module, "Message", "A message a party received.")
      .def_readonly("sequence", &PythonMessage::sequence, "Position in the session, from 0.")
      .def_readonly("round", &PythonMessage::round)
      .def_readonly("time", &PythonMessage::time, "Relative time in [0, 1].")
      .def_readonly("sender", &PythonMessage::sender, "The sender's party id.")
      .def_readonly("recipients", &PythonMessage::recipients, "Recipients' party ids.")
      .def_readonly("kind", &PythonMessage::kind, "'offer', 'accept', 'reject', 'end', ...")
      .def_readonly("outcome", &PythonMessage::outcome, "Option indices, or None.")
      .def_readonly("accept", &PythonMessage::accept, "A vote's answer, or None.")
      .def_readonly("value", &PythonMessage::value, "Feedback or a confided value, or None.")
      .def_readonly("text", &PythonMessage::text)
      .def("__repr__", [](const PythonMessage& message) {
        return "<parley.Message #" + std::to_string(message.sequence) + " " + message.kind +
               " from '" + message.sender + "'" +
               (message.outcome.is_none() ? ""
                                          : " " + py::repr(message.outcome).cast<std::string>()) +
               ">";
      });

  py::class_<MessageList>(module, "MessageList", "The messages addressed to a party, oldest first.")
      .def("__len__", &MessageList::size)
      .def("__getitem__", &MessageList::At)
      .def("__iter__", [](const MessageList& messages) {
        // A snapshot: the inbox grows while the session runs.
        py::list all;
        for (std::size_t index = 0; index < messages.size(); ++index) {
          all.append(messages.At(static_cast<py::ssize_t>(index)));
        }
        return py::iter(all);
      });

  py::class_<ViewHandle, std::shared_ptr<ViewHandle>>(
      module, "View",
      "What one party may see of a session: its own preferences, the issues, the parties' ids "
      "and roles, the messages addressed to it and the clock. Valid while the session runs.")
      .def_property_readonly(
          "party", [](const ViewHandle& self) { return self.view().me().id; }, "This party's id.")
      .def_property_readonly("party_index",
                             [](const ViewHandle& self) { return self.view().self(); })
      .def_property_readonly(
          "role",
          [](const ViewHandle& self) { return std::string(model::RoleName(self.view().role())); })
      .def_property_readonly("protocol",
                             [](const ViewHandle& self) { return self.view().protocol(); })
      .def_property_readonly("issues", [](const ViewHandle& self) { return self.view().issues(); })
      .def_property_readonly("parties",
                             [](const ViewHandle& self) { return self.view().parties(); })
      .def_property_readonly(
          "clock", [](const ViewHandle& self) { return self.view().clock(); },
          "The session's clock (see also pacing_clock).")
      .def(
          "pacing_clock",
          [](const ViewHandle& self, py::handle request) {
            const protocols::Request* current = OptionalRequest(request);
            return current != nullptr ? protocols::PacingClock(self.view(), *current)
                                      : self.view().clock();
          },
          py::arg("request"),
          "The clock to pace concessions by: the request's stage clock (a phase of the phased "
          "protocol) when it has one, else the session's.")
      .def_property_readonly(
          "messages",
          [](const std::shared_ptr<ViewHandle>& self) {
            self->view();  // raises once the session has ended
            return MessageList(self);
          },
          "The messages addressed to this party, oldest first (a sequence): all of them in "
          "negotiate(); in a tournament those since this party's previous turn, as C++ "
          "strategies see them (keep what you need).")
      .def_property_readonly(
          "message_count", [](const ViewHandle& self) { return self.view().inbox().size(); },
          "Messages delivered to this party so far, whether its inbox still keeps them or not.")
      .def_property_readonly(
          "has_preferences",
          [](const ViewHandle& self) { return self.view().preferences() != nullptr; })
      .def_property_readonly(
          "reservation_value",
          [](const ViewHandle& self) -> py::object {
            const model::Preferences* preferences = self.view().preferences();
            if (preferences == nullptr || !preferences->reservation_value) return py::none();
            return py::float_(*preferences->reservation_value);
          },
          "This party's reservation value; None when none was stated.")
      .def_property_readonly("discount",
                             [](const ViewHandle& self) {
                               const model::Preferences* preferences = self.view().preferences();
                               return preferences != nullptr ? preferences->discount : 1.0;
                             })
      .def_property_readonly("outcome_count",
                             [](const ViewHandle& self) {
                               return py::int_(py::str(self.view().space().Count().ToString()));
                             })
      .def("utility", &OwnUtility, py::arg("outcome"),
           "This party's own utility of an outcome (option indices, {issue: option} or text).")
      .def(
          "allowed",
          [](const ViewHandle& self, py::handle outcome) {
            const protocols::PartyView& view = self.view();
            model::Outcome parsed =
                OutcomeFromPython(view.issues(), view.space(), outcome, "outcome");
            return view.preferences() == nullptr || view.preferences()->AllowedByRedLines(parsed);
          },
          py::arg("outcome"), "True when none of this party's red lines forbids the outcome.")
      .def(
          "best_outcome",
          [](ViewHandle& self, py::handle request) {
            return OutcomeToPython(self.Bids(OptionalRequest(request)).Best());
          },
          py::arg("request") = py::none(),
          "This party's best outcome (within its red lines; within the request's settled and "
          "open issues when `request` is given). Exact for additive utilities.")
      .def(
          "outcome_at",
          [](ViewHandle& self, double utility, py::handle request) {
            const strategies::BidSpace& bids = self.Bids(OptionalRequest(request));
            return OutcomeToPython(bids.Find(utility, self.rng()));
          },
          py::arg("utility"), py::arg("request") = py::none(),
          "An outcome worth at least `utility` to this party and as close to it as the search "
          "allows (the best outcome above the maximum); never enumerates a huge space "
          "(strategies/common/bid_space.h). Pass the request to keep its constraints.")
      .def(
          "utility_range",
          [](ViewHandle& self, py::handle request) {
            const strategies::BidSpace& bids = self.Bids(OptionalRequest(request));
            return py::make_tuple(bids.MinUtility(), bids.MaxUtility());
          },
          py::arg("request") = py::none(), "(worst, best) utility of this party.")
      .def(
          "describe",
          [](const ViewHandle& self, py::handle outcome) {
            const protocols::PartyView& view = self.view();
            model::Outcome parsed =
                OutcomeFromPython(view.issues(), view.space(), outcome, "outcome");
            py::dict described;
            for (std::size_t issue_idx = 0; issue_idx < parsed.size(); ++issue_idx) {
              described[py::str(view.issues()[issue_idx].id)] =
                  view.issues()[issue_idx].OptionLabel(parsed[issue_idx]);
            }
            return described;
          },
          py::arg("outcome"), "{issue id: option label} for an outcome.")
      .def("__repr__", [](const ViewHandle& self) {
        const protocols::PartyView& view = self.view();
        return "<parley.View of '" + view.me().id + "', round " +
               std::to_string(view.clock().round) + ", " + std::to_string(view.inbox().size()) +
               " messages>";
      });

  py::class_<RequestHandle, std::shared_ptr<RequestHandle>>(
      module, "Request", "What the protocol asks of the party now. Valid during act() only.")
      .def(
          "allows",
          [](const RequestHandle& self, const std::string& kind) {
            ActionType type = ActionTypeFromName(kind, "kind");
            const std::vector<ActionType>& allowed = self.request().allowed;
            return std::find(allowed.begin(), allowed.end(), type) != allowed.end();
          },
          py::arg("kind"), "True when an action of this kind ('offer', 'accept', ...) is allowed.")
      .def_property_readonly(
          "allowed",
          [](const RequestHandle& self) {
            std::vector<std::string> kinds;
            for (ActionType type : self.request().allowed) {
              kinds.emplace_back(protocols::ActionTypeName(type));
            }
            return kinds;
          },
          "The kinds of action allowed now.")
      .def_property_readonly(
          "standing_offer",
          [](const RequestHandle& self) -> py::object {
            const auto& offer = self.request().standing_offer;
            return offer ? py::object(OutcomeToPython(*offer)) : py::none();
          },
          "The offer or text under consideration (option indices), or None.")
      .def_property_readonly(
          "standing_offer_from",
          [](const RequestHandle& self) -> py::object {
            const auto& from = self.request().standing_offer_from;
            return from ? py::object(py::str(self.owner().PartyId(*from))) : py::none();
          },
          "The id of the party whose offer stands, or None.")
      .def_property_readonly(
          "fixed_issues",
          [](const RequestHandle& self) {
            const protocols::Request& request = self.request();
            py::dict fixed;
            const auto& issues = self.owner().view().issues();
            for (std::size_t issue_idx = 0; issue_idx < request.fixed_issues.size(); ++issue_idx) {
              if (request.fixed_issues[issue_idx] && issue_idx < request.fixed_outcome.size()) {
                fixed[py::str(issues[issue_idx].id)] = request.fixed_outcome[issue_idx];
              }
            }
            return fixed;
          },
          "{issue id: option index} of issues already settled; an offer must keep them.")
      .def_property_readonly(
          "open_issues",
          [](const RequestHandle& self) {
            return IssueIds(self.owner().view(), self.request().open_issues);
          },
          "Ids of the issues open in the current phase (empty: all).")
      .def_property_readonly(
          "stage_clock",
          [](const RequestHandle& self) -> py::object {
            const auto& clock = self.request().stage_clock;
            return clock ? py::cast(*clock) : py::none();
          },
          "The current stage's own clock (a phase of the phased protocol), or None.")
      .def_property_readonly(
          "may_address",
          [](const RequestHandle& self) {
            std::vector<std::string> ids;
            for (std::size_t party_idx : self.request().may_address) {
              ids.push_back(self.owner().PartyId(party_idx));
            }
            return ids;
          },
          "Mediators relaying: ids of the principals they may address.")
      .def_property_readonly(
          "fallback",
          [](const RequestHandle& self) {
            return std::string(protocols::ActionTypeName(self.request().fallback));
          },
          "What an illegal answer is replaced by.")
      .def("__repr__", [](const RequestHandle& self) {
        std::string allowed;
        for (ActionType type : self.request().allowed) {
          allowed += (allowed.empty() ? "" : ", ") + std::string(protocols::ActionTypeName(type));
        }
        return "<parley.Request allowed: " + allowed + ">";
      });

  py::class_<PythonAction>(module, "Action",
                           "What a strategy answers: make one with Action.offer(outcome), "
                           "Action.accept(), Action.reject(), Action.end() ...")
      .def_static(
          "offer",
          [](py::object outcome) {
            PythonAction action = MakeAction(ActionType::kOffer);
            action.outcome = std::move(outcome);
            return action;
          },
          py::arg("outcome"),
          "Propose an outcome (option indices, {issue: option} or 'issue=option,...').")
      .def_static(
          "accept", [] { return MakeAction(ActionType::kAccept); }, "Accept the standing offer.")
      .def_static(
          "reject", [] { return MakeAction(ActionType::kReject); },
          "Reject the standing offer (protocols that allow it).")
      .def_static(
          "end", [] { return MakeAction(ActionType::kEndNegotiation); },
          "Walk away from the negotiation.")
      .def_static(
          "pass_", [] { return MakeAction(ActionType::kPass); }, "Say nothing this turn.")
      .def_static(
          "vote",
          [](bool accept) {
            PythonAction action = MakeAction(ActionType::kVote);
            action.accept = accept;
            return action;
          },
          py::arg("accept"), "Accept (True) or reject (False) a text (single text, mopac).")
      .def_static(
          "feedback",
          [](double value) {
            PythonAction action = MakeAction(ActionType::kFeedback);
            action.value = value;
            return action;
          },
          py::arg("value"), "A reaction to a text: > 0 better, < 0 worse than before.")
      .def_static(
          "relay",
          [](py::object outcome, py::object recipients) {
            PythonAction action = MakeAction(ActionType::kRelay);
            action.outcome = std::move(outcome);
            action.recipients = std::move(recipients);
            return action;
          },
          py::arg("outcome"), py::arg("recipients") = py::none(),
          "A mediator passes on (possibly amended) content to some principals.")
      .def_static(
          "confide",
          [](double value, std::string text) {
            PythonAction action = MakeAction(ActionType::kConfide);
            action.value = value;
            action.text = std::move(text);
            return action;
          },
          py::arg("value"), py::arg("text") = "", "Tell the mediator something in confidence.")
      .def_property_readonly("kind",
                             [](const PythonAction& action) {
                               return std::string(protocols::ActionTypeName(action.type));
                             })
      .def_readonly("outcome", &PythonAction::outcome)
      .def_readonly("accepted", &PythonAction::accept)
      .def_readonly("value", &PythonAction::value)
      .def_readonly("recipients", &PythonAction::recipients)
      .def_readonly("text", &PythonAction::text)
      .def("__repr__", [](const PythonAction& action) {
        return "<parley.Action " + std::string(protocols::ActionTypeName(action.type)) +
               (action.outcome.is_none() ? ""
                                         : " " + py::repr(action.outcome).cast<std::string>()) +
               ">";
      });

  py::class_<StrategyTable>(module, "StrategyTable")
      .def(py::init<>())
      .def("add", &StrategyTable::Add, py::arg("name"), py::arg("summary"), py::arg("roles"),
           py::arg("parameters"), py::arg("factory"))
      .def("names", [](const StrategyTable& table) {
        std::vector<std::string> names;
        for (const auto* descriptor : table.registry().All()) names.push_back(descriptor->name);
        return names;
      });

  // A scenario with what a view shows: the issues, every party's public part, and this party's
  // own preferences only (what NegmasStrategy builds its NegMAS utility function from).
  module.def("_own_scenario", [](const ViewHandle& handle) {
    const protocols::PartyView& view = handle.view();
    model::Scenario scenario;
    scenario.name = "view of " + view.me().id;
    scenario.issues = view.issues();
    for (const protocols::PublicParty& visible : view.parties()) {
      model::Party party;
      party.id = visible.id;
      party.name = visible.name;
      party.role = visible.role;
      if (visible.id == view.me().id && view.preferences() != nullptr) {
        party.preferences = *view.preferences();
      }
      scenario.parties.push_back(std::move(party));
    }
    return std::make_shared<ScenarioHandle>(std::move(scenario), io::ScenarioSource());
  });

  py::class_<HostedPlayer>(
      module, "HostedStrategy",
      "A parley strategy played outside a parley session (session/hosted_strategy.h); "
      "parley.negmas.ParleyNegotiator drives one.")
      .def(py::init([](const ScenarioHandle& scenario, py::handle party, const std::string& spec,
                       std::uint64_t seed, int rounds, StrategyTable* table) {
             std::size_t party_idx = PartyFromPython(scenario.scenario(), party, "party");
             HostedPlayer player;
             player.failure =
                 table != nullptr ? table->failure() : std::make_shared<PythonFailure>();
             player.hosted = Unwrap(session::HostedStrategy::Create(
                 scenario.shared(), party_idx, spec, seed, rounds, "external",
                 table != nullptr ? &table->registry() : nullptr));
             player.failure->RaiseIfFailed();
             return player;
           }),
           py::arg("scenario"), py::arg("party"), py::arg("spec"), py::arg("seed"),
           py::arg("rounds"), py::arg("table") = nullptr)
      .def_property_readonly("canonical",
                             [](const HostedPlayer& self) { return self.hosted->canonical(); })
      .def(
          "set_clock",
          [](HostedPlayer& self, int round, int max_rounds, double relative_time) {
            self.hosted->SetClock(protocols::Clock{round, max_rounds, relative_time});
          },
          py::arg("round"), py::arg("max_rounds"), py::arg("relative_time"))
      .def(
          "deliver",
          [](HostedPlayer& self, py::handle sender, const std::string& kind, py::handle outcome,
             int round) {
            const protocols::PartyView& view = self.hosted->view();
            protocols::Message message;
            message.round = round;
            message.time = view.clock().relative_time;
            message.sender = 0;
            std::string id = py::str(sender).cast<std::string>();
            bool found = false;
            for (std::size_t party_idx = 0; party_idx < view.parties().size(); ++party_idx) {
              if (view.parties()[party_idx].id == id) {
                message.sender = party_idx;
                found = true;
              }
            }
            if (!found) ThrowInvalid("unknown party '" + id + "'", "sender");
            for (std::size_t party_idx = 0; party_idx < view.parties().size(); ++party_idx) {
              if (view.parties()[party_idx].role == model::Role::kPrincipal) {
                message.recipients.push_back(party_idx);
              }
            }
            message.type = ActionTypeFromName(kind, "kind");
            if (!outcome.is_none()) {
              message.outcome = OutcomeFromPython(view.issues(), view.space(), outcome, "outcome");
            }
            self.hosted->Deliver(std::move(message));
          },
          py::arg("sender"), py::arg("kind"), py::arg("outcome"), py::arg("round"),
          "Adds a message from `sender` (a party id) to the party's inbox.")
      .def(
          "act",
          [](HostedPlayer& self, const std::vector<std::string>& allowed, py::handle standing_offer,
             py::handle standing_offer_from) {
            const protocols::PartyView& view = self.hosted->view();
            protocols::Request request;
            for (const std::string& kind : allowed) {
              request.allowed.push_back(ActionTypeFromName(kind, "allowed"));
            }
            if (!standing_offer.is_none()) {
              request.standing_offer =
                  OutcomeFromPython(view.issues(), view.space(), standing_offer, "standing_offer");
            }
            if (!standing_offer_from.is_none()) {
              std::string id = py::str(standing_offer_from).cast<std::string>();
              for (std::size_t party_idx = 0; party_idx < view.parties().size(); ++party_idx) {
                if (view.parties()[party_idx].id == id) request.standing_offer_from = party_idx;
              }
            }
            request.fallback = protocols::ActionType::kEndNegotiation;
            protocols::Action action;
            {
              py::gil_scoped_release release;
              action = self.hosted->Act(request);
            }
            self.failure->RaiseIfFailed();
            py::object outcome =
                action.outcome ? py::object(OutcomeToPython(*action.outcome)) : py::none();
            return py::make_tuple(std::string(protocols::ActionTypeName(action.type)), outcome);
          },
          py::arg("allowed"), py::arg("standing_offer"), py::arg("standing_offer_from"),
          "Asks the strategy; returns (kind, outcome or None).")
      .def(
          "time_calls",
          [](HostedPlayer& self, int calls) {
            // What a session does per turn, without the rest of the session: the cost of one
            // Act call, measured from C++ with the GIL released as in a session
            // (bench/python/bench_python.py).
            if (calls < 1) ThrowInvalid("calls must be at least 1", "calls");
            protocols::Request request;
            request.allowed = {protocols::ActionType::kOffer,
                               protocols::ActionType::kEndNegotiation};
            request.fallback = protocols::ActionType::kEndNegotiation;
            double seconds = 0;
            {
              py::gil_scoped_release release;
              auto start = std::chrono::steady_clock::now();
              for (int call = 0; call < calls; ++call) {
                protocols::Action action = self.hosted->Act(request);
                if (action.type != protocols::ActionType::kOffer) break;
              }
              seconds =
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            }
            self.failure->RaiseIfFailed();
            return seconds / calls;
          },
          py::arg("calls"),
          "Seconds per Act call over `calls` calls on an opening request (for benchmarks).");

  module.def("_strategies", [] {
    py::list out;
    for (const auto* descriptor : strategies::StrategyRegistry::Global().All()) {
      py::dict entry;
      entry["name"] = descriptor->name;
      entry["summary"] = descriptor->summary;
      std::vector<std::string> roles;
      for (model::Role role : descriptor->roles) roles.emplace_back(model::RoleName(role));
      entry["roles"] = roles;
      entry["parameters"] = ParametersToPython(descriptor->parameters);
      out.append(entry);
    }
    return out;
  });
  module.def("_protocols", [] {
    py::list out;
    for (const auto* descriptor : protocols::ProtocolRegistry::Global().All()) {
      py::dict entry;
      entry["name"] = descriptor->name;
      entry["summary"] = descriptor->summary;
      entry["min_principals"] = descriptor->min_principals;
      entry["max_principals"] = descriptor->max_principals;
      entry["needs_mediator"] = descriptor->needs_mediator();
      entry["parameters"] = ParametersToPython(descriptor->parameters);
      out.append(entry);
    }
    return out;
  });
}

}  // namespace parley::python
