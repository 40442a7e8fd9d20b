#include "mxlite/dtype.h"

#include <cmath>

namespace mxlite {

size_t itemsize(DType dt) {
  switch (dt) {
    case DType::Bool:
    case DType::UInt8:
    case DType::Int8:
      return 1;
    case DType::Float16:
      return 2;
    case DType::Int32:
    case DType::Float32:
      return 4;
    case DType::Int64:
    case DType::Float64:
      return 8;
  }
  return 0;
}

const char* dtype_name(DType dt) {
  switch (dt) {
    case DType::Bool:
      return "bool";
    case DType::UInt8:
      return "uint8";
    case DType::Int8:
      return "int8";
    case DType::Int32:
      return "int32";
    case DType::Int64:
      return "int64";
    case DType::Float32:
      return "float32";
    case DType::Float64:
      return "float64";
    case DType::Float16:
      return "float16";
  }
  return "unknown";
}

DType dtype_from_name(const std::string& name) {
  if (name == "float32" || name == "f4" || name == "<f4" || name == "float") return DType::Float32;
  if (name == "float64" || name == "f8" || name == "<f8" || name == "double") return DType::Float64;
  if (name == "float16" || name == "f2" || name == "<f2" || name == "half" || name == "e") return DType::Float16;
  if (name == "int32" || name == "i4" || name == "<i4" || name == "int") return DType::Int32;
  if (name == "int64" || name == "i8" || name == "<i8" || name == "long") return DType::Int64;
  if (name == "int8" || name == "i1" || name == "|i1") return DType::Int8;
  if (name == "uint8" || name == "u1" || name == "|u1") return DType::UInt8;
  if (name == "bool" || name == "bool_" || name == "?" || name == "|b1") return DType::Bool;
  throw Error("dtype", "unsupported dtype '" + name +
                           "' (supported: bool, uint8, int8, int32, int64, float16, float32, float64)");
}

namespace {
// Rank within a kind; used to pick the wider of two types of the same kind.
int kind(DType d) { return d == DType::Bool ? 0 : is_integral(d) ? 1 : 2; }
}  // namespace

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  if (kind(a) != kind(b)) return kind(a) > kind(b) ? a : b;
  if (kind(a) == 2) {  // two floats: the wider (MXNet and NumPy agree)
    return itemsize(a) >= itemsize(b) ? a : b;
  }
  // Two different integer types.
  auto is_unsigned = [](DType d) { return d == DType::UInt8; };
  if (is_unsigned(a) || is_unsigned(b)) {
    DType other = is_unsigned(a) ? b : a;
    if (other == DType::Int8) return DType::Int32;  // NumPy gives int16, which mxlite lacks
    return other;                                   // int32/int64 hold every uint8
  }
  return itemsize(a) >= itemsize(b) ? a : b;
}

DType scalar_operand_dtype(DType array, ScalarKind kind) {
  if (array != DType::Bool) return array;
  return kind == ScalarKind::Float ? DType::Float32 : DType::Int64;
}

bool can_cast_same_kind(DType from, DType to) {
  if (from == to) return true;
  if (to == DType::Bool) return false;
  if (from == DType::Bool) return true;
  if (is_floating(to)) return true;  // any integer, or the other float
  if (is_floating(from)) return false;
  // Two integer types: unsigned targets take only unsigned values; signed
  // targets take any signed type and the (non-negative) unsigned ones.
  if (to == DType::UInt8) return from == DType::UInt8;
  return true;
}

void throw_no_float16_kernel(const char* where) {
  throw TypeError(where,
                  "float16 reached a kernel without a float16 path (mxlite computes float16 ops in float32 through "
                  "the op registry; this call bypassed it)");
}

double scalar_in_dtype(double s, DType dt, const char* op) {
  if (!is_integral(dt)) return s;
  double lo = 0, hi = 0;
  switch (dt) {
    case DType::UInt8:
      lo = 0;
      hi = 255;
      break;
    case DType::Int8:
      lo = -128;
      hi = 127;
      break;
    case DType::Int32:
      lo = -2147483648.0;
      hi = 2147483647.0;
      break;
    default:
      lo = -9223372036854775808.0;
      hi = 9223372036854775807.0;
      break;
  }
  const double t = std::trunc(s);
  // int64's upper bound rounds up to 2^63 as a double: that value is outside.
  const bool fits = std::isfinite(s) && t >= lo && (dt == DType::Int64 ? t < hi : t <= hi);
  if (!fits) throw OverflowError(op, concat("Python scalar ", s, " is out of bounds for ", dtype_name(dt)));
  return s;
}

}  // namespace mxlite
