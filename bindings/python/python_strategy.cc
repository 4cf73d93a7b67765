#include "python_strategy.h"

#include "convert.h"
#include "errors.h"

namespace parley::python {
namespace py = pybind11;

void PythonFailure::Capture() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!failed_.load()) {
    PyObject* type = nullptr;
    PyObject* value = nullptr;
    PyObject* traceback = nullptr;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    type_ = py::reinterpret_steal<py::object>(type);
    value_ = py::reinterpret_steal<py::object>(value);
    traceback_ = py::reinterpret_steal<py::object>(traceback);
    failed_.store(true);
  } else {
    PyErr_Clear();
  }
  stop_.request_stop();
}

void PythonFailure::RaiseIfFailed() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!failed_.load()) return;
  PyErr_Restore(type_.release().ptr(), value_.release().ptr(), traceback_.release().ptr());
  failed_.store(false);
  throw py::error_already_set();
}

const protocols::PartyView& ViewHandle::view() const {
  if (view_ == nullptr) {
    ThrowStatus(Status(ErrorCode::kInvalidInput,
                       "this view belongs to a session that has ended; keep what you need from "
                       "it during the session",
                       Location::InField("view")));
  }
  return *view_;
}

const strategies::BidSpace& ViewHandle::Bids(const protocols::Request* request) {
  const protocols::PartyView& party_view = view();
  if (!bids_) {
    const model::Preferences* preferences = party_view.preferences();
    bids_.emplace(preferences != nullptr ? preferences->utility : nullptr, party_view.space(),
                  preferences != nullptr ? preferences->red_lines : std::vector<model::RedLine>());
  }
  bids_->SetConstraints(request != nullptr ? strategies::BidConstraints::FromRequest(*request)
                                           : strategies::BidConstraints());
  return *bids_;
}

const std::string& ViewHandle::PartyId(std::size_t party_idx) const {
  return view().parties()[party_idx].id;
}

const protocols::Request& RequestHandle::request() const {
  if (request_ == nullptr) {
    ThrowStatus(Status(ErrorCode::kInvalidInput,
                       "this request has been answered; a request is valid only during the "
                       "act() call it was passed to",
                       Location::InField("request")));
  }
  return *request_;
}

protocols::ActionType ActionTypeFromName(const std::string& name, const std::string& field) {
  static const protocols::ActionType kAll[] = {
      protocols::ActionType::kOffer,    protocols::ActionType::kAccept,
      protocols::ActionType::kReject,   protocols::ActionType::kEndNegotiation,
      protocols::ActionType::kVote,     protocols::ActionType::kRelay,
      protocols::ActionType::kFeedback, protocols::ActionType::kConfide,
      protocols::ActionType::kPass};
  std::string known;
  for (protocols::ActionType type : kAll) {
    if (protocols::ActionTypeName(type) == name) return type;
    known += (known.empty() ? "" : ", ") + std::string(protocols::ActionTypeName(type));
  }
  ThrowInvalid("unknown action kind '" + name + "'; kinds are: " + known, field);
}

namespace {

// Answers with the request's fallback: what a strategy gets once its run has failed.
class StoppedStrategy final : public strategies::Strategy {
 public:
  protocols::Action Act(const protocols::PartyView& /*view*/,
                        const protocols::Request& request) override {
    protocols::Action action;
    action.type = request.fallback;
    return action;
  }
};

}  // namespace

PythonStrategy::PythonStrategy(py::object instance, std::string label,
                               std::shared_ptr<PythonFailure> failure)
    : instance_(std::move(instance)), label_(std::move(label)), failure_(std::move(failure)) {}

PythonStrategy::~PythonStrategy() {
  py::gil_scoped_acquire gil;
  if (view_) view_->Invalidate();
  if (request_) request_->Set(nullptr, nullptr);
  request_object_ = py::object();
  view_object_ = py::object();
  act_ = py::object();
  instance_ = py::object();
}

void PythonStrategy::Initialize(const protocols::PartyView& view, std::mt19937_64& rng) {
  py::gil_scoped_acquire gil;
  if (failure_->failed()) return;
  try {
    std::uint64_t seed = rng();
    field_ = "strategy '" + label_ + "' (party '" + view.me().id + "')";
    outcome_field_ = field_ + ": outcome";
    view_ = std::make_shared<ViewHandle>(view, seed);
    view_object_ = py::cast(view_);
    request_ = std::make_shared<RequestHandle>();
    request_object_ = py::cast(request_);
    act_ = instance_.attr("act");
    // The strategy's own seeded random.Random, so a Python strategy is as reproducible as a C++
    // one: the same session seed gives the same draws.
    instance_.attr("rng") = py::module_::import("random").attr("Random")(seed);
    if (py::hasattr(instance_, "initialize")) instance_.attr("initialize")(view_object_);
  } catch (py::error_already_set& error) {
    error.restore();
    failure_->Capture();
  }
}

protocols::Action PythonStrategy::Act(const protocols::PartyView& view,
                                      const protocols::Request& request) {
  py::gil_scoped_acquire gil;
  protocols::Action fallback;
  fallback.type = request.fallback;
  if (failure_->failed() || !act_) return fallback;
  request_->Set(&request, view_.get());
  try {
    py::object returned = act_(view_object_, request_object_);
    request_->Set(nullptr, nullptr);
    if (!py::isinstance<PythonAction>(returned)) {
      ThrowInvalid("act() of " + field_ + " must return a parley.Action, got " + TypeName(returned),
                   "act");
    }
    return Convert(returned.cast<const PythonAction&>(), view);
  } catch (py::error_already_set& error) {
    request_->Set(nullptr, nullptr);
    error.restore();
    failure_->Capture();
    return fallback;
  }
}

