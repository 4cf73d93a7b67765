"""Builds the `parley` Python package's extension with the project's own CMake build (the library
and bindings/python only), so `pip install --no-build-isolation .` needs nothing beyond the Debian
packages `make deps` installs. Metadata is in pyproject.toml."""

import os
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        extension_path = Path(self.get_ext_fullpath(ext.name)).resolve()
        package_root = extension_path.parent.parent  # the folder holding parley/
        build_dir = ROOT / "build" / "pip"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir), "-G", "Ninja",
            "-DCMAKE_BUILD_TYPE=Release",
            "-DPARLEY_BUILD_TESTS=OFF", "-DPARLEY_BUILD_BENCH=OFF", "-DPARLEY_BUILD_APPS=OFF",
            "-DPARLEY_BUILD_PYTHON=ON", "-DPARLEY_WERROR=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
            f"-DPARLEY_PYTHON_PACKAGE_DIR={package_root}",
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.check_call(configure)
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "parley_python",
                               "-j", jobs])
        if not extension_path.exists():
            raise RuntimeError(f"the build did not produce {extension_path}")


setup(ext_modules=[CMakeExtension("parley._parley")], cmdclass={"build_ext": CMakeBuild})
