#include "mxlite/shape.h"

#include <sstream>

namespace mxlite {

int64_t shape_size(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

int64_t checked_size(const Shape& s, size_t itemsize, const char* op) {
  MXLITE_CHECK_AS(ValueError, s.size() <= kMaxNdim, op, "maximum supported dimension for an ndarray is ", kMaxNdim,
                  ", found ", s.size());
  // As NumPy: the non-zero extents times the item size must fit in an int64,
  // even when a zero extent makes the array empty (its strides use them).
  int64_t bytes = static_cast<int64_t>(itemsize), n = 1;
  bool overflow = false;
  for (int64_t d : s) {
    MXLITE_CHECK_AS(ValueError, d >= 0, op, "negative dimensions are not allowed: shape ", shape_str(s));
    if (d == 0)
      n = 0;
    else
      overflow = overflow || __builtin_mul_overflow(bytes, d, &bytes);
  }
  MXLITE_CHECK_AS(ValueError, !overflow, op, "array is too big: shape ", shape_str(s), " of ", itemsize,
                  "-byte elements is larger than the maximum possible size");
  return n == 0 ? 0 : bytes / static_cast<int64_t>(itemsize);
}

int64_t checked_mul(int64_t a, int64_t b, const char* op, const char* what) {
  int64_t r = 0;
  MXLITE_CHECK_AS(ValueError, !__builtin_mul_overflow(a, b, &r), op, what, " overflows: ", a, " * ", b);
  return r;
}

int64_t checked_add(int64_t a, int64_t b, const char* op, const char* what) {
  int64_t r = 0;
  MXLITE_CHECK_AS(ValueError, !__builtin_add_overflow(a, b, &r), op, what, " overflows: ", a, " + ", b);
  return r;
}

Dims contiguous_strides(const Shape& s) {
  Dims st(s.size(), 1);
  for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
  return st;
}

std::string shape_str(const Shape& s) {
  std::ostringstream os;
  os << '(';
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) os << ", ";
    os << s[i];
  }
  if (s.size() == 1) os << ',';
  os << ')';
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Shape& s) { return os << shape_str(s); }

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  if (a == b) return a;
  size_t n = a.size() > b.size() ? a.size() : b.size();
  Shape out(n, 1);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da == db || db == 1) {
      out[i] = da;
    } else if (da == 1) {
      out[i] = db;
    } else {
      throw Error(op, concat("operands could not be broadcast together with shapes ", shape_str(a), " ", shape_str(b)));
    }
  }
  return out;
}

int64_t normalize_axis(int64_t axis, size_t ndim, const char* op) {
  int64_t n = static_cast<int64_t>(ndim);
  if (axis < -n || axis >= n)
    throw AxisError(op, concat("axis ", axis, " is out of bounds for array of dimension ", ndim));
  return axis < 0 ? axis + n : axis;
}

Axes normalize_axes(const Axes& axes, size_t ndim, const char* op) {
  Axes out;
  std::vector<bool> seen(ndim, false);
  for (int64_t a : axes) {
    int64_t ax = normalize_axis(a, ndim, op);
    if (seen[ax]) throw ValueError(op, concat("repeated axis ", a, " in axes"));
    seen[ax] = true;
    out.push_back(ax);
  }
  return out;
}

}  // namespace mxlite