protocols::Action PythonStrategy::Convert(const PythonAction& action,
                                          const protocols::PartyView& view) const {
  protocols::Action out;
  out.type = action.type;
  out.accept = action.accept;
  out.value = action.value;
  out.text = action.text;
  if (action.outcome && !action.outcome.is_none()) {
    out.outcome = OutcomeFromPython(view.issues(), view.space(), action.outcome, outcome_field_);
  }
  if (action.recipients && !action.recipients.is_none()) {
    std::size_t position = 0;
    for (py::handle recipient : action.recipients) {
      std::string recipient_field = field_ + ": recipients[" + std::to_string(position++) + "]";
      if (py::isinstance<py::str>(recipient)) {
        std::string id = recipient.cast<std::string>();
        bool found = false;
        for (std::size_t party_idx = 0; party_idx < view.parties().size(); ++party_idx) {
          if (view.parties()[party_idx].id == id) {
            out.recipients.push_back(party_idx);
            found = true;
          }
        }
        if (!found) ThrowInvalid("unknown party '" + id + "'", recipient_field);
      } else if (py::isinstance<py::int_>(recipient) && !py::isinstance<py::bool_>(recipient)) {
        long long index = recipient.cast<long long>();
        if (index < 0 || static_cast<std::size_t>(index) >= view.parties().size()) {
          ThrowInvalid("party index out of range", recipient_field);
        }
        out.recipients.push_back(static_cast<std::size_t>(index));
      } else {
        ThrowInvalid("a recipient is a party id or index, got " + TypeName(recipient),
                     recipient_field);
      }
    }
  }
  return out;
}

StrategyTable::StrategyTable() : registry_(strategies::StrategyRegistry::Global()) {}

void StrategyTable::Add(
    const std::string& name, const std::string& summary, const std::vector<std::string>& roles,
    const std::vector<std::tuple<std::string, std::string, std::string, std::string>>& parameters,
    py::object factory) {
  Result<protocols::Spec> spec = protocols::ParseSpec(name);
  if (!spec.ok() || spec->name != name || !spec->arguments.empty()) {
    ThrowInvalid("'" + name + "' cannot name a strategy: use letters, digits, '_', '-' and '.'",
                 "name");
  }
  if (registry_.Find(name) != nullptr) {
    bool builtin = strategies::StrategyRegistry::Global().Find(name) != nullptr;
    ThrowInvalid("a strategy named '" + name + "' " +
                     (builtin ? "is built in" : "is already taking part") +
                     "; give this one another name (name=...)",
                 "name");
  }
  strategies::StrategyDescriptor descriptor;
  descriptor.name = name;
  descriptor.summary = summary;
  descriptor.roles.clear();
  for (const std::string& role : roles) {
    std::optional<model::Role> parsed = model::ParseRole(role);
    if (!parsed || *parsed == model::Role::kObserver) {
      ThrowInvalid(
          "strategy '" + name + "': a strategy plays 'principal' or 'mediator', not '" + role + "'",
          "roles");
    }
    descriptor.roles.push_back(*parsed);
  }
  if (descriptor.roles.empty()) ThrowInvalid("strategy '" + name + "' plays no role", "roles");
  for (const auto& [parameter, type, default_value, help] : parameters) {
    protocols::ParameterSpec parameter_spec;
    parameter_spec.name = parameter;
    parameter_spec.default_value = default_value;
    parameter_spec.help = help;
    if (type == "float") {
      parameter_spec.type = protocols::ParameterType::kDouble;
    } else if (type == "int") {
      parameter_spec.type = protocols::ParameterType::kInt;
    } else if (type == "bool") {
      parameter_spec.type = protocols::ParameterType::kBool;
    } else if (type == "str") {
      parameter_spec.type = protocols::ParameterType::kString;
    } else {
      ThrowInvalid("strategy '" + name + "': parameter '" + parameter +
                       "' must be a float, int, bool or str, not " + type,
                   "parameters");
    }
    descriptor.parameters.push_back(std::move(parameter_spec));
  }
  // Checks the defaults as a user's values would be checked.
  ThrowIfError(protocols::Parameters::Parse({}, descriptor.parameters, name).status());
  auto shared_factory = std::make_shared<py::object>(std::move(factory));
  std::shared_ptr<PythonFailure> failure = failure_;
  std::vector<protocols::ParameterSpec> specs = descriptor.parameters;
  descriptor.create =
      [shared_factory, failure, specs,
       name](const protocols::Parameters& values) -> std::unique_ptr<strategies::Strategy> {
    py::gil_scoped_acquire gil;
    if (failure->failed()) return std::make_unique<StoppedStrategy>();
    try {
      py::dict arguments;
      for (const protocols::ParameterSpec& parameter : specs) {
        py::str key(parameter.name);
        switch (parameter.type) {
          case protocols::ParameterType::kDouble:
            arguments[key] = values.GetDouble(parameter.name);
            break;
          case protocols::ParameterType::kInt:
            arguments[key] = values.GetInt(parameter.name);
            break;
          case protocols::ParameterType::kBool:
            arguments[key] = values.GetBool(parameter.name);
            break;
          case protocols::ParameterType::kString:
            arguments[key] = values.GetString(parameter.name);
            break;
        }
      }
      py::object instance = (*shared_factory)(**arguments);
      return std::make_unique<PythonStrategy>(std::move(instance), name, failure);
    } catch (py::error_already_set& error) {
      error.restore();
      failure->Capture();
      return std::make_unique<StoppedStrategy>();
    }
  };
  registry_.Register(std::move(descriptor));
}

}  // namespace parley::python
