# -*- Python -*-
# The ht-mlir regression suite: FileCheck tests of the dialect, passes and
# tools, and the GoogleTest unit tests (test/Unit).

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "HT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.ht_obj_root, "test")
config.excludes = ["Inputs", "Unit", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%ht_src_root", config.ht_src_root))
config.substitutions.append(("%ht_obj_root", config.ht_obj_root))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(("%mlir_cmake_dir", config.mlir_cmake_dir))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# Every FileCheck run scopes its [[VAR]]s to the CHECK-LABEL block they were
# defined in ($VARs stay global): a check cannot match a value captured in
# another function by accident.
llvm_config.with_environment("FILECHECK_OPTS", "--enable-var-scope")

tool_dirs = [config.ht_tools_dir, config.llvm_tools_dir]
tools = [ToolSubst("ht-opt", unresolved="fatal"), ToolSubst("ht-run", unresolved="fatal"),
         ToolSubst("ht-compile", unresolved="fatal"), "not", "count", "split-file"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
# Python tools run from the source tree and must not litter it with caches.
llvm_config.with_environment("PYTHONDONTWRITEBYTECODE", "1")
llvm_config.with_environment("PYTHONPATH", os.path.join(config.ht_src_root, "python"),
                             append_path=True)
# ht_mlir.hsvd loads the compiler's HSVD from this build tree; a Python process
# cannot load an AddressSanitizer library, so under scripts/sanitize.sh it
# keeps its default, build/'s uninstrumented one (the C++ unit tests cover the
# HSVD under ASan).
if not getattr(config, "ht_sanitize_address", 0):
    llvm_config.with_environment("HT_MLIR_HSVD_LIBRARY",
                                 os.path.join(config.ht_obj_root, "lib", "libHTHSVD.so"))

# The PyTorch bridge's tests need python3-torch (scripts/setup.sh installs it);
# without it they are reported UNSUPPORTED rather than failing.
import subprocess

if subprocess.run([config.python_executable, "-c", "import torch"],
                  capture_output=True).returncode == 0:
    config.available_features.add("torch")
else:
    lit_config.note("python3-torch is missing: the PyTorch tests are skipped")

# Tools built with AddressSanitizer (scripts/sanitize.sh): tests that limit
# the address space (ulimit -v) are UNSUPPORTED there.
if getattr(config, "ht_sanitize_address", 0):
    config.available_features.add("asan")

# Multi-threaded models need the OpenMP runtime the build found
# (libomp-22-dev; scripts/setup.sh installs it).
if getattr(config, "ht_openmp_library", ""):
    config.available_features.add("openmp")
else:
    lit_config.note("no OpenMP runtime: the multi-threading tests are skipped")

# The CUDA tests. Everything but running kernels works without a GPU: the
# PTX needs no toolkit; ptxas validation (fatbin, cubin) needs a CUDA
# toolkit (CUDA_HOME, else /usr/local/cuda), which lit then forwards; the
# runtime's no-driver tests need a machine without libcuda.so.1, its stub
# tests the toolkit's stub driver.
cuda_home = os.environ.get("CUDA_HOME") or "/usr/local/cuda"
if os.path.exists(os.path.join(cuda_home, "bin", "ptxas")):
    config.available_features.add("cuda-toolkit")
    config.environment["CUDA_HOME"] = cuda_home
    config.substitutions.append(("%cuda_home", cuda_home))
else:
    lit_config.note("no CUDA toolkit (CUDA_HOME): the ptxas checks are skipped")
import ctypes

try:
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass
