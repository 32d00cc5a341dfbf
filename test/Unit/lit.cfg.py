# -*- Python -*-
# Runs every GoogleTest binary under build/unittests, one lit test per case.

import os

import lit.formats

config.name = "HT-Unit"
config.suffixes = []
config.test_exec_root = config.ht_unittests_dir
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
