// mxlite: the device an array lives on. Only the CPU exists today; the GPU
// value is reserved so a backend can be added without changing signatures.
#pragma once

#include <string>

namespace mxlite {

enum class DeviceType : int { CPU = 1, GPU = 2 };

struct Context {
  DeviceType type = DeviceType::CPU;
  int id = 0;

  static Context cpu(int id = 0) { return {DeviceType::CPU, id}; }
  /// MXNet's spelling: "cpu(0)".
  std::string str() const { return (type == DeviceType::CPU ? "cpu(" : "gpu(") + std::to_string(id) + ")"; }
  friend bool operator==(const Context& a, const Context& b) { return a.type == b.type && a.id == b.id; }
};

}  // namespace mxlite
