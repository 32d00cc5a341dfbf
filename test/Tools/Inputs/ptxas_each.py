"""Runs ptxas on each kernel module of an ht-compile --emit=ptx file.

Usage: ptxas_each.py CUDA_HOME FILE.ptx ARCH
"""
import os
import subprocess
import sys
import tempfile

home, path, arch = sys.argv[1:4]
text = open(path).read()
modules = [m for m in text.split("// kernel module @")[1:]]
accepted = 0
with tempfile.TemporaryDirectory() as work:
    for index, module in enumerate(modules):
        name, _, ptx = module.partition("\n")
        source = os.path.join(work, f"{index}.ptx")
        with open(source, "w") as file:
            file.write(ptx)
        run = subprocess.run([os.path.join(home, "bin", "ptxas"), f"-arch={arch}",
                              source, "-o", os.path.join(work, f"{index}.cubin")],
                             capture_output=True, text=True)
        if run.returncode == 0:
            accepted += 1
        else:
            print(f"rejected @{name}: {run.stderr.strip()}")
print(f"ptxas accepted {accepted} of {len(modules)} modules")
sys.exit(0 if accepted == len(modules) else 1)
