// mxnet._core.Function: the callable every table-built public function is.
//
// A core implementation ("impl") converts the arguments of one public
// signature and calls the engine; it is registered here under a key such as
// "np.exp" with its arity. The Python table (python/mxnet/_api) then makes,
// for each public name, a Function from an impl and MXNet's signature
// (parameter names, defaults, which are keyword-only) and its docstring. A
// Function binds positional and keyword arguments to the impl's slots in C
// (vectorcall), so keyword calls, defaults and unknown-keyword TypeErrors cost
// no Python frame; used as a class attribute it is a method. A signature may
// take the impl's parameters in another order (a slot per parameter: methods
// and functions share an impl) or leave some out (they get None); a legacy
// Function reports unknown keywords as MXNetError, as MXNet's operators do.
#pragma once

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "convert.h"

namespace mxlite {
namespace bind {

/// The largest number of parameters a public function has.
constexpr int kMaxParams = 16;

struct Impl {
  std::string key;
  int arity = 0;
  std::string doc;
  std::function<py::object(const py::handle* args)> call;
};

/// Registers an impl (throws if the key is taken).
void add_impl(Impl impl);

namespace detail {
template <class T> struct CallTraits : CallTraits<decltype(&T::operator())> {};
template <class C, class R, class... A> struct CallTraits<R (C::*)(A...) const> {
  using Result = R;
  using Args = std::tuple<A...>;
  static constexpr size_t arity = sizeof...(A);
};
template <class T> T arg_from(py::handle h) {
  using U = std::decay_t<T>;
  if constexpr (std::is_same<U, py::handle>::value)
    return h;
  else if constexpr (std::is_same<U, py::object>::value)
    return py::reinterpret_borrow<py::object>(h);
  else
    return h.cast<U>();
}
template <class F, size_t... I> py::object call_with(const F& f, const py::handle* args, std::index_sequence<I...>) {
  using Traits = CallTraits<F>;
  using R = typename Traits::Result;
  if constexpr (std::is_void<R>::value) {
    f(arg_from<std::tuple_element_t<I, typename Traits::Args>>(args[I])...);
    return py::none();
  } else {
    if constexpr (std::is_base_of<py::handle, std::decay_t<R>>::value) {
      return py::object(f(arg_from<std::tuple_element_t<I, typename Traits::Args>>(args[I])...));
    } else {
      return py::cast(f(arg_from<std::tuple_element_t<I, typename Traits::Args>>(args[I])...));
    }
  }
}
}  // namespace detail

/// Registers the lambda `f` as impl `key`: its parameters (py::handle,
/// py::object or anything pybind casts) take the public signature's
/// arguments in slot order (see the file comment for signatures that reorder
/// or leave out parameters).
template <class F> void def_impl(const std::string& key, const std::string& doc, F f) {
  constexpr size_t n = detail::CallTraits<F>::arity;
  static_assert(n <= kMaxParams, "too many parameters");
  Impl impl;
  impl.key = key;
  impl.arity = static_cast<int>(n);
  impl.doc = doc;
  impl.call = [f = std::move(f)](const py::handle* args) {
    return detail::call_with(f, args, std::make_index_sequence<n>());
  };
  add_impl(std::move(impl));
}

/// The NDArray an out= argument names (undefined for None); TypeError naming
/// `fn` unless it is an array of the function's face.
NDArray out_arg(py::handle out, Face face, const char* fn);
/// What a function with out= returns: `out` itself when given, else the new array.
inline py::object deliver(NDArray result, py::handle out, Face face) {
  if (!out.is_none()) return py::reinterpret_borrow<py::object>(out);
  return wrap(std::move(result), face);
}

/// NumPy's ufunc keywords as MXNet 1.9.1 takes them: where=True,
/// casting='same_kind', order='K' (or 'C'/'A'), dtype=None, subok=True; other
/// values raise NotImplementedError naming `fn` and the argument, as MXNet does.
/// All five None: a public signature without them (np.equal's).
void check_ufunc_options(const char* fn, py::handle where, py::handle casting, py::handle order, py::handle dtype,
                         py::handle subok);

/// mxnet.base.NotSupportedError naming `fn` and the argument mxlite does not
/// implement (with its value when given), as the Python faces raise it.
[[noreturn]] void unsupported_argument(const char* fn, const char* argument, py::handle value = py::handle());

/// Whether `h` is a Python or NumPy number (not an array or array-like).
bool is_number(py::handle h);
/// NumPy's own function `name`, or a null handle where NumPy has none. MXNet's
/// np face hands calls whose operands are all numbers to it, so np.exp(2.0)
/// is a NumPy float64 and np.add(1, 2) a NumPy int64, as there.
py::handle numpy_function(const std::string& name);

/// Adds Function, impls() and function() to the module.
void bind_function_type(py::module_& m);

}  // namespace bind
}  // namespace mxlite
