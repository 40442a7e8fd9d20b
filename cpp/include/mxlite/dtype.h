// mxlite: element types and NumPy-style promotion.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "mxlite/base.h"
#include "mxlite/half.h"

namespace mxlite {

/// Element types an array may hold. Order matters only for the switch macro.
enum class DType : uint8_t { Bool, UInt8, Int8, Int32, Int64, Float32, Float64, Float16 };

constexpr int kNumDTypes = 8;

size_t itemsize(DType dt);
const char* dtype_name(DType dt);  ///< NumPy spelling: "float32", "bool", ...
/// Parses a NumPy dtype name ("float32", "int64", "bool", "uint8", ...).
/// Throws mxlite::Error for anything unsupported.
DType dtype_from_name(const std::string& name);

inline bool is_floating(DType dt) { return dt == DType::Float32 || dt == DType::Float64 || dt == DType::Float16; }
inline bool is_integral(DType dt) { return !is_floating(dt) && dt != DType::Bool; }

/// NumPy's result type of a binary op between two arrays.
DType promote_types(DType a, DType b);

/// What a Python-style scalar operand is; with a bool array it decides the
/// dtype the op computes in.
enum class ScalarKind { Bool, Int, Float };
/// MXNet's rule for an array op a scalar: the scalar takes the array's dtype
/// (int32 + 1.5 stays int32), except that a bool array computes in int64
/// beside an int or bool scalar and in float32 beside a float one.
DType scalar_operand_dtype(DType array, ScalarKind kind);
/// NumPy's 'same_kind' casting: whether a result of dtype `from` may be
/// written into an array of dtype `to` (in-place operators): any safe cast,
/// or a narrowing within floats or within signed integers.
bool can_cast_same_kind(DType from, DType to);
/// `s` as a value of an integer dtype `dt` beside an array (Python scalars
/// take the array's dtype): OverflowError naming `op` when it is not finite
/// or outside dt's range. Floats pass through unchanged.
double scalar_in_dtype(double s, DType dt, const char* op);

template <class T> struct DTypeOf;
template <> struct DTypeOf<bool> {
  static constexpr DType value = DType::Bool;
};
template <> struct DTypeOf<uint8_t> {
  static constexpr DType value = DType::UInt8;
};
template <> struct DTypeOf<int8_t> {
  static constexpr DType value = DType::Int8;
};
template <> struct DTypeOf<int32_t> {
  static constexpr DType value = DType::Int32;
};
template <> struct DTypeOf<int64_t> {
  static constexpr DType value = DType::Int64;
};
template <> struct DTypeOf<float> {
  static constexpr DType value = DType::Float32;
};
template <> struct DTypeOf<double> {
  static constexpr DType value = DType::Float64;
};
template <> struct DTypeOf<half> {
  static constexpr DType value = DType::Float16;
};

/// Thrown when a float16 array reaches a kernel written only for the other
/// dtypes. Ops get float16 through the registry (which computes them in
/// float32, or runs a kernel flagged kFloat16Native), so this is a bug
/// report rather than a user error; it still names what happened.
[[noreturn]] void throw_no_float16_kernel(const char* where);

}  // namespace mxlite

/// Runs the statement with `T` bound to the C++ type of dtype `dt`.
#define MXLITE_DTYPE_SWITCH(dt, T, ...)            \
  switch (dt) {                                    \
    case ::mxlite::DType::Bool: {                  \
      using T = bool;                              \
      __VA_ARGS__;                                 \
      break;                                       \
    }                                              \
    case ::mxlite::DType::UInt8: {                 \
      using T = uint8_t;                           \
      __VA_ARGS__;                                 \
      break;                                       \
    }                                              \
    case ::mxlite::DType::Int8: {                  \
      using T = int8_t;                            \
      __VA_ARGS__;                                 \
      break;                                       \
    }                                              \
    case ::mxlite::DType::Int32: {                 \
      using T = int32_t;                           \
      __VA_ARGS__;                                 \
      break;                                       \
    }                                              \
    case ::mxlite::DType::Int64: {                 \
      using T = int64_t;                           \
      __VA_ARGS__;                                 \
      break;                                       \
    }                                              \
    case ::mxlite::DType::Float32: {               \
      using T = float;                             \
      __VA_ARGS__;                                 \
      break;                                       \
    }                                              \
    case ::mxlite::DType::Float64: {               \
      using T = double;                            \
      __VA_ARGS__;                                 \
      break;                                       \
    }                                              \
    case ::mxlite::DType::Float16:                 \
      ::mxlite::throw_no_float16_kernel("kernel"); \
  }

/// Like MXLITE_DTYPE_SWITCH, with `T` = mxlite::half for float16: for code
/// that moves or converts elements (copies, gathers, fills, printing).
#define MXLITE_ANY_DTYPE_SWITCH(dt, T, ...) \
  if ((dt) == ::mxlite::DType::Float16) {   \
    using T = ::mxlite::half;               \
    __VA_ARGS__;                            \
  } else {                                  \
    MXLITE_DTYPE_SWITCH(dt, T, __VA_ARGS__) \
  }

/// Like MXLITE_DTYPE_SWITCH without bool (arithmetic that NumPy refuses on bool).
#define MXLITE_NUMERIC_SWITCH(dt, T, opname, ...)                                          \
  switch (dt) {                                                                            \
    case ::mxlite::DType::UInt8: {                                                         \
      using T = uint8_t;                                                                   \
      __VA_ARGS__;                                                                         \
      break;                                                                               \
    }                                                                                      \
    case ::mxlite::DType::Int8: {                                                          \
      using T = int8_t;                                                                    \
      __VA_ARGS__;                                                                         \
      break;                                                                               \
    }                                                                                      \
    case ::mxlite::DType::Int32: {                                                         \
      using T = int32_t;                                                                   \
      __VA_ARGS__;                                                                         \
      break;                                                                               \
    }                                                                                      \
    case ::mxlite::DType::Int64: {                                                         \
      using T = int64_t;                                                                   \
      __VA_ARGS__;                                                                         \
      break;                                                                               \
    }                                                                                      \
    case ::mxlite::DType::Float32: {                                                       \
      using T = float;                                                                     \
      __VA_ARGS__;                                                                         \
      break;                                                                               \
    }                                                                                      \
    case ::mxlite::DType::Float64: {                                                       \
      using T = double;                                                                    \
      __VA_ARGS__;                                                                         \
      break;                                                                               \
    }                                                                                      \
    case ::mxlite::DType::Float16:                                                         \
      ::mxlite::throw_no_float16_kernel(opname);                                           \
    default:                                                                               \
      throw ::mxlite::TypeError(opname, "the operation is not supported for bool arrays"); \
  }

/// Like MXLITE_DTYPE_SWITCH for the two floating types; other dtypes throw.
#define MXLITE_FLOAT_SWITCH(dt, T, opname, ...)                                                                 \
  switch (dt) {                                                                                                 \
    case ::mxlite::DType::Float32: {                                                                            \
      using T = float;                                                                                          \
      __VA_ARGS__;                                                                                              \
      break;                                                                                                    \
    }                                                                                                           \
    case ::mxlite::DType::Float64: {                                                                            \
      using T = double;                                                                                         \
      __VA_ARGS__;                                                                                              \
      break;                                                                                                    \
    }                                                                                                           \
    case ::mxlite::DType::Float16:                                                                              \
      ::mxlite::throw_no_float16_kernel(opname);                                                                \
    default:                                                                                                    \
      throw ::mxlite::TypeError(opname,                                                                         \
                                ::mxlite::concat("expected a floating dtype, got ", ::mxlite::dtype_name(dt))); \
  }
