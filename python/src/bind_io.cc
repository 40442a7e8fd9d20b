// mxnet._core.io: MXNet's NDArray files (mxlite/io.h), conversion only. The
// Python faces (ndarray/utils.py, numpy_extension/utils.py) check MXNet's
// argument rules and pass the NumPy-shape switch in as `np_shape`.
#include <pybind11/stl.h>

#include "convert.h"

namespace mxlite {
namespace bind {
namespace {

io::ShapeSemantics semantics_of(bool np_shape) {
  return np_shape ? io::ShapeSemantics::NumPy : io::ShapeSemantics::Legacy;
}

std::optional<io::ShapeSemantics> required_of(std::optional<bool> np_shape) {
  if (!np_shape) return std::nullopt;
  return semantics_of(*np_shape);
}

io::ArrayList list_from_py(const py::sequence& arrays, const std::vector<std::string>& names, const char* fn) {
  io::ArrayList list;
  for (py::handle h : arrays) {
    const NDArray* a = as_array(h);
    if (!a) unsupported_type(h, fn);
    list.arrays.push_back(*a);
  }
  list.names = names;
  return list;
}

py::tuple list_to_py(io::ArrayList list, bool np_face) {
  py::list arrays;
  for (NDArray& a : list.arrays) arrays.append(wrap(std::move(a), np_face ? Face::Np : Face::Nd));
  return py::make_tuple(py::cast(list.names), arrays);
}

}  // namespace

void bind_io(py::module_& m) {
  py::module_ io_mod = m.def_submodule("io", "MXNet's NDArray files (nd.save / npx.save)");
  io_mod.def(
      "save",
      [](const std::string& path, const py::sequence& arrays, const std::vector<std::string>& names, bool np_shape) {
        io::ArrayList list = list_from_py(arrays, names, "save");
        py::gil_scoped_release unlocked;
        io::save(path, list, semantics_of(np_shape));
      },
      py::arg("path"), py::arg("arrays"), py::arg("names"), py::arg("np_shape"));
  io_mod.def(
      "save_to_bytes",
      [](const py::sequence& arrays, const std::vector<std::string>& names, bool np_shape) {
        io::ArrayList list = list_from_py(arrays, names, "save");
        std::string bytes;
        {
          py::gil_scoped_release unlocked;
          bytes = io::save_to_bytes(list, semantics_of(np_shape));
        }
        return py::bytes(bytes);
      },
      py::arg("arrays"), py::arg("names"), py::arg("np_shape"));
  io_mod.def(
      "load",
      [](const std::string& path, bool np_face, std::optional<bool> np_shape) {
        io::ArrayList list;
        {
          py::gil_scoped_release unlocked;
          list = io::load(path, required_of(np_shape));
        }
        return list_to_py(std::move(list), np_face);
      },
      py::arg("path"), py::arg("np_face"), py::arg("np_shape"));
  io_mod.def(
      "load_from_bytes",
      [](const py::bytes& buffer, bool np_face, std::optional<bool> np_shape) {
        char* data = nullptr;
        Py_ssize_t size = 0;
        PyBytes_AsStringAndSize(buffer.ptr(), &data, &size);
        io::ArrayList list;
        {
          // The bytes object stays alive (and immutable) while `buffer` holds it.
          py::gil_scoped_release unlocked;
          list = io::load_from_bytes(data, static_cast<size_t>(size), required_of(np_shape));
        }
        return list_to_py(std::move(list), np_face);
      },
      py::arg("buffer"), py::arg("np_face"), py::arg("np_shape"));
}

}  // namespace bind
}  // namespace mxlite
