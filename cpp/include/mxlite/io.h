// mxlite: MXNet's NDArray files (the format of nd.save / npx.save and of
// Gluon's .params files), read and written by one implementation.
//
//   io::save("model.params", {{w, b}, {"weight", "bias"}});
//   io::ArrayList params = io::load("model.params");
//
// A file holds a list of dense arrays, optionally with one name per array.
// Files MXNet 1.9.1 writes load here and the files written here are the bytes
// MXNet 1.9.1 writes for the same arrays. Older MXNet files (the V1 record and
// the record before it, with 32-bit extents) load too. Arrays always load onto
// the CPU, as MXNet does without a GPU.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mxlite/ndarray.h"

namespace mxlite {
namespace io {

/// MXNet's two shape conventions, recorded in each array of a file. Under
/// Legacy ones (MXNet's default) a shape with no extents means "no array", so
/// 0-d arrays cannot be saved; under NumPy ones (npx.set_np() in MXNet) 0-d
/// and zero-size arrays are ordinary. MXNet refuses to load an array saved
/// under the other convention than the one in force.
enum class ShapeSemantics : uint8_t { Legacy, NumPy };

/// What a file holds: the arrays in file order and their names, either one
/// per array (a dict in Python) or none at all (a list).
struct ArrayList {
  std::vector<NDArray> arrays;
  std::vector<std::string> names;
};

/// Writes `list` to the file `path` (replacing it). Error naming the file when
/// it cannot be written, when `names` is neither empty nor one per array, or
/// when an array cannot be represented (a 0-d array under Legacy semantics,
/// an undefined array).
void save(const std::string& path, const ArrayList& list, ShapeSemantics semantics = ShapeSemantics::Legacy);
/// The bytes `save` would write.
std::string save_to_bytes(const ArrayList& list, ShapeSemantics semantics = ShapeSemantics::Legacy);

/// Reads the file `path`. When `required` is set, every array must have been
/// saved under those semantics (MXNet's check); unset accepts both. Error
/// naming the file and the array when the file is missing, truncated or
/// corrupt, or holds what mxlite cannot represent: sparse (row_sparse, csr)
/// arrays, a dtype mxlite lacks (int16, bfloat16, ...), an array without a shape.
ArrayList load(const std::string& path, std::optional<ShapeSemantics> required = std::nullopt);
/// Reads a file's contents from memory (the bytes are copied).
ArrayList load_from_bytes(const void* data, size_t size, std::optional<ShapeSemantics> required = std::nullopt);
inline ArrayList load_from_bytes(const std::string& bytes, std::optional<ShapeSemantics> required = std::nullopt) {
  return load_from_bytes(bytes.data(), bytes.size(), required);
}

}  // namespace io
}  // namespace mxlite
