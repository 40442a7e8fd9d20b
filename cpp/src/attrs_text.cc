// Attrs as text (op.h encode_attrs / decode_attrs): how a saved graph
// (HybridBlock.export) writes each op call's attributes. Numbers keep every
// bit (%.17g), so a loaded graph computes exactly what the saved one did.
#include <cstdio>
#include <cstdlib>

#include "mxlite/op.h"

namespace mxlite {
namespace {

int64_t parse_int(const std::string& s, const char* op) {
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  MXLITE_CHECK(end && *end == '\0' && !s.empty(), op, "attribute value '", s, "' is not an integer");
  return v;
}

}  // namespace

std::string real_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

double parse_real(const std::string& s, const char* op) {
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  MXLITE_CHECK(end && *end == '\0' && !s.empty(), op, "attribute value '", s, "' is not a number");
  return v;
}

std::string ints_text(const int64_t* values, size_t n) {
  std::string out = "(";
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  return out + ")";
}

std::vector<int64_t> parse_ints(const std::string& text, const char* op) {
  MXLITE_CHECK(text.size() >= 2 && text.front() == '(' && text.back() == ')', op, "attribute value '", text,
               "' is not a tuple of integers");
  std::vector<int64_t> out;
  std::string item;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    const char c = text[i];
    if (c == ',') {
      out.push_back(parse_int(item, op));
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(parse_int(item, op));
  return out;
}

const std::string& attr_value(const AttrList& list, const char* key, const char* op) {
  for (const auto& kv : list)
    if (kv.first == key) return kv.second;
  throw Error(op, concat("the saved attributes lack '", key, "'"));
}

AttrList encode_attrs(const OpDef& op, const Attrs& a) {
  const Attrs d{};
  AttrList out;
  auto flag = [&](const char* key, bool v, bool dv) {
    if (v != dv) out.emplace_back(key, v ? "1" : "0");
  };
  if (a.scalar != d.scalar) out.emplace_back("scalar", real_text(a.scalar));
  if (a.scalar2 != d.scalar2) out.emplace_back("scalar2", real_text(a.scalar2));
  if (!a.shape.empty()) out.emplace_back("shape", ints_text(a.shape.data(), a.shape.size()));
  if (!a.axes.empty()) out.emplace_back("axes", ints_text(a.axes.data(), a.axes.size()));
  flag("all_axes", a.all_axes, d.all_axes);
  flag("keepdims", a.keepdims, d.keepdims);
  flag("has_initial", a.has_initial, d.has_initial);
  flag("reverse", a.reverse, d.reverse);
  flag("transpose_a", a.transpose_a, d.transpose_a);
  flag("transpose_b", a.transpose_b, d.transpose_b);
  if (a.axis != d.axis) out.emplace_back("axis", std::to_string(a.axis));
  if (a.index != d.index) out.emplace_back("index", std::to_string(a.index));
  if (a.dtype != d.dtype) out.emplace_back("dtype", dtype_name(a.dtype));
  if (a.has_params()) {
    MXLITE_CHECK(op.encode_params, op.name,
                 "this op's parameters have no saved form yet, so a graph using it cannot be exported");
    op.encode_params(a, out);
  }
  return out;
}

Attrs decode_attrs(const OpDef& op, const AttrList& text) {
  Attrs a;
  const char* name = op.name.c_str();
  bool other = false;
  for (const auto& [key, value] : text) {
    if (key == "scalar") {
      a.scalar = parse_real(value, name);
    } else if (key == "scalar2") {
      a.scalar2 = parse_real(value, name);
    } else if (key == "shape") {
      for (int64_t v : parse_ints(value, name)) a.shape.push_back(v);
    } else if (key == "axes") {
      for (int64_t v : parse_ints(value, name)) a.axes.push_back(v);
    } else if (key == "all_axes" || key == "keepdims" || key == "has_initial" || key == "reverse" ||
               key == "transpose_a" || key == "transpose_b") {
      const bool v = parse_int(value, name) != 0;
      if (key == "all_axes") a.all_axes = v;
      if (key == "keepdims") a.keepdims = v;
      if (key == "has_initial") a.has_initial = v;
      if (key == "reverse") a.reverse = v;
      if (key == "transpose_a") a.transpose_a = v;
      if (key == "transpose_b") a.transpose_b = v;
    } else if (key == "axis") {
      a.axis = parse_int(value, name);
    } else if (key == "index") {
      a.index = parse_int(value, name);
    } else if (key == "dtype") {
      a.dtype = dtype_from_name(value);
    } else {
      other = true;  // the op's parameter struct
    }
  }
  if (other) {
    MXLITE_CHECK(op.decode_params, name, "unknown saved attributes for this op");
    op.decode_params(text, a);
  }
  return a;
}

}  // namespace mxlite
