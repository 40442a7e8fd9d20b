#include "mxlite/shape.h"

#include <sstream>

namespace mxlite {

int64_t shape_size(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
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
      throw Error(op, concat("operands could not be broadcast together with shapes ", shape_str(a), " ",
                             shape_str(b)));
    }
  }
  return out;
}

int64_t normalize_axis(int64_t axis, size_t ndim, const char* op) {
  int64_t n = static_cast<int64_t>(ndim);
  if (axis < -n || axis >= n)
    throw Error(op, concat("axis ", axis, " is out of bounds for array of dimension ", ndim));
  return axis < 0 ? axis + n : axis;
}

Axes normalize_axes(const Axes& axes, size_t ndim, const char* op) {
  Axes out;
  std::vector<bool> seen(ndim, false);
  for (int64_t a : axes) {
    int64_t ax = normalize_axis(a, ndim, op);
    if (seen[ax]) throw Error(op, concat("repeated axis ", a, " in axes"));
    seen[ax] = true;
    out.push_back(ax);
  }
  return out;
}

}  // namespace mxlite
