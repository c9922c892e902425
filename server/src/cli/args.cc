#include "args.h"

namespace rubrica::server::cli {

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

std::vector<std::string> Args::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = values.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

Result<Args> ParseArgs(const std::vector<std::string>& argv, const ArgSpec& spec) {
  Args a;
  auto usage = [](const std::string& msg) {
    return Status::Error(ErrorKind::kInvalidArgument, "cli.usage", msg);
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "--") {
      for (++i; i < argv.size(); ++i) a.positional.push_back(argv[i]);
      break;
    }
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      a.positional.push_back(arg);
      continue;
    }
    std::string name = arg, value;
    bool has_inline = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_inline = true;
    }
    if (spec.switches.count(name)) {
      if (has_inline) return usage("option " + name + " takes no value");
      a.switches.insert(name);
    } else if (spec.valued.count(name)) {
      if (!has_inline) {
        if (i + 1 >= argv.size()) return usage("option " + name + " needs a value");
        value = argv[++i];
      }
      if (!spec.repeatable_valued && a.values.count(name)) {
        return usage("option " + name + " given twice");
      }
      a.values.emplace(name, value);
    } else {
      return usage("unknown option " + name);
    }
  }
  return a;
}

}  // namespace rubrica::server::cli
